"""No address makes the error pages fail: whatever a visitor or a crawler asks for, an address
no page answers gets the site's own 404 page (with its language links, in the page's language),
a malformed request its 400, an API address the API's JSON error; never a 500.

The addresses come from shared/SECURITY.md (IN-02, IN-05, IN-09, OUT-06): addresses that do
not resolve, that resolve outside the language prefixes (the sitemap, robots.txt), that resolve
to a view which then finds nothing, with odd query strings and bytes that are not UTF-8."""

import re
from urllib.parse import unquote_to_bytes

import pytest

pytestmark = pytest.mark.django_db

NOT_FOUND = [
    # Django's sitemap view, outside the language prefixes: any page but the first is a 404.
    "/sitemap.xml?p=2",
    "/sitemap.xml?p=0",
    "/sitemap.xml?p=-1",
    "/sitemap.xml?p=abc",
    "/sitemap.xml?p=1e3",
    "/sitemap.xml?p=99999999999999999999999",
    "/sitemap.xml?p=%00",
    "/sitemap.xml?p=%ff%fe",
    "/sitemap.xml?p=2&p=3",
    "/sitemap.xml?p=2&utm_source=%22%3E%3Cscript%3Ealert(1)%3C/script%3E",
    "/robots.txt/more",
    # A view found, then no record: in each language, with its feed, citation and preview.
    "/en/missions/no-such-mission/",
    "/zh-hans/missions/no-such-mission/?q=%ff&x=%00",
    "/en/partners/no-such-partner/",
    "/zh-hans/partners/no-such-partner/feed/",
    "/en/missions/no-such-mission/feed/",
    "/en/partners/no-such-partner/cite.bib",
    "/en/missions/no-such-mission/preview/",
    "/zh-hans/partners/no-such-partner/preview/?next=javascript:alert(1)",
    # Nothing found at all.
    "/en/no-such-page/",
    "/no-such-page/",
    "/%ff",
    "/en/%ff%fe/",
    "/en/missions/%ff/",
    "/en/missions/%3Cscript%3Ealert(1)%3C/script%3E/",
    "/en/missions/%0d%0aSet-Cookie:%20x=1/",
    "/en/missions/%e2%80%ae/",
    "/en/missions/%00/",
    "//evil.example/",
    "/en//evil.example",
    "/xx-yy-zz/missions/",
    "/" + "a" * 5_000 + "/missions/",
    "/en/no-such-page/?%ff=%fe&%00&=&&a[]=1&a[]=2",
    "/en/no-such-page/?" + "x" * 10_000,
    "/en/missions/no-such-mission/?page=99999999999999999999999",
]

API_NOT_FOUND = [
    "/api/v1/no-such-collection/",
    "/api/v1/missions/no-such-mission/",
    "/api/v1/missions/%ff/",
    "/api/v1/missions/no-such-mission/?%ff=%fe",
]

# More query parameters than Django reads (DATA_UPLOAD_MAX_NUMBER_FIELDS): a malformed request.
BAD_REQUEST = ["/sitemap.xml?p=2&" + "a=1&" * 1_001, "/en/missions/?" + "a=1&" * 1_001]


@pytest.fixture
def visitor(client, no_page_cache):
    """Each request rendered: a crash must not hide behind an answer cached earlier."""
    client.raise_request_exception = False  # a crash is a 500 answer, as a visitor would get it
    return client


def visit(client, address: str):
    """GET `address` as a WSGI server passes it on: the path's bytes undecoded ("//evil.example/"
    is a path, not a host), the query string as sent."""
    path, _, query = address.partition("?")
    return client.get("/", PATH_INFO=unquote_to_bytes(path).decode("iso-8859-1"), QUERY_STRING=query)


def alternates(html: str) -> list[str]:
    return re.findall(r'<link rel="alternate" hreflang="[^"]+" href="([^"]+)"', html)


@pytest.mark.parametrize("address", NOT_FOUND, ids=lambda address: address[:60])
def test_an_address_no_page_answers_gets_the_sites_404_page(visitor, address):
    response = visit(visitor, address)
    assert response.status_code == 404, address[:100]
    html = response.content.decode()
    assert "<h1>Page not found</h1>" in html or "<h1>页面未找到</h1>" in html, address[:100]
    links = alternates(html)
    assert len(links) == 3, links  # both languages and x-default: the page's head was built whole
    assert all(link.startswith("http://testserver/") for link in links), links
    assert "<script>alert" not in html


@pytest.mark.parametrize("address", API_NOT_FOUND)
def test_an_api_address_no_record_answers_gets_a_json_404(visitor, address):
    response = visit(visitor, address)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"detail"}


@pytest.mark.parametrize("address", BAD_REQUEST, ids=["sitemap", "missions"])
def test_a_malformed_request_is_a_400_not_a_crash(visitor, address):
    assert visit(visitor, address).status_code == 400
