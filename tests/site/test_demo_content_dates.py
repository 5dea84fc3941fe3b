"""Loading the demo content sets the site up; it is no editorial change. Its records are dated as
of their sources, and "What changed", the citation and the feeds never tell the day it was
installed as a publication."""

import datetime
import json

import pytest
import reversion
from django.utils import timezone

from missions.models import Mission, Payload
from partners.models import Agreement, CooperationProject, Figure, Partner
from publishing.history import public_changes
from website.management.commands.load_demo_content import CONTENT_FILE

pytestmark = pytest.mark.django_db

CONTENT = json.loads(CONTENT_FILE.read_text(encoding="utf-8"))


@pytest.fixture
def demo(demo_database, db):
    """The demo content, loaded once for the module (tests/conftest.py)."""


def as_of(record: dict) -> datetime.date:
    """The date the demo content states a record's facts as of: its latest source's, or its own
    facts' date, or else the date the whole file was checked."""
    dates = [source["as_of"] for source in record.get("sources", []) if source.get("as_of")]
    dates += [record["facts_as_of"]] if record.get("facts_as_of") else []
    return datetime.date.fromisoformat(max(dates) if dates else CONTENT["as_of"])


def test_every_demo_record_is_dated_as_of_its_sources_not_the_day_it_was_loaded(demo):
    for model, section, key in [
        (Partner, "partners", "slug"),
        (Mission, "missions", "slug"),
        (Agreement, "agreements", "slug"),
        (CooperationProject, "projects", "slug"),
    ]:
        for record in CONTENT[section]:
            instance = model.objects.get(slug=record[key])
            expected = as_of(record)
            assert (instance.created_at.date(), instance.updated_at.date()) == (expected, expected), instance
    for record in CONTENT["payloads"]:
        payload = Payload.objects.get(mission__slug=record["mission"], name=record["name"])
        assert payload.updated_at.date() == as_of(record), payload
    chang_e_6 = Mission.objects.get(slug="chang-e-6").updated_at.date()
    assert datetime.date(2024, 6, 25) <= chang_e_6 <= datetime.date(2026, 11, 25)


def test_every_published_demo_record_cites_a_source_with_its_publisher_and_date(demo):
    """Issue 23 point 7: a reader can check every fact, and knows when it was stated."""
    for model in (Mission, Payload, Partner, Agreement, CooperationProject, Figure):
        records = model.objects.published().prefetch_related("sources")
        assert records, model
        unsourced = [
            str(record)
            for record in records
            if not any(source.publisher and source.as_of for source in record.sources.all())
        ]
        assert unsourced == [], f"{model.__name__}: {unsourced}"


def test_the_demo_load_is_no_public_change(demo, client):
    for mission in Mission.objects.all():
        assert public_changes(mission) == [], mission
    for partner in Partner.objects.all():
        assert public_changes(partner) == [], partner
    page = client.get("/en/missions/chang-e-6/").content.decode()
    changes = page[page.index('id="changes"') : page.index('id="cite"')]
    assert "No public change recorded yet." in changes
    assert "Published" not in changes


def test_the_citation_is_last_updated_as_of_the_sources(demo, client):
    record = next(record for record in CONTENT["missions"] if record["slug"] == "chang-e-6")
    updated = as_of(record)
    page = client.get("/en/missions/chang-e-6/").content.decode()
    assert f"Last updated {updated.day} {updated:%B %Y}." in page
    assert f"Last updated {updated.isoformat()}" in client.get("/en/missions/chang-e-6/cite.bib").content.decode()


def test_an_editors_change_after_the_load_is_told_against_it(demo, publisher):
    mission = Mission.objects.get(slug="chang-e-6")
    with reversion.create_revision():
        reversion.set_user(publisher)
        mission.summary = "A revised summary."
        mission.save()
    changes = public_changes(mission)
    assert [change.lines for change in changes] == [["Summary updated"]]
    assert changes[0].date.date() == timezone.now().date()
