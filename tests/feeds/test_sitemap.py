"""sitemap.xml lists every public page in both languages; robots.txt points crawlers to it."""

from urllib.parse import urlsplit

import pytest
from defusedxml import ElementTree

from tests.factories import make_mission

from .conftest import MARK

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def sitemap(client) -> dict:
    """Each listed address, with its lastmod and its alternates by hreflang."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    assert root.tag == f"{SITEMAP}urlset"
    listed = {}
    for url in root.findall(f"{SITEMAP}url"):
        lastmod = url.find(f"{SITEMAP}lastmod")
        details = {"lastmod": lastmod.text if lastmod is not None else None}
        details.update((link.get("hreflang"), link.get("href")) for link in url.findall(f"{XHTML}link"))
        listed[url.find(f"{SITEMAP}loc").text] = details
    return listed


def test_home_lists_and_published_details_in_both_languages(client, chang_e_6, pakistan):
    listed = sitemap(client)
    for path in ["/", "/missions/", "/partners/", "/missions/chang-e-6/", "/partners/pakistan/", "/partners/esa/"]:
        for language in ("en", "zh-hans"):
            assert f"http://testserver/{language}{path}" in listed, path
    assert len(listed) == 20  # and the timeline, landing sites, charts and figures (test_open_data_links)


def test_every_address_is_absolute_with_hreflang_alternates_and_answers(client, chang_e_6, pakistan):
    for loc, details in sitemap(client).items():
        assert loc.startswith("http://testserver/")
        assert set(details) == {"lastmod", "en", "zh-hans", "x-default"}
        assert loc in (details["en"], details["zh-hans"])
        for language in ("en", "zh-hans"):
            assert client.get(urlsplit(details[language]).path).status_code == 200, details[language]
        assert details["x-default"] == details["en"]  # as in each page's <head>


def test_detail_pages_carry_their_last_change(client, chang_e_6):
    listed = sitemap(client)
    lastmod = listed["http://testserver/en/missions/chang-e-6/"]["lastmod"]
    assert lastmod == chang_e_6.last_public_change.date().isoformat()
    assert listed["http://testserver/en/"]["lastmod"] is None


def test_drafts_scheduled_and_expired_content_is_not_listed(client, hidden):
    text = client.get("/sitemap.xml").content.decode()
    assert "zq-" not in text and MARK not in text


def test_every_published_mission_is_listed_however_many(client):
    for number in range(60):
        make_mission(slug=f"m-{number}")
    listed = sitemap(client)
    assert all(f"http://testserver/zh-hans/missions/m-{number}/" in listed for number in range(60))


def test_robots_txt_allows_public_pages_and_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Allow: /" in lines
    assert "Disallow: /admin/" in lines
    assert "Disallow: /*/preview/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert not any(line == "Disallow: /" for line in lines)


def test_robots_txt_lives_outside_the_language_prefixes(client):
    assert client.get("/en/robots.txt").status_code == 404
    assert client.post("/robots.txt").status_code == 405
