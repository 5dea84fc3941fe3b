from django import template

from publishing import richtext

register = template.Library()


@register.filter
def rich_text(html):
    """Show stored rich text, sanitised again on the way out."""
    return richtext.render(html)
