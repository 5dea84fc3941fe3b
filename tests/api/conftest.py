import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from partners.models import Figure
from tests.factories import (
    DRAFT,
    PUBLISHED,
    make_agreement,
    make_milestone,
    make_mission,
    make_partner,
    make_payload,
    make_project,
)

# Drafts of every kind carry this in their names, so that a leak shows up in any response.
MARK = "Zqdraft"


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    """The API's rate limit counts requests in the cache: each test starts with a clean slate."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(chang_e_6, pakistan, esa):
    """Published content of every kind, and beside it a draft of every kind (named with MARK),
    including drafts nested in published records."""
    chang_e_4 = make_mission(
        name="Chang'e-4",
        name_zh="嫦娥四号",
        slug="chang-e-4",
        side="far",
        status="operating",
        types=("lander", "rover"),
    )
    chang_e_6.related_missions.add(chang_e_4)
    make_milestone(chang_e_6, title="Launch of Chang'e-6")
    make_agreement(title="Pakistan joins the ILRS", slug="pakistan-ilrs", parties=[pakistan])
    make_project(name="PakSat-1R", slug="paksat-1r", partners=[pakistan], kind="communications")

    draft_partner = make_partner(
        name=f"{MARK} Republic", name_zh="草稿国", slug="zqdraft-republic", country="IS", ilrs_member=True, state=DRAFT
    )
    draft_mission = make_mission(name=f"{MARK} Mission", slug="zqdraft-mission", state=DRAFT, side="far")
    chang_e_6.related_missions.add(draft_mission)
    make_payload(mission=draft_mission, name=f"{MARK} payload on a draft mission", providers=[pakistan])
    make_payload(mission=chang_e_6, name=f"{MARK} draft payload", providers=[pakistan], state=DRAFT)
    make_payload(mission=chang_e_6, name="Joint payload", acronym="JOINT", providers=[esa, draft_partner])
    make_agreement(title=f"{MARK} agreement", slug="zqdraft-agreement", parties=[pakistan], state=DRAFT)
    make_agreement(title="Published agreement with a draft party", parties=[pakistan, draft_partner])
    make_project(name=f"{MARK} project", slug="zqdraft-project", partners=[pakistan], state=DRAFT)
    make_project(name="Published project with a draft partner", partners=[esa, draft_partner])
    figures = [
        ("ilrs-partners", "18", "ILRS partners listed", PUBLISHED),
        ("zqdraft-figure", "99", f"{MARK} figure", DRAFT),
    ]
    for key, value, label, state in figures:
        figure = Figure.objects.create(
            key=key, value_en=value, label_en=label, as_of=datetime.date(2026, 11, 25), editorial_state=state
        )
        figure.sources.create(url=f"https://example.org/{key}", title=f"Source of {label}", publisher="CNSA")
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    make_mission(name=f"{MARK} scheduled mission", slug="zqdraft-scheduled", publish_at=tomorrow, side="far")
    make_partner(name=f"{MARK} expired partner", slug="zqdraft-expired", unpublish_at=timezone.now(), ilrs_member=True)
    return {"draft_partner": draft_partner, "draft_mission": draft_mission, "chang_e_4": chang_e_4}
