"""Content for the hostile-input suites: published records of every kind, and beside them every
way a record can be hidden from the public (draft, in review, unpublished, scheduled, expired),
each hidden record carrying its own marker in its names, texts and slug, so that a leak names
the record that leaked."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from missions.models import Milestone, MissionImage, MissionSource
from partners.models import Figure, PartnerSource
from publishing.models import EditorialState
from tests.factories import make_agreement, make_milestone, make_mission, make_partner, make_payload, make_project

# Each hidden record's marker; lower-cased it is (part of) the record's slug.
HIDDEN = {
    "draft mission": "Qxdraftmission",
    "mission in review": "Qxreviewmission",
    "unpublished mission": "Qxunpubmission",
    "scheduled mission": "Qxschedmission",
    "expired mission": "Qxexpiredmission",
    "draft partner": "Qxdraftpartner",
    "partner in review": "Qxreviewpartner",
    "scheduled partner": "Qxschedpartner",
    "expired partner": "Qxexpiredpartner",
    "draft payload": "Qxdraftpayload",
    "payload on a draft mission": "Qxpayloadondraft",
    "milestone of a draft mission": "Qxdraftmilestone",
    "source of a draft mission": "Qxdraftsource",
    "image of a draft mission": "Qxdraftimage",
    "draft agreement": "Qxdraftagreement",
    "scheduled agreement": "Qxschedagreement",
    "draft project": "Qxdraftproject",
    "expired project": "Qxexpiredproject",
    "draft figure": "Qxdraftfigure",
    "expired figure": "Qxexpiredfigure",
}
# The Chinese names of hidden records: leaks in the Chinese pages and search.
HIDDEN_ZH = {"draft mission": "草稿任务", "draft partner": "草稿国家"}


def png_bytes(size=(60, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "gray").save(buffer, "PNG")
    return buffer.getvalue()


def _hidden_mission(key, **fields):
    marker = HIDDEN[key]
    return make_mission(
        name=f"{marker} Lunar Probe",
        slug=marker.lower(),
        summary=f"{marker} summary of a hidden mission.",
        body=f"<p>{marker} body.</p>",
        landing_site=f"{marker} crater",
        side="far",
        status="planned",
        latitude=-44,
        longitude=176,
        types=("lander", "rover"),
        **fields,
    )


def _hidden_partner(key, **fields):
    marker = HIDDEN[key]
    return make_partner(
        name=f"{marker} Republic",
        slug=marker.lower(),
        summary=f"{marker} summary of a hidden partner.",
        ilrs_member=True,
        **fields,
    )


@pytest.fixture
def hidden_world(chang_e_6, pakistan, esa):
    """Published content of every kind (missions with payloads, milestones, sources and an
    image; partners; agreements; projects) and, beside it and inside it, one hidden record of
    every kind and state. Returns the published and hidden records by name."""
    now = timezone.now()
    later, earlier = now + datetime.timedelta(days=2), now - datetime.timedelta(days=2)
    chang_e_4 = make_mission(name="Chang'e-4", name_zh="嫦娥四号", slug="chang-e-4", side="far", status="operating")
    chang_e_6.related_missions.add(chang_e_4)
    make_milestone(chang_e_6, title="Launch of Chang'e-6")
    MissionSource.objects.create(mission=chang_e_6, url="https://www.cnsa.gov.cn/", title="CNSA news")
    MissionImage.objects.create(
        mission=chang_e_6, image=SimpleUploadedFile("lander.png", png_bytes()), alt_text="The lander"
    )
    PartnerSource.objects.create(partner=pakistan, url="https://suparco.gov.pk/", title="SUPARCO")
    make_agreement(title="Pakistan joins the ILRS", slug="pakistan-ilrs", parties=[pakistan])
    make_project(name="PakSat-1R", slug="paksat-1r", partners=[pakistan], kind="communications")

    draft_mission = _hidden_mission("draft mission", name_zh=HIDDEN_ZH["draft mission"], state=EditorialState.DRAFT)
    _hidden_mission("mission in review", state=EditorialState.IN_REVIEW)
    _hidden_mission("unpublished mission", state=EditorialState.UNPUBLISHED)
    _hidden_mission("scheduled mission", publish_at=later)
    _hidden_mission("expired mission", publish_at=earlier, unpublish_at=now)
    chang_e_6.related_missions.add(draft_mission)

    draft_partner = _hidden_partner(
        "draft partner", name_zh=HIDDEN_ZH["draft partner"], country="IS", state=EditorialState.DRAFT
    )
    _hidden_partner("partner in review", country="NO", state=EditorialState.IN_REVIEW)
    scheduled_partner = _hidden_partner("scheduled partner", country="FI", publish_at=later)
    _hidden_partner("expired partner", unpublish_at=now)

    marker = HIDDEN["draft payload"]
    make_payload(
        mission=chang_e_6,
        name=f"{marker} spectrometer",
        purpose=marker,
        providers=[pakistan],
        state=EditorialState.DRAFT,
    )
    marker = HIDDEN["payload on a draft mission"]
    make_payload(mission=draft_mission, name=f"{marker} camera", purpose=marker, providers=[pakistan])
    # Published records that name hidden ones: only the published side may show.
    make_payload(mission=chang_e_6, name="Joint payload", acronym="JOINT", providers=[esa, draft_partner])
    make_agreement(
        title="Published agreement with hidden parties", parties=[pakistan, draft_partner, scheduled_partner]
    )
    make_project(name="Published project with a hidden partner", partners=[esa, draft_partner])
    Milestone.objects.create(
        mission=draft_mission, date=datetime.date(2031, 1, 1), title=HIDDEN["milestone of a draft mission"]
    )
    MissionSource.objects.create(
        mission=draft_mission, url="https://example.org/qxdraftsource", title=HIDDEN["source of a draft mission"]
    )
    MissionImage.objects.create(
        mission=draft_mission,
        image=SimpleUploadedFile("qxdraftimage.png", png_bytes()),
        alt_text=HIDDEN["image of a draft mission"],
        caption=HIDDEN["image of a draft mission"],
    )
    for key, state_fields in [
        ("draft agreement", {"state": EditorialState.DRAFT}),
        ("scheduled agreement", {"publish_at": later}),
    ]:
        marker = HIDDEN[key]
        make_agreement(
            title=f"{marker} accord", slug=marker.lower(), summary=marker, parties=[pakistan], **state_fields
        )
    for key, state_fields in [
        ("draft project", {"state": EditorialState.DRAFT}),
        ("expired project", {"unpublish_at": now}),
    ]:
        marker = HIDDEN[key]
        make_project(
            name=f"{marker} satellite", slug=marker.lower(), summary=marker, partners=[pakistan], **state_fields
        )
    for key, state_fields in [
        ("draft figure", {"editorial_state": EditorialState.DRAFT}),
        ("expired figure", {"editorial_state": EditorialState.PUBLISHED, "unpublish_at": now}),
    ]:
        marker = HIDDEN[key]
        Figure.objects.create(
            key=marker.lower(), value_en=marker, label_en=f"{marker} proposals", as_of=now.date(), **state_fields
        )
    Figure.objects.create(
        key="payloads", value_en="6", label_en="payloads selected", as_of=now.date(), editorial_state="published"
    )
    return {"chang_e_6": chang_e_6, "chang_e_4": chang_e_4, "pakistan": pakistan, "esa": esa}


@pytest.fixture
def no_rate_limit(settings):
    """Many API requests in one test: the anonymous rate limit is tested in tests/api/test_throttling.py."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "1000000/minute"}}
