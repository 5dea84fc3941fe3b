"""Drafts never leak: counts, filter options and detail addresses. The walk of every public page,
feed, export and API address for hidden records is tests/hostile/test_drafts_crawl.py."""

import pytest
from django.urls import reverse

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
