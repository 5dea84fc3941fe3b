"""The partnership timeline on a partner page: its dated records in date order, drafts left out."""

import datetime
import re

import pytest

from partners.models import Partner
from partners.timeline import partnership_timeline
from partners.views import TIMELINE_PREFETCH
from tests.factories import DRAFT, make_agreement, make_milestone, make_mission, make_payload, make_project


@pytest.fixture
def story(db, pakistan):
    pakistan.ilrs_joined_on = datetime.date(2023, 10, 18)
    pakistan.save()
    flown = make_mission(
        name="Chang'e-6",
        slug="chang-e-6",
        launch_date=datetime.date(2024, 5, 3),
        landing_date=datetime.date(2024, 6, 1),
        types=("lander",),
    )
    make_milestone(flown, date=datetime.date(2024, 5, 8), title="ICUBE-Q CubeSat released")
    make_milestone(flown, date=datetime.date(2024, 6, 3), title="Ascender lifts off")  # not about Pakistan
    make_payload(mission=flown, name="ICUBE-Q lunar CubeSat", acronym="ICUBE-Q", providers=[pakistan])
    planned = make_mission(name="Chang'e-8", slug="chang-e-8", launch_date=None, launch_window="around 2029")
    make_milestone(planned, date=datetime.date(2025, 4, 24), title="International payloads selected")
    make_payload(mission=planned, name="Pakistani rover", providers=[pakistan])
    make_agreement(title="APSCO convention", parties=[pakistan], signed_on=datetime.date(2005, 10, 28))
    make_agreement(title="Undated memorandum", parties=[pakistan], signed_on=None)
    make_agreement(title="Zqdraft agreement", parties=[pakistan], signed_on=datetime.date(2020, 1, 1), state=DRAFT)
    make_project(name="PakSat-1R", partners=[pakistan], start_date=datetime.date(2011, 8, 11))
    make_project(name="Zqdraft satellite", partners=[pakistan], start_date=datetime.date(2012, 1, 1), state=DRAFT)
    hidden = make_mission(name="Zqdraft mission", launch_date=datetime.date(2022, 2, 2), state=DRAFT)
    make_payload(mission=hidden, name="Zqdraft payload", providers=[pakistan])
    return pakistan


def test_entries_come_in_date_order(story):
    partner = Partner.objects.published().with_involvement().prefetch_related(*TIMELINE_PREFETCH).get(pk=story.pk)
    entries = partnership_timeline(partner)
    assert [(entry.kind, entry.date) for entry in entries] == [
        ("agreement", datetime.date(2005, 10, 28)),
        ("project_start", datetime.date(2011, 8, 11)),
        ("ilrs", datetime.date(2023, 10, 18)),
        ("launch", datetime.date(2024, 5, 3)),
        ("milestone", datetime.date(2024, 5, 8)),
        ("landing", datetime.date(2024, 6, 1)),
        ("milestone", datetime.date(2025, 4, 24)),
        ("planned", datetime.date(2029, 12, 31)),
        ("agreement", None),
    ]
    assert entries[-2].date_display == "around 2029"
    assert "ICUBE-Q" in entries[3].text


def test_the_partner_page_shows_the_timeline_in_order(client, story):
    page = client.get("/en/partners/pakistan/").content.decode()
    section = page[page.index('<section aria-labelledby="partnership-heading"') :]
    section = section[: section.index("</section>")]
    dates = re.findall(r'<time datetime="([\d-]+)">', section)
    assert dates == sorted(dates) and len(dates) == 8
    assert "APSCO convention" in section and "Undated memorandum" in section
    assert "Ascender lifts off" not in section
    assert "zqdraft" not in section.lower()
    assert '<a href="/en/missions/chang-e-6/">' in section


def test_a_partner_with_no_records(client, esa):
    page = client.get("/en/partners/esa/").content.decode()
    assert "No dated record is published yet." in page


def test_the_partner_page_in_chinese(client, story):
    response = client.get("/zh-hans/partners/pakistan/")
    assert response.status_code == 200
    assert 'class="timeline partnership-timeline"' in response.content.decode()
