from collections.abc import Iterable

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language

from lunarportal.translated import ORIGINAL_LANGUAGE, falls_back, untranslated

register = template.Library()


@register.simple_tag(takes_context=True)
def this_page_in(context, language: str) -> str:
    """The current page, filters and all, in `language` (a 404 page stays as it is)."""
    request = context["request"]
    # A page links to each language in its head and in its header: resolve the address once.
    addresses = request.__dict__.setdefault("_page_in_languages", {})
    if language not in addresses:
        addresses[language] = translate_url(request.get_full_path(), language)
    return addresses[language]


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
