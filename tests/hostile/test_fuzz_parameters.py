"""Every public query parameter and API parameter, fuzzed with Hypothesis: random text, huge and
negative numbers, repeated keys, unicode (RTL, emoji, invalid UTF-8), NUL bytes, SQL, template and
full-text-search syntax, very long strings. Whatever is sent, the answer is a 200, a 400 that
says what is wrong, or a 404: never a 5xx, never a traceback.

The parameters are read from the code, not listed here: every URL without a path parameter is
found in the URLconf, and the filters of the view behind it (its django-filter FilterSet, its
pagination) are its parameters. A new filter, filtered list or API collection is fuzzed without
touching this file. The few parameters read by plain function views are declared below, and
`test_every_parameter_read_from_a_request_is_fuzzed` keeps that list honest.

Examples are derandomised, so CI runs the same cases every time; HOSTILE_FUZZ_EXAMPLES raises
the count for a longer local run.
"""

import json
import os
import re
from pathlib import Path
from urllib.parse import quote_from_bytes

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partners.forms import SearchForm

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("HOSTILE_FUZZ_EXAMPLES", "40"))
# Pages that take no parameter of their own get fewer examples: they can only ignore them.
EXAMPLES_UNFILTERED = max(EXAMPLES // 4, 5)
TOTAL = {"examples": 0}

ROOT = Path(__file__).resolve().parents[2]

# Parameters that plain function views read from request.GET (no FilterSet to read them from).
FUNCTION_VIEW_PARAMETERS = {
    "search": list(SearchForm.base_fields),
    "missions:compare": ["m"],
    "missions:landing_sites": ["highlight"],
    "sitemap": ["p"],  # Django's sitemap view: its page number
}
# Keys an attacker tries on any endpoint: other frameworks' pagination and ordering, format
# switches, ORM lookups (IN-01), array syntax, switches that might reveal drafts.
ATTACKER_KEYS = [
    "format",
    "ordering",
    "o",
    "sort",
    "cursor",
    "limit",
    "offset",
    "per_page",
    "page_size",
    "lang",
    "language",
    "page",
    "status[]",
    "id__regex",
    "pk__gt",
    "_connector",
    "editorial_state",
    "partners__agreements__created_by__password__startswith",
    "preview",
    "include_drafts",
    "callback",
]

HOSTILE_VALUES = [
    "",
    " ",
    "\x00",
    "abc\x00def",
    "\t\r\n",
    "' OR '1'='1",
    "1; DROP TABLE missions_mission;--",
    "1' UNION SELECT password FROM auth_user--",
    "{{7*7}}",
    "{% debug %}",
    "{{ settings.SECRET_KEY }}",
    "${7*7}",
    '"',
    '"unclosed',
    "NEAR(",
    "a AND",
    "OR",
    "*",
    "col:foo",
    "!!",
    "&|",
    "a & | ! b",
    "(a+)+$",
    "%_%",
    "\\",
    "巴基斯坦",
    "欧洲航天局",
    "\u202eevil\u202c",
    "مرحبا",
    "🚀🌕",
    "\ufeff",
    "\udcff",
    "\ud800",
    "-1",
    "0",
    "-0",
    "1.5",
    "1e3",
    "1e400",
    "NaN",
    "Infinity",
    "99999999999999999999999",
    "-99999999999999999999999",
    "9223372036854775808",
    "last",
    "2024-13-45",
    "0000-01-01",
    "99999-01-01",
    "2024-02-30T25:00",
    '{"a":1}',
    "[1,2]",
    "<script>alert(1)</script>",
    "chang-e-6",
    "pakistan",
    "PK",
    "x" * 10_000,
]

numbers = st.one_of(
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True),
).map(str)
# Lone surrogates included: they reach the server as bytes that are not UTF-8 at all.
any_text = st.text(st.characters(codec=None, exclude_categories=()), max_size=60)
long_text = st.builds(
    lambda word, times: word * times, st.sampled_from(["x", "巴", "a b ", "'"]), st.integers(300, 12_000)
)
raw_bytes = st.binary(max_size=40)
values = st.one_of(st.sampled_from(HOSTILE_VALUES), numbers, any_text, long_text, raw_bytes)


def encoded(part: str | bytes) -> str:
    """A query-string part as a client would send it, percent-encoded byte for byte; a lone
    surrogate becomes the bytes of its code point, which are not valid UTF-8."""
    if isinstance(part, str):
        part = part.encode("utf-8", "surrogatepass")
    return quote_from_bytes(part, safe="")


# A declared key turned into an ORM lookup or a PHP-style array (IN-01): ignored, never obeyed.
LOOKUP_SUFFIXES = ["__in", "__regex", "[]", "__gt", "__isnull", "__startswith"]


