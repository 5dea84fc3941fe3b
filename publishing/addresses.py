"""A record's page address, worked out once per page kind and language instead of once per record.

reverse() walks the URL patterns on every call: a partner page links up to 150 times to missions,
and its rows would spend more time reversing than rendering. The address of a record under
`<slug:slug>/` is the same text around its slug, so that text is reversed once (per view name,
active language, script prefix and URL configuration, which change what reverse() gives) and the
slug put in its place.
"""

import re
from functools import lru_cache

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

# Matches what the slug converter accepts, and what reverse() leaves unquoted.
SLUG = re.compile(r"[-a-zA-Z0-9_]+")
PLACEHOLDER = "record-slug"


def slug_url(view_name: str, slug: str) -> str:
    """What reverse(view_name, kwargs={"slug": slug}) gives, for a view taking only a slug."""
    if not SLUG.fullmatch(slug or ""):
        return reverse(view_name, kwargs={"slug": slug})  # raises NoReverseMatch as it should
    before, after = _around_slug(view_name, get_language(), get_script_prefix(), get_urlconf())
    return f"{before}{slug}{after}"


@lru_cache(maxsize=256)
def _around_slug(view_name, language, script_prefix, urlconf) -> tuple[str, str]:
    before, after = reverse(view_name, urlconf=urlconf, kwargs={"slug": PLACEHOLDER}).split(PLACEHOLDER)
    return before, after


@receiver(setting_changed)  # ROOT_URLCONF, LANGUAGES, …
def _forget_addresses(**kwargs):
    _around_slug.cache_clear()
