from django import template
from django.conf import settings
from django.urls import translate_url

register = template.Library()


@register.simple_tag(takes_context=True)
def this_page_in(context, language: str) -> str:
    """The current page, filters and all, in `language` (a 404 page stays as it is)."""
    return translate_url(context["request"].get_full_path(), language)


@register.simple_tag
def site_languages():
    return settings.LANGUAGES