def query_strategy(parameters: list[str]):
    """Pairs of key and value, keys repeated at will: mostly the endpoint's own parameters, with
    their lookup-suffixed variants, attacker keys and random keys."""
    own = st.sampled_from(parameters) if parameters else st.nothing()
    keys = st.one_of(
        own,  # three times: one_of picks a branch evenly, and the declared keys matter most
        own,
        own,
        st.builds(str.__add__, own, st.sampled_from(LOOKUP_SUFFIXES)),
        st.sampled_from(ATTACKER_KEYS),
        any_text,
    )
    return st.lists(st.tuples(keys, values), max_size=6)


def query_string(pairs) -> str:
    return "&".join(f"{encoded(key)}={encoded(value)}" for key, value in pairs)


# --- The parameters, read from the code ------------------------------------------------------


def _routes(resolver, prefix="", namespace=""):
    for entry in resolver.url_patterns:
        route = prefix + _plain(str(entry.pattern))
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _routes(entry, route, inner)
        elif isinstance(entry, URLPattern):
            yield "/" + route, f"{namespace}{entry.name}" if entry.name else None, entry.callback


def _plain(pattern: str) -> str:
    """A path() route as is; a router's regex (^missions/$) as the path it matches."""
    return pattern.removeprefix("^").removesuffix("$").replace("\\.", ".")


def parameters_of(callback, name) -> list[str] | None:
    """The query parameters the view behind `callback` reads, or None for a non-public view."""
    view = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    filterset_class = getattr(view, "filterset_class", None)
    parameters = list(FUNCTION_VIEW_PARAMETERS.get(name, []))
    if filterset_class is not None:
        parameters += list(filterset_class().form.fields)
    if getattr(view, "paginate_by", None):
        parameters.append(getattr(view, "page_kwarg", "page"))
    pagination = getattr(view, "pagination_class", None)
    if pagination is not None and getattr(callback, "actions", {}).get("get") == "list":
        parameters += [pagination.page_query_param, pagination.page_size_query_param]
    return parameters


def is_public(route: str) -> bool:
    return not route.startswith(("/admin/", "/media/")) and "/preview/" not in route


def fixed_routes() -> list[tuple[str, list[str]]]:
    """Every public URL without a path parameter, in English and Chinese, with the query
    parameters its view reads."""
    routes = []
    for language in ("en", "zh-hans"):
        with translation.override(language):
            for route, name, callback in _routes(get_resolver()):
                if "<" in route or "(?P" in route or not is_public(route):
                    continue
                if language == "zh-hans" and not route.startswith("/zh-hans/"):
                    continue  # not a page in a language: seen once already
                routes.append((route, parameters_of(callback, name)))
    return sorted(set((route, tuple(parameters)) for route, parameters in routes))


# Detail addresses: a published record of each kind, reached through each route with a path parameter.
DETAIL_URLS = [
    "/en/missions/chang-e-6/",
    "/zh-hans/missions/chang-e-6/",
    "/en/missions/chang-e-6/feed/",
    "/en/missions/chang-e-6/cite.bib",
    "/en/partners/pakistan/",
    "/en/partners/pakistan/feed/",
    "/en/partners/pakistan/cite.bib",
    "/api/v1/missions/chang-e-6/",
    "/api/v1/partners/pakistan/",
    "/api/v1/agreements/pakistan-ilrs/",
    "/api/v1/projects/paksat-1r/",
]


# --- What every answer must be ---------------------------------------------------------------

TRACEBACK = re.compile(r"Traceback \(most recent call last\)|File \"/|django\.db\.utils\.|psycopg|sqlite3\.")


