"""Cite this page: a reference to copy, in the visitor's language, and a BibTeX download."""

import datetime
import re

import pytest
from django.utils import timezone

from publishing.citation import Citation
from tests.factories import DRAFT, make_mission, make_partner

pytestmark = pytest.mark.django_db


def cite_block(client, url) -> str:
    page = client.get(url).content.decode()
    return page[page.index('<section class="cite"') :].split("</section>", 1)[0]


@pytest.fixture
def sourced(chang_e_6):
    chang_e_6.sources.create(url="https://example.org/cnsa", title="Chang'e-6 returns", publisher="CNSA")
    chang_e_6.sources.create(url="https://example.org/esa", title="NILS on the far side")
    saved_on = datetime.datetime(2024, 6, 25, tzinfo=datetime.UTC)
    type(chang_e_6).objects.filter(pk=chang_e_6.pk).update(updated_at=saved_on)
    return chang_e_6


def test_the_citation_names_title_site_address_dates_and_sources(client, sourced):
    block = cite_block(client, "/en/missions/chang-e-6/")
    today = timezone.localdate()
    expected = (
        "“Chang&#x27;e-6 / 嫦娥六号”. lunarportal. Last updated 25 June 2024. "
        f"http://testserver/en/missions/chang-e-6/ (retrieved {today.day} {today:%B %Y}). "
        "Sources: Chang&#x27;e-6 returns (CNSA); NILS on the far side."
    )
    assert f'<p class="citation">{expected}</p>' in block
    assert f'<time datetime="{today.isoformat()}">' in block
    assert "<script" not in block and "<button" not in block  # text to select, no script needed


def test_the_citation_speaks_the_visitors_language(client, sourced):
    block = cite_block(client, "/zh-hans/missions/chang-e-6/")
    today = timezone.localdate()
    assert "嫦娥六号 / Chang&#x27;e-6" in block
    assert "http://testserver/zh-hans/missions/chang-e-6/" in block
    assert f"{today.year}年{today.month}月{today.day}日" in block
    assert "2024年6月25日" in block


def test_a_partner_page_has_the_block_too(client, pakistan):
    pakistan.sources.create(url="https://example.org/pk", title="Pakistan joins", publisher="Xinhua")
    block = cite_block(client, "/en/partners/pakistan/")
    assert "Pakistan / 巴基斯坦" in block and "Pakistan joins (Xinhua)" in block
    assert 'href="/en/partners/pakistan/cite.bib"' in block


def test_bibtex_download(client, sourced):
    response = client.get("/en/missions/chang-e-6/cite.bib")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-bibtex; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="lunarportal-chang-e-6.bib"'
    text = response.content.decode()
    assert text.startswith("@misc{lunarportal-chang-e-6,\n")
    assert "  title = {{Chang'e-6 / 嫦娥六号}},\n" in text
    assert "  url = {http://testserver/en/missions/chang-e-6/},\n" in text
    assert f"  urldate = {{{timezone.localdate().isoformat()}}},\n" in text
    assert "Last updated 2024-06-25. Sources: Chang'e-6 returns (CNSA); NILS on the far side" in text
    assert text.count("{") == text.count("}")


def test_bibtex_escapes_what_tex_would_read_as_commands():
    citation = Citation(
        key="k",
        title="50% of {x} & #1 $ _ ~ ^ \\end",
        url="https://example.org/{a}",
        updated=timezone.now(),
        sources=[],
    )
    title = re.search(r"title = \{\{(.*)\}\},", citation.bibtex).group(1)
    assert title == r"50\% of \{x\} \& \#1 \$ \_ \textasciitilde{} \textasciicircum{} \textbackslash{}end"
    assert "url = {https://example.org/a}" in citation.bibtex


@pytest.mark.parametrize(
    "url",
    ["/en/missions/unknown/cite.bib", "/en/missions/draft/cite.bib", "/en/partners/draft-p/cite.bib"],
)
def test_no_citation_for_what_is_not_public(client, url):
    make_mission(slug="draft", state=DRAFT)
    make_partner(slug="draft-p", state=DRAFT)
    assert client.get(url).status_code == 404
