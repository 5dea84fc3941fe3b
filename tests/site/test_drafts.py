"""Drafts never leak: no public page, count, filter option or search result shows one."""

import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from tests.factories import (
    DRAFT,
    make_agreement,
    make_milestone,
    make_mission,
    make_partner,
    make_payload,
    make_project,
)

pytestmark = pytest.mark.django_db

MARK = "Zqdraft"


@pytest.fixture
def world(chang_e_6, pakistan):
    """Published content, and beside it a draft of every kind, each named with MARK."""
    draft_partner = make_partner(
        name=f"{MARK} Republic", name_zh="草稿国", slug="zqdraft-republic", country="IS", ilrs_member=True, state=DRAFT
    )
    draft_mission = make_mission(
        name=f"{MARK} Mission",
        slug="zqdraft-mission",
        state=DRAFT,
        side="far",
        status="planned",
        latitude=-40,
        longitude=170,
    )
    make_milestone(draft_mission, title=f"{MARK} milestone")
    make_payload(mission=draft_mission, name=f"{MARK} payload on draft mission", providers=[pakistan])
    make_payload(mission=chang_e_6, name=f"{MARK} draft payload", providers=[pakistan], state=DRAFT)
    make_payload(mission=chang_e_6, name="Published payload from a draft partner", providers=[draft_partner])
    make_agreement(title=f"{MARK} agreement", parties=[pakistan], state=DRAFT)
    make_agreement(title="Published agreement", parties=[pakistan, draft_partner])
    make_project(name=f"{MARK} project", partners=[pakistan], state=DRAFT)
    return draft_partner


def public_urls():
    urls = [
        "/en/",
        "/en/missions/",
        "/en/partners/",
        "/en/missions/chang-e-6/",
        "/en/partners/pakistan/",
        "/en/partners/esa/",
        "/en/missions/timeline/",
        "/en/missions/landing-sites/",
        "/en/partners/charts/",
    ]
    for query in [
        "q=Zqdraft",
        "side=far",
        "status=planned",
        "partner=IS",
        "partner=zqdraft-republic",
        "international=1",
        "partner=PK",
    ]:
        urls.append(f"/en/missions/?{query}")
    for query in ["q=Zqdraft", "ilrs=1", "kind=country", "region=asia"]:
        urls.append(f"/en/partners/?{query}")
    for query in ["Zqdraft", "草稿国", "IS", "ISL", "Pakistan", "Zqdraf Republic"]:
        urls.append(f"/en/search/?q={query}")
    # The same pages in Chinese.
    return urls + [url.replace("/en/", "/zh-hans/", 1) for url in urls]


@pytest.mark.parametrize("url", public_urls())
def test_no_public_page_shows_a_draft(client, world, url):
    response = client.get(url)
    assert response.status_code == 200
    page = without_echoes(response.content.decode(), url)
    for leak in [MARK, "草稿国", "zqdraft-republic"]:
        assert leak not in page


def without_echoes(page: str, url: str) -> str:
    """The page minus the places that repeat the visitor's own words back: the title, the
    form values, the quoted query, the error message naming an unknown partner, and the links
    to this same page in other languages."""
    query = url.partition("?")[2]
    if query:
        page = re.sub(rf'href="[^"?]*\?{re.escape(escape(query))}"', "", page)
    page = re.sub(r"<title>.*?</title>", "", page, flags=re.S)
    page = re.sub(r'value="[^"]*"', "", page)
    page = re.sub(r'href="\?[^"]*"', "", page)
    return re.sub(r"“[^”]*”", "", page)


@pytest.mark.parametrize("url", ["/en/missions/zqdraft-mission/", "/en/partners/zqdraft-republic/"])
def test_draft_detail_pages_are_not_found(client, world, url):
    assert client.get(url).status_code == 404


def test_home_counts_ignore_drafts(client, world):
    context = client.get(reverse("home")).context
    assert context["mission_count"] == 1
    assert context["international_payload_count"] == 3  # ICUBE-Q, NILS, and the payload from a draft partner
    assert context["partner_nation_count"] == 1  # Pakistan; ESA is an organisation, the draft is hidden
    assert context["agreement_count"] == 1


def test_partner_suggestions_in_the_filter_form_are_published_only(client, world):
    page = client.get("/en/missions/").content.decode()
    assert '<option value="pakistan">' in page
    assert "zqdraft-republic" not in page
