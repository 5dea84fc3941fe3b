"""The open data can be found from the pages: the API, its documentation and the CSV exports are
linked from every page's footer and from the lists, and the sitemap lists the picture pages."""

import re
from html.parser import HTMLParser

import pytest

pytestmark = pytest.mark.django_db

OPEN_DATA = ["/api/v1/", "/api/v1/docs/", "/en/missions/export.csv", "/en/partners/export.csv"]


class Links(HTMLParser):
    """The addresses linked inside one element (`footer`, or the list's results `section`)."""

    def __init__(self, tag):
        super().__init__()
        self.tag, self.depth, self.hrefs = tag, 0, []

    def handle_starttag(self, tag, attrs):
        if tag == self.tag:
            self.depth += 1
        if tag == "a" and self.depth:
            self.hrefs.append(dict(attrs)["href"])

    def handle_endtag(self, tag):
        if tag == self.tag and self.depth:
            self.depth -= 1


def links_in(html: str, tag: str) -> list[str]:
    reader = Links(tag)
    reader.feed(html)
    return reader.hrefs


@pytest.mark.parametrize("url", ["/en/", "/en/missions/chang-e-6/", "/en/partners/pakistan/", "/en/search/"])
def test_every_footer_links_to_the_api_its_docs_and_the_csv_exports(client, chang_e_6, url):
    footer = links_in(client.get(url).content.decode(), "footer")
    for address in OPEN_DATA:
        assert address in footer, (url, address)


def test_the_chinese_footer_links_to_the_chinese_exports(client, chang_e_6):
    footer = links_in(client.get("/zh-hans/").content.decode(), "footer")
    assert {"/api/v1/", "/api/v1/docs/", "/zh-hans/missions/export.csv", "/zh-hans/partners/export.csv"} <= set(footer)


@pytest.mark.parametrize(
    "url, csv, api",
    [
        ("/en/missions/?side=far", "/en/missions/export.csv?side=far", "/api/v1/missions/"),
        ("/en/partners/?kind=country", "/en/partners/export.csv?kind=country", "/api/v1/partners/"),
    ],
)
def test_each_list_links_to_its_csv_and_its_api_collection(client, chang_e_6, url, csv, api):
    results = links_in(client.get(url).content.decode(), "section")
    assert csv in results and api in results and "/api/v1/docs/" in results
    for address in [csv, api, "/api/v1/docs/"]:
        assert client.get(address).status_code == 200, address


def test_the_sitemap_lists_the_timeline_landing_sites_charts_and_figures(client, chang_e_6):
    text = client.get("/sitemap.xml").content.decode()
    listed = set(re.findall(r"<loc>([^<]+)</loc>", text))
    for path in ["/missions/timeline/", "/missions/landing-sites/", "/partners/charts/", "/figures/"]:
        for language in ("en", "zh-hans"):
            url = f"http://testserver/{language}{path}"
            assert url in listed, url
            assert client.get(url).status_code == 200