def body_of(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8", "replace")


def assert_handled(response, url: str, sent_keys: set[str]):
    assert response.status_code in (200, 400, 404), f"{response.status_code} for {url[:300]}"
    body = body_of(response)
    assert not TRACEBACK.search(body), f"internals shown for {url[:300]}"
    if response.status_code == 400:
        assert_clear_refusal(response, body, url, sent_keys)


def assert_clear_refusal(response, body: str, url: str, sent_keys: set[str]):
    """A 400 says what was wrong, in the shape of what was asked: JSON naming the parameter for
    the API, a plain-text list of refused filters for a CSV export, the page's message for HTML."""
    content_type = response["Content-Type"]
    if content_type.startswith("application/json"):
        errors = json.loads(body)
        assert errors and set(errors) <= sent_keys | {"detail"}, f"{errors} for {url[:300]}"
        assert all(errors.values()), url[:300]
    elif content_type.startswith("text/plain"):
        # "These filters cannot be used:" (in the page's language), then one line per refused filter.
        # (A refused value is quoted in its message, so it may itself hold line breaks.)
        problems = body.splitlines()[1:]
        assert any(line.partition(":")[0] in sent_keys for line in problems), url[:300]
    else:
        assert 'role="alert"' in body or 'class="errorlist' in body, f"no message on the 400 page {url[:300]}"


def fuzz(client, path: str, parameters: list[str], examples: int):
    @settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(pairs=query_strategy(parameters))
    def check(pairs):
        TOTAL["examples"] += 1
        url = f"{path}?{query_string(pairs)}" if pairs else path
        sent_keys = {key if isinstance(key, str) else "" for key, _value in pairs}
        assert_handled(client.get(url), url, sent_keys)

    check()


@pytest.fixture
def site(hidden_world, no_rate_limit, no_page_cache):
    """Published and hidden content; every request rendered (no page cache), none rate limited."""
    return hidden_world


def test_every_public_url_and_api_collection_is_fuzzed(client, site):
    routes = fixed_routes()
    paths = {route for route, _parameters in routes}
    # The discovery itself: the lists, their exports, search and the API collections are all found.
    for expected in [
        "/en/missions/",
        "/zh-hans/missions/",
        "/en/partners/",
        "/en/search/",
        "/en/missions/compare/",
        "/en/missions/landing-sites/",
        "/en/missions/export.csv",
        "/en/partners/export.csv",
        "/api/v1/missions/",
        "/api/v1/payloads/",
        "/api/v1/partners/",
        "/api/v1/agreements/",
        "/api/v1/projects/",
        "/sitemap.xml",
        "/en/feed/",
    ]:
        assert expected in paths, expected
    by_path = dict(routes)
    assert {"q", "status", "type", "side", "partner", "launch_date_after", "page"} <= set(by_path["/en/missions/"])
    assert {"q", "partner", "mission", "origin", "selection_status", "page", "page_size"} <= set(
        by_path["/api/v1/payloads/"]
    )
    for path, parameters in routes:
        fuzz(client, path, list(parameters), EXAMPLES if parameters else EXAMPLES_UNFILTERED)
    print(f"\n{len(routes)} addresses fuzzed, {TOTAL['examples']} examples so far")


def test_detail_pages_ignore_any_query(client, site):
    for path in DETAIL_URLS:
        fuzz(client, path, ["page"], EXAMPLES_UNFILTERED)
    print(f"\n{len(DETAIL_URLS)} detail addresses fuzzed, {TOTAL['examples']} examples so far")


PATH_ROUTES = [
    "/en/missions/{}/",
    "/en/missions/{}/feed/",
    "/en/missions/{}/cite.bib",
    "/en/partners/{}/",
    "/en/partners/{}/feed/",
    "/en/partners/{}/cite.bib",
    "/api/v1/missions/{}/",
    "/api/v1/payloads/{}/",
    "/api/v1/partners/{}/",
    "/api/v1/agreements/{}/",
    "/api/v1/projects/{}/",
]


def test_every_path_parameter_is_fuzzed(client, site):
    """A slug or id in the path: anything that is not a published record's is a 404."""
    hidden_slugs = st.sampled_from(["qxdraftmission", "qxdraftpartner", "qxschedmission", "qxdraftagreement"])

    @settings(max_examples=EXAMPLES * 2, derandomize=True, database=None, deadline=None)
    @given(
        route=st.sampled_from(PATH_ROUTES),
        value=st.one_of(st.sampled_from(HOSTILE_VALUES[:-1]), numbers, any_text, raw_bytes, hidden_slugs),
    )
    def check(route, value):
        TOTAL["examples"] += 1
        url = route.format(encoded(value) or "x")
        response = client.get(url)
        assert_handled(response, url, set())
        if value not in ("chang-e-6", "pakistan"):  # a published record's page
            assert response.status_code == 404, f"{response.status_code} for {url[:300]}"

    check()
    print(f"\n{len(PATH_ROUTES)} path routes fuzzed; {TOTAL['examples']} examples in all")


def test_every_parameter_read_from_a_request_is_fuzzed():
    """Any view code that reads request.GET itself must declare its parameters above, or be
    reached only through a FilterSet or the pagination, which the fuzzer reads for itself."""
    readers = {}
    for source in [*ROOT.glob("*/views.py"), *ROOT.glob("*/*.py")]:
        if "tests" in source.parts or "migrations" in source.parts:
            continue
        for found in re.findall(r"request\.GET(?:\.get|\.getlist|\[)\(?\"(\w+)\"", source.read_text()):
            readers.setdefault(found, set()).add(source.relative_to(ROOT).as_posix())
    declared = {parameter for parameters in FUNCTION_VIEW_PARAMETERS.values() for parameter in parameters}
    assert set(readers) - declared - {"page"} == set(), readers
