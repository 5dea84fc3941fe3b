from django import template

from lunarportal import search

register = template.Library()


@register.filter
def search_excerpt(obj, query):
    """A short passage of `obj` around the words of `query`, those words in <mark>, the rest
    escaped (see lunarportal.search.excerpt). Used on one page of results at a time."""
    return search.excerpt(obj, query or "")
