"""The program in figures (/figures/, issue 23 point 8): the seed's figures with their dates and
sources, in both languages; where sources disagree, both values; drafts nowhere; editors keep
them in the admin like any other content."""

import datetime
import re
from html import unescape

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from partners.models import Figure
from tests.factories import DRAFT, PUBLISHED
from tests.query_counts import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db


def make_figure(key: str, value: str, label: str, state=PUBLISHED, sources=1, **fields) -> Figure:
    fields.setdefault("as_of", datetime.date(2024, 9, 26))
    figure = Figure.objects.create(key=key, value_en=value, label_en=label, editorial_state=state, **fields)
    for number in range(sources):
        figure.sources.create(url=f"https://example.org/{key}/{number}", title=f"Source {number} of {key}")
    return figure


def text_of(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.fixture
def demo():
    call_command("load_demo_content", verbosity=0)


def test_the_seeds_figures_show_with_their_dates_and_sources(client, demo):
    page = text_of(client.get("/en/figures/").content.decode())
    assert "2004 Year China's lunar exploration program began (as of 26 September 2024)" in page
    assert "150+ intergovernmental space cooperation agreements" in page
    assert "more than 50 countries" in page
    # CNSA's count beside the portal's own, with the reason they differ.
    assert "17 countries and international organisations" in page and "18 ILRS partners listed on this portal" in page
    assert "CNSA states a count but publishes no list" in page
    # Where sources disagree on Chang'e-8's launch, both values with their own dates.
    assert "2028 planned launch year of Chang'e-8, according to the seed article" in page
    assert "around 2029 planned launch of Chang'e-8, as CNSA announced it" in page


def test_every_figure_of_the_demo_cites_a_source_with_its_publisher_and_date(client, demo):
    figures = list(Figure.objects.published().prefetch_related("sources"))
    assert len(figures) == 17
    assert [figure.key for figure in figures if not figure.sources.all()] == []
    assert all(source.publisher and source.as_of for figure in figures for source in figure.sources.all())
    # The seed article was never given a web address: cited by its title and publisher, as text.
    html = client.get("/en/figures/").content.decode()
    seed = "Xinhua, 26 September 2024: China&#x27;s lunar program and its space cooperation"
    assert seed in html
    assert not re.search(r"<a [^>]*>Xinhua, 26 September 2024", html)


def test_the_chinese_page_reads_as_chinese(client, demo):
    html = client.get("/zh-hans/figures/").content.decode()
    page = text_of(html)
    assert "数说探月工程" in page
    assert "150余项" in page
    assert "（截至2024年9月26日）" in page
    # What the file has no Chinese for is marked as English, nothing more.
    english = re.findall(r'<(?:strong|span|p)[^>]*lang="en"[^>]*>([^<]*)<', html)
    assert not [text for text in english if text and re.search(r"[\u4e00-\u9fff]", text)]


def test_a_figure_in_a_group_shows_beside_the_others(client):
    make_figure("count-a", "17", "partners as CNSA counts them", group="ilrs", position=1)
    make_figure("count-b", "18", "partners listed here", group="ilrs", position=2, note="CNSA publishes no list.")
    make_figure("alone", "2004", "program began", position=0)
    groups = Figure.objects.published().in_groups()
    assert [[figure.key for figure in group] for group in groups] == [["alone"], ["count-a", "count-b"]]
    page = text_of(client.get("/en/figures/").content.decode())
    assert "Several values, from different dates or sources:" in page
    assert page.count("CNSA publishes no list.") == 1


def test_a_draft_figure_is_nowhere(client):
    make_figure("public", "6", "payloads selected")
    make_figure("secret", "99", "Zqdraft proposals", state=DRAFT)
    for url in ["/en/figures/", "/zh-hans/figures/", "/sitemap.xml", "/en/"]:
        body = client.get(url).content.decode()
        assert "Zqdraft" not in body and "secret" not in body, url
    assert "6" in text_of(client.get("/en/figures/").content.decode())


def test_no_figure_published_says_so(client):
    make_figure("secret", "99", "proposals", state=DRAFT)
    assert "No figures are published yet." in client.get("/en/figures/").content.decode()


@pytest.mark.usefixtures("no_page_cache")
def test_the_figures_page_runs_as_many_queries_for_30_figures_as_for_3(client):
    for number in range(3):
        make_figure(f"f{number}", str(number), f"figure {number}", group=f"g{number % 2}", sources=2)

    def grow():
        for number in range(3, 30):
            make_figure(f"f{number}", str(number), f"figure {number}", group=f"g{number % 5}", sources=2)

    assert_queries_do_not_grow(client, {"/en/figures/": 4, "/zh-hans/figures/": 4}, grow, rows="30 figures")


def test_editors_write_figures_and_only_publishers_publish_them():
    editors = set(Group.objects.get(name="Editors").permissions.values_list("codename", flat=True))
    publishers = set(Group.objects.get(name="Publishers").permissions.values_list("codename", flat=True))
    assert {"add_figure", "change_figure", "add_figuresource"} <= editors
    assert "publish_figure" not in editors and "publish_figure" in publishers


def test_a_publisher_adds_a_figure_with_its_source_in_the_admin(publisher_client, client):
    response = publisher_client.post(
        "/admin/partners/figure/add/",
        {
            "editorial_state": "published",
            "value_en": "41",
            "value_zh_hans": "41项",
            "label_en": "proposals received for Chang'e-8",
            "label_zh_hans": "嫦娥八号收到的合作申请",
            "as_of_0": "2025-04-24",
            "as_of": "2025-04-24",
            "as_of_precision": "day",
            "key": "change8-proposals",
            "group": "",
            "position": "0",
            "sources-TOTAL_FORMS": "1",
            "sources-INITIAL_FORMS": "0",
            "sources-0-url": "https://www.cnsa.gov.cn/example",
            "sources-0-title": "CNSA announcement",
            "sources-0-publisher": "CNSA",
            "sources-0-as_of": "2025-04-24",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    page = text_of(client.get("/zh-hans/figures/").content.decode())
    assert "41项 嫦娥八号收到的合作申请" in page and "CNSA announcement" in page


def figure_with_a_source(url: str, publisher: str) -> dict:
    return {
        "editorial_state": "published",
        "value_en": "150+",
        "label_en": "space cooperation agreements",
        "as_of_0": "2023-11-01",
        "as_of": "2023-11-01",
        "as_of_precision": "month",
        "key": "agreements",
        "group": "",
        "position": "0",
        "sources-TOTAL_FORMS": "1",
        "sources-INITIAL_FORMS": "0",
        "sources-0-url": url,
        "sources-0-title": "An article never put online",
        "sources-0-publisher": publisher,
        "sources-0-as_of": "2024-09-26",
    }


def test_a_source_without_a_web_address_is_kept_with_its_publisher(publisher_client, client):
    response = publisher_client.post("/admin/partners/figure/add/", figure_with_a_source("", "Xinhua"))
    assert response.status_code == 302, response.content.decode()[:3000]
    page = client.get("/en/figures/").content.decode()
    assert "An article never put online — Xinhua" in text_of(page)
    assert not re.search(r"<a [^>]*>An article never put online", page)
    source = client.get("/api/v1/figures/agreements/").json()["sources"][0]
    assert source == {"url": None, "title": "An article never put online", "publisher": "Xinhua", "as_of": "2024-09-26"}


def test_a_source_with_neither_address_nor_publisher_is_refused_with_a_message(publisher_client):
    response = publisher_client.post("/admin/partners/figure/add/", figure_with_a_source("", ""))
    assert response.status_code == 200
    assert "A source without a web address needs its publisher" in response.content.decode()
    assert not Figure.objects.exists()


def test_a_figure_without_a_date_is_refused_with_a_message(publisher_client):
    response = publisher_client.post(
        "/admin/partners/figure/add/",
        {
            "editorial_state": "draft",
            "value_en": "1",
            "label_en": "x",
            "key": "x",
            "position": "0",
            "as_of_precision": "day",
            "sources-TOTAL_FORMS": "0",
            "sources-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Figure.objects.exists()
