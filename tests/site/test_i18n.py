"""The portal in English and Simplified Chinese: prefixed URLs, a switcher that keeps the page
and its filters, hreflang alternates, translated interface, dates in each language's format."""

import datetime
import re

import pytest
from django.urls import set_script_prefix
from django.utils import translation
from django.utils.html import escape

from publishing.models import DatePrecision, format_approximate_date
from tests.factories import make_mission, make_payload

pytestmark = pytest.mark.django_db

PAGES = ["/", "/missions/", "/missions/chang-e-6/", "/partners/", "/partners/pakistan/", "/search/?q=Pakistan"]


@pytest.fixture
def program(chang_e_6):
    chang_e_6.launch_date = datetime.date(2024, 5, 3)
    chang_e_6.save()
    return chang_e_6


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_every_page_type_in_both_languages(client, program, page, language):
    response = client.get(f"/{language}{page}")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    # The alternates are the canonical pages: a search's words are not part of them.
    canonical = page.partition("?")[0]
    for alternate in ["en", "zh-hans"]:
        assert f'hreflang="{alternate}" href="http://testserver/{alternate}{canonical}"' in html
    assert f'hreflang="x-default" href="http://testserver/en{canonical}"' in html


def test_interface_is_in_chinese(client, program):
    html = client.get("/zh-hans/missions/?side=far").content.decode()
    assert "<h1>任务</h1>" in html
    assert "筛选" in html and "应用筛选" in html
    assert "月球背面 (1)" in html  # the facet label, translated, with its count


def test_names_come_in_the_visitors_language_first(client, program):
    chinese = client.get("/zh-hans/missions/chang-e-6/").content.decode().replace("\n</h1>", "</h1>")
    english = client.get("/en/missions/chang-e-6/").content.decode().replace("\n</h1>", "</h1>")
    assert '<h1><span lang="zh-Hans">嫦娥六号</span> <span lang="en" class="zh">Chang&#x27;e-6</span></h1>' in chinese
    assert '<h1><span lang="en">Chang&#x27;e-6</span> <span lang="zh-Hans" class="zh">嫦娥六号</span></h1>' in english


def test_dates_follow_the_language(client, program):
    assert "3 May 2024 (UTC)" in client.get("/en/missions/chang-e-6/").content.decode()
    assert "2024年5月3日（协调世界时）" in client.get("/zh-hans/missions/chang-e-6/").content.decode()


def test_switcher_keeps_the_page_and_its_filters(client, program):
    html = client.get("/en/missions/?side=far&status=completed").content.decode()
    assert 'href="/zh-hans/missions/?side=far&amp;status=completed" hreflang="zh-hans"' in html
    html = client.get("/zh-hans/partners/pakistan/").content.decode()
    assert 'href="/en/partners/pakistan/" hreflang="en"' in html


def test_the_header_and_footer_follow_the_section_and_the_language_whatever_came_first(client, program):
    """Whatever page a process served before, each page has its own section's and language's."""
    client.get("/en/partners/")
    missions = client.get("/en/missions/").content.decode()
    assert '<a href="/en/missions/" aria-current="page">Missions</a>' in missions
    assert 'aria-current="page">Partners' not in missions
    home = client.get("/en/").content.decode()
    assert 'aria-current="page"' not in home.partition("</nav>")[0]
    chinese = client.get("/zh-hans/missions/").content.decode()
    assert '<a href="/zh-hans/missions/" aria-current="page">任务</a>' in chinese
    assert 'href="/zh-hans/partners/"' in chinese.partition("</header>")[0]
    footer = chinese.partition('<footer class="site-footer">')[2]
    assert 'href="/zh-hans/search/"' in footer and 'href="/en/' not in footer


