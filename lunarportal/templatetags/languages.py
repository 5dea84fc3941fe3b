from collections.abc import Iterable

from django import template
from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.encoding import iri_to_uri
from django.utils.translation import get_language, override

from lunarportal.translated import ORIGINAL_LANGUAGE, falls_back, untranslated

register = template.Library()


@register.simple_tag(takes_context=True)
def this_page_in(context, language: str) -> str:
    """The current page, filters and all, in `language` (a 404 page stays as it is)."""
    request = context["request"]
    # A page links to each language in its head and in its header: resolve the address once.
    addresses = request.__dict__.setdefault("_page_in_languages", {})
    if language not in addresses:
        addresses[language] = _address_in(request, language)
    return addresses[language]


def _address_in(request, language: str) -> str:
    """translate_url() of the request's own address, reusing the request's resolved view rather
    than resolving its path again."""
    match = request.resolver_match
    if match is None or match.url_name is None:  # no named view answered this address: it stays as it is
        return request.get_full_path()
    view_name = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
    try:
        with override(language):
            path = reverse(view_name, args=match.args, kwargs=match.kwargs)
    except NoReverseMatch:
        return request.get_full_path()
    query = request.META.get("QUERY_STRING", "")
    return f"{path}?{iri_to_uri(query)}" if query else path


@register.simple_tag
def site_languages():
    return settings.LANGUAGES


@register.filter
def lang_of(instance, field: str) -> str:
    """The language `field` of `instance` is shown in: English when the active language's
    translation is missing, for `lang="…"` so that screen readers pronounce it right."""
    return ORIGINAL_LANGUAGE if falls_back(instance, field) else get_language()


@register.simple_tag
def shown_in_english(*items) -> bool:
    """Whether any of `items` (objects, or lists of them) shows an English text for want of a translation."""
    for item in items:
        for instance in item if isinstance(item, Iterable) else [item]:
            if untranslated(instance):
                return True
    return False
