from django import template

from search.highlight import excerpt

register = template.Library()


@register.filter
def search_excerpt(obj, query):
    """A short passage of `obj` around the words of `query`, those words in <mark>, the rest
    escaped (see search.highlight.excerpt). Used on one page of results at a time."""
    return excerpt(obj, query or "")
