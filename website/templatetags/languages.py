import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.encoding import iri_to_uri
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, override

from publishing import translated
from publishing.translated import ORIGINAL_LANGUAGE, shown_language, untranslated

register = template.Library()

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


@dataclass(frozen=True)
class PageInLanguage:
    code: str
    name: str
    path: str  # this page's address in the language, filters and all: where the switcher goes
    url: str  # its canonical address, absolute: what hreflang links want (see canonical_query)
    current: bool  # the language the page is shown in


def canonical_query(request) -> str:
    """What a page's canonical address keeps of its query: the page number beyond the first,
    nothing else. Filtered and searched lists are views of the list, not pages of their own; the
    hreflang alternates name the same canonical pages, as search engines expect."""
    page = request.GET.get("page", "")
    if page.isdigit() and len(page) < 10 and int(page) > 1:
        return f"?page={int(page)}"
    return ""


def page_in_languages(request) -> list[PageInLanguage]:
    """The current page in each of the site's languages, the default language first (hreflang's
    x-default). A 404 page stays as it is. The head and the header both link to them: built once
    per request."""
    if "_page_in_languages" not in request.__dict__:
        origin = f"{request.scheme}://{request.get_host()}"  # not build_absolute_uri(): "//x" must stay a path
        current = get_language()
        default_first = sorted(settings.LANGUAGES, key=lambda language: language[0] != settings.LANGUAGE_CODE)
        query = canonical_query(request)
        request._page_in_languages = [
            PageInLanguage(code, name, path, origin + path.partition("?")[0] + query, code == current)
            for code, name in default_first
            for path in [_address_in(request, code)]
        ]
    return request._page_in_languages


# The two tags below are the only markup of every page that depends on its exact address (the
# language links keep the visitor's query): written with format_html rather than as template
# loops, which cost more, because every page renders them.
CURRENT = mark_safe(' aria-current="true"')


@register.simple_tag(takes_context=True)
def hreflang_links(context) -> str:
    """<link rel="alternate" hreflang> to this page in each language, and x-default."""
    languages = page_in_languages(context["request"])
    links = [(language.code, language.url) for language in languages] + [("x-default", languages[0].url)]
    return format_html_join("\n  ", '<link rel="alternate" hreflang="{}" href="{}">', links)


@register.simple_tag(takes_context=True)
def language_switcher(context) -> str:
    """The list items linking to this page in each language, the one shown marked current."""
    return format_html_join(
        "\n        ",
        '<li><a href="{}" hreflang="{}" lang="{}"{}>{}</a></li>',
        (
            (language.path, language.code, language.code, CURRENT if language.current else "", language.name)
            for language in page_in_languages(context["request"])
        ),
    )


def _address_in(request, language: str) -> str:
    """translate_url() of the request's own address, reusing the request's resolved view rather
    than resolving its path again. Error pages use it too, for any address at all: whatever
    cannot be found again in `language` stays as it is."""
    match = request.resolver_match
    if match is None or match.url_name is None:  # no named view answered this address: it stays as it is
        return request.get_full_path()
    view_name = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
    # Only what the address itself carries: the URLconf's own arguments to the view (the
    # sitemap's dictionary of sitemaps) are not part of it, and reverse() supplies them again.
    path = _path_in(
        language,
        view_name,
        tuple(match.args),
        tuple(match.captured_kwargs.items()),
        get_script_prefix(),
        get_urlconf(),
    )
    if path is None:
        return request.get_full_path()
    query = request.META.get("QUERY_STRING", "")
    return f"{path}?{iri_to_uri(query)}" if query else path


# Every page reverses its own address in each language (0.02 ms each): the most recent are
# remembered, with what reverse() reads besides its arguments (the prefix the site is served
# under, the request's URLconf). A record's slug comes from the visitor, hence the bound.
@lru_cache(maxsize=1024)
def _path_in(language, view_name, args, kwargs, script_prefix, urlconf) -> str | None:
    try:
        with override(language):
            return reverse(view_name, urlconf=urlconf, args=args, kwargs=dict(kwargs))
    except NoReverseMatch:
        return None


@receiver(setting_changed)  # ROOT_URLCONF, LANGUAGES, …
def _forget_paths(**kwargs):
    _path_in.cache_clear()


# The active language's punctuation (publishing.translated), for the parts of a text that a
# template puts together: `{{ label }}{% colon %}{{ value }}`, `{% aside %}{{ acronym }}{% endaside %}`.
register.simple_tag(translated.list_separator, name="list_separator")
register.simple_tag(translated.colon, name="colon")
register.simple_tag(translated.clause_separator, name="clause_separator")
register.simple_tag(translated.sentence_separator, name="sentence_separator")


class AsideNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        return format_html(translated.aside_format(), self.nodelist.render(context))


@register.tag
def aside(parser, token):
    nodelist = parser.parse(("endaside",))
    parser.delete_first_token()
    return AsideNode(nodelist)


@register.filter
def lang_of(instance, field: str) -> str:
    """The language `field` of `instance` is shown in: English when the active language's
    translation is missing, for `lang="…"` so that screen readers pronounce it right."""
    return shown_language(instance, field)


@register.simple_tag
def shown_in_english(*items) -> bool:
    """Whether any of `items` (objects, or lists of them) shows an English text for want of a translation."""
    for item in items:
        for instance in item if isinstance(item, Iterable) else [item]:
            if untranslated(instance):
                return True
    return False


@register.filter
def in_english(value) -> str:
    """`value` marked as English, for a text kept in English only (a source's title, a name
    without its Chinese): `lang="en"` on a Chinese page, as it is (and nothing) on an English one."""
    if not value:
        return value
    if get_language() == ORIGINAL_LANGUAGE:
        return value
    return format_html('<span lang="{}">{}</span>', ORIGINAL_LANGUAGE, value)


@register.filter
def lang_of_text(text: str) -> str:
    """The language of a passage that may come from either language's column (a search
    excerpt): Chinese when it holds Chinese characters, otherwise English."""
    return "zh-hans" if HAN.search(str(text)) else ORIGINAL_LANGUAGE
