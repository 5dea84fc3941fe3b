"""Atom feeds: the site's new and updated content, and one feed per mission and per partner."""

import datetime
import html
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import reversion
from defusedxml import ElementTree
from django.utils import timezone

from publishing import caching
from publishing.syndication import FEED_LENGTH
from tests.factories import make_agreement, make_mission, make_project

from .conftest import MARK

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
XSS = [line for line in (Path(__file__).parent.parent / "data" / "xss.txt").read_text().splitlines() if line]


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ElementTree.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{required}").text, required
    return root


def entries(root):
    found = []
    for entry in root.findall(f"{ATOM}entry"):
        for required in ("id", "title", "updated", "summary"):
            assert entry.find(f"{ATOM}{required}") is not None, required
        found.append(
            {
                "id": entry.find(f"{ATOM}id").text,
                "title": entry.find(f"{ATOM}title").text,
                "link": entry.find(f"{ATOM}link").get("href"),
                "updated": datetime.datetime.fromisoformat(entry.find(f"{ATOM}updated").text),
                # The summary is typed as HTML: unescaped once, it is the text as written.
                "summary": html.unescape(entry.find(f"{ATOM}summary").text or ""),
            }
        )
    return found


@pytest.fixture
def content(chang_e_6, pakistan, esa):
    make_agreement(title="ILRS memorandum", slug="ilrs-memo", parties=[pakistan])
    make_project(name="PRSS-1", slug="prss-1", partners=[pakistan])
    return chang_e_6


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_site_feed_is_valid_atom_with_every_kind_of_content(client, content, language):
    root = parse(client, f"/{language}/feed/")
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == language
    assert root.find(f"{ATOM}author/{ATOM}name").text == "lunarportal"
    found = entries(root)
    titles = [entry["title"] for entry in found]
    mission_title = "Chang'e-6" if language == "en" else "嫦娥六号"
    assert mission_title in titles
    assert "ILRS memorandum" in titles and "PRSS-1" in titles
    assert any(title.startswith("NILS") for title in titles)
    assert len({entry["id"] for entry in found}) == len(found), "entry ids are unique"
    assert all(entry["link"].startswith("http://testserver/") for entry in found)


def test_entries_are_newest_first(client, content):
    found = entries(parse(client, "/en/feed/"))
    dates = [entry["updated"] for entry in found]
    assert dates == sorted(dates, reverse=True)


@pytest.mark.parametrize("url", ["/en/feed/", "/zh-hans/feed/", "/en/partners/pakistan/feed/"])
def test_every_entry_links_to_a_real_page_and_place(client, content, url):
    for entry in entries(parse(client, url)):
        link = urlsplit(entry["link"])
        page = client.get(link.path)
        assert page.status_code == 200, entry["link"]
        if link.fragment:
            assert f'id="{link.fragment}"' in page.content.decode(), entry["link"]


def test_the_feed_is_bounded(client):
    for number in range(FEED_LENGTH + 5):
        make_mission(slug=f"m-{number}")
    assert len(entries(parse(client, "/en/feed/"))) == FEED_LENGTH


def test_a_scheduled_mission_enters_the_feed_dated_by_its_publish_time(client):
    mission = make_mission(name="Later", slug="later", publish_at=timezone.now() + datetime.timedelta(hours=1))
    assert "Later" not in [entry["title"] for entry in entries(parse(client, "/en/feed/"))]
    went_public = (timezone.now() - datetime.timedelta(seconds=5)).replace(microsecond=0)
    saved_before = went_public - datetime.timedelta(hours=2)
    type(mission).objects.filter(pk=mission.pk).update(publish_at=went_public, updated_at=saved_before)
    caching.bump()  # update() moved the time behind the app's back; an hour's wait would not need this
    entry = next(e for e in entries(parse(client, "/en/feed/")) if e["title"] == "Later")
    assert entry["updated"] == went_public


@pytest.mark.parametrize(
    "url",
    [
        "/en/feed/",
        "/zh-hans/feed/",
        "/en/partners/pakistan/feed/",
        "/zh-hans/partners/pakistan/feed/",
        "/en/missions/chang-e-6/feed/",
    ],
)
def test_drafts_and_scheduled_content_never_appear(client, content, hidden, url):
    text = client.get(url).content.decode()
    assert MARK not in text
    assert "zq-" not in text


@pytest.mark.parametrize(
    "url",
    [
        "/en/missions/unknown/feed/",
        "/en/missions/zq-mission/feed/",
        "/en/missions/zq-scheduled/feed/",
        "/en/partners/unknown/feed/",
        "/en/partners/zq-republic/feed/",
        "/zh-hans/partners/zq-scheduled-partner/feed/",
    ],
)
def test_unknown_draft_or_scheduled_items_have_no_feed(client, hidden, url):
    assert client.get(url).status_code == 404


def test_a_mission_feed_follows_its_public_changes(client, content, publisher):
    with reversion.create_revision():
        reversion.set_user(publisher)
        content.save()
    with reversion.create_revision():
        reversion.set_user(publisher)
        content.summary = "A fuller summary."
        content.save()
    root = parse(client, "/en/missions/chang-e-6/feed/")
    assert root.find(f"{ATOM}title").text == "Chang'e-6 — lunarportal"
    found = entries(root)
    assert [entry["summary"] for entry in found] == ["Summary updated", "Published"]
    assert all(urlsplit(entry["link"]).path == "/en/missions/chang-e-6/" for entry in found)
    page = client.get("/en/missions/chang-e-6/").content.decode()
    for entry in found:
        assert f'id="{urlsplit(entry["link"]).fragment}"' in page
    assert "pat" not in client.get("/en/missions/chang-e-6/feed/").content.decode()


def test_a_partner_feed_lists_what_it_takes_part_in(client, content):
    titles = [entry["title"] for entry in entries(parse(client, "/en/partners/pakistan/feed/"))]
    assert "Pakistan" in titles
    assert "ILRS memorandum" in titles and "PRSS-1" in titles
    assert "ICUBE-Q on Chang'e-6" in titles
    assert not any(title.startswith("NILS") for title in titles)  # ESA's payload


@pytest.mark.parametrize("payload", [*XSS, "]]><x>&", "<!--", "</feed>"])
def test_hostile_names_stay_text_in_the_feed(client, payload):
    make_mission(name=payload, slug="hostile", summary=payload)
    for url in ("/en/feed/", "/en/missions/hostile/feed/"):
        found = entries(parse(client, url))
        assert found[0]["title"] == payload
        assert found[0]["summary"] == payload


@pytest.mark.parametrize(
    "url, feed",
    [
        ("/en/", "/en/feed/"),
        ("/zh-hans/missions/", "/zh-hans/feed/"),
        ("/en/missions/chang-e-6/", "/en/missions/chang-e-6/feed/"),
        ("/en/partners/pakistan/", "/en/partners/pakistan/feed/"),
    ],
)
def test_pages_announce_their_feeds(client, content, url, feed):
    page = client.get(url).content.decode()
    assert 'type="application/atom+xml"' in page
    assert f'href="{feed}"' in page