def test_a_bare_address_redirects_to_the_visitors_language_keeping_the_query(client, program):
    response = client.get("/missions/?side=far")
    assert (response.status_code, response["Location"]) == (302, "/en/missions/?side=far")
    response = client.get("/missions/?side=far", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
    assert response["Location"] == "/zh-hans/missions/?side=far"


@pytest.mark.parametrize("url", ["/fr/missions/", "/xx-yy-zz/missions/", "/" + "a" * 10_000 + "/missions/"])
def test_unknown_languages_are_not_found(client, url):
    assert client.get(url).status_code == 404


def test_junk_language_headers_and_cookies_fall_back_to_english(client, program):
    client.cookies["django_language"] = "<script>"
    response = client.get("/missions/", HTTP_ACCEPT_LANGUAGE="x" * 8000 + ",zz;q=0.1" * 1000)
    assert response["Location"] == "/en/missions/"


def test_counts_and_plurals_are_translated(client, pakistan):
    mission = make_mission(slug="one")
    make_payload(mission=mission, providers=[pakistan])
    assert "1 个国际载荷" in client.get("/zh-hans/missions/").content.decode()
    assert "1 international payload<" in client.get("/en/missions/").content.decode()


def test_the_admin_speaks_the_editors_language(client):
    assert "用户名" in client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "Username" in client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_english_only_text_is_marked_as_english_on_chinese_pages(client, program):
    """Summaries and bodies are not translated yet: screen readers must read them as English."""
    html = client.get("/zh-hans/missions/chang-e-6/").content.decode()
    assert f'<p class="lede" lang="en">{escape(program.summary)}</p>' in html


def test_the_switcher_marks_the_language_the_page_is_in(client, program):
    html = client.get("/zh-hans/missions/").content.decode()
    assert '<a href="/zh-hans/missions/" hreflang="zh-hans" lang="zh-hans" aria-current="true">简体中文</a>' in html
    assert '<a href="/en/missions/" hreflang="en" lang="en">English</a>' in html


def test_a_hostile_query_stays_inert_in_the_language_links(client, program):
    html = client.get('/en/missions/?utm_source="><script>alert(1)</script>').content.decode()
    assert "<script>alert" not in html
    hostile = "?utm_source=%22%3E%3Cscript%3Ealert(1)%3C/script%3E"
    assert '<link rel="alternate" hreflang="zh-hans" href="http://testserver/zh-hans/missions/">' in html
    assert f'<li><a href="/zh-hans/missions/{hostile}" hreflang="zh-hans" lang="zh-hans">简体中文</a></li>' in html


@pytest.mark.parametrize("path", ["//evil.example/x", "/en/no-such-page/", "/en//evil.example"])
def test_a_missing_pages_alternates_stay_on_this_site(client, path):
    response = client.get("/", {"next": "//evil.example"}, PATH_INFO=path)  # as a server passes it on
    assert response.status_code == 404
    links = re.findall(r'<link rel="alternate" hreflang="[^"]+" href="([^"]+)"', response.content.decode())
    assert len(links) == 3  # both languages and x-default
    assert all(link.startswith("http://testserver/") for link in links), links


def test_the_switcher_follows_the_prefix_the_site_is_served_under(client, program):
    """Each page's addresses in other languages are worked out once and remembered: for the
    prefix a proxy serves the site under too (SCRIPT_NAME, which Django's WSGI handler sets as
    the script prefix and its test client does not)."""
    assert 'href="/zh-hans/missions/" hreflang="zh-hans"' in client.get("/en/missions/").content.decode()
    set_script_prefix("/portal/")
    try:
        html = client.get("/en/missions/", SCRIPT_NAME="/portal").content.decode()
    finally:
        set_script_prefix("/")
    assert 'href="/portal/zh-hans/missions/" hreflang="zh-hans"' in html
    assert 'href="/zh-hans/missions/?again" hreflang="zh-hans"' in client.get("/en/missions/?again").content.decode()


def test_a_date_known_to_the_year_only_reads_as_a_year_in_each_language():
    day = datetime.date(2024, 6, 2)
    with translation.override("zh-hans"):
        assert format_approximate_date(day, DatePrecision.YEAR) == "2024年"
        assert format_approximate_date(day, DatePrecision.MONTH) == "2024年6月"
        assert format_approximate_date(day, DatePrecision.DAY) == "2024年6月2日"
    with translation.override("en"):
        assert format_approximate_date(day, DatePrecision.YEAR) == "2024"
