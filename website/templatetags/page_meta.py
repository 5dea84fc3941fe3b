"""What a page says about itself to search engines, link previews and reference managers:
its canonical address, its OpenGraph locale, and schema.org data as JSON-LD."""

import json
import unicodedata

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.template.defaultfilters import stringfilter, truncatechars
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from .languages import canonical_query

register = template.Library()

# OpenGraph wants language_TERRITORY: our English is British, our Chinese simplified.
OG_LOCALES = {"en": "en_GB", "zh-hans": "zh_CN"}

# The escapes of django.utils.html.json_script: no "<", ">" or "&" survives into the HTML, so
# nothing inside the data ("</script>", "<!--") can end or confuse the script element.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag(takes_context=True)
def canonical_url(context) -> str:
    """This page's absolute address without filters; the page number kept beyond the first."""
    request = context["request"]
    return request.build_absolute_uri(request.path) + canonical_query(request)


@register.filter(is_safe=True)
@stringfilter
def shortened(text: str, length: int) -> str:
    """truncatechars, without its walk over every character of a text that already fits: the
    site's description on every page, say (0.02 ms each time)."""
    if len(text) <= int(length):
        return unicodedata.normalize("NFC", text)  # what truncatechars returns
    return truncatechars(text, length)


@register.simple_tag
def og_locale() -> str:
    return OG_LOCALES.get(get_language(), "en_GB")


@register.simple_tag
def og_locale_alternates() -> list[str]:
    current = get_language()
    return [locale for language, locale in OG_LOCALES.items() if language != current]


@register.filter
def json_ld(data: dict) -> str:
    """`data` in a <script type="application/ld+json"> data block. Django's json_script does the
    same escaping but only writes type="application/json", which search engines ignore."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(JSON_SCRIPT_ESCAPES)
    # Safe: the text is JSON with every "<", ">" and "&" escaped, as json_script makes it.
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # nosec B308,B703
