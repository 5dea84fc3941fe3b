from django import template
from django.utils.html import conditional_escape, format_html

from publishing.links import linkable

register = template.Library()


@register.simple_tag
def stored_link(address, text, rel="noopener nofollow"):
    """`text` linked to `address`, an address stored with content (a source, a website), or
    `text` alone when the address is not one a visitor may follow (publishing.links)."""
    if linkable(address):
        return format_html('<a href="{}" rel="{}">{}</a>', address, rel, text)
    return conditional_escape(text)
