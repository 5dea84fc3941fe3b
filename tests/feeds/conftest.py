import datetime

import pytest
from django.utils import timezone

from tests.factories import DRAFT, make_agreement, make_mission, make_partner, make_payload, make_project

MARK = "Zqhidden"


@pytest.fixture
def hidden(pakistan, chang_e_6):
    """One of every kind the public may not see, each named with MARK and slugged "zq-…"."""
    draft_partner = make_partner(name=f"{MARK} Republic", slug="zq-republic", state=DRAFT)
    draft_mission = make_mission(name=f"{MARK} Mission", slug="zq-mission", state=DRAFT)
    make_payload(mission=draft_mission, name=f"{MARK} payload on a draft mission", providers=[pakistan])
    make_payload(mission=chang_e_6, name=f"{MARK} draft payload", providers=[pakistan], state=DRAFT)
    make_agreement(title=f"{MARK} draft agreement", parties=[pakistan], state=DRAFT)
    make_agreement(title=f"{MARK} agreement of a draft party only", parties=[draft_partner])
    make_project(name=f"{MARK} draft project", partners=[pakistan], state=DRAFT)
    soon = timezone.now() + datetime.timedelta(hours=1)
    make_mission(name=f"{MARK} Scheduled", slug="zq-scheduled", publish_at=soon)
    make_partner(name=f"{MARK} Scheduled partner", slug="zq-scheduled-partner", publish_at=soon)
    make_mission(name=f"{MARK} Expired", slug="zq-expired", unpublish_at=timezone.now() - datetime.timedelta(hours=1))
