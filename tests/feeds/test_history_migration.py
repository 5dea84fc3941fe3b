"""A database from before the public change log gets one built from its editors' history by the
migration (publishing 0003): its pages tell the changes the site told when it replayed that
history on every page view, and the next save is compared with what the public saw."""

import datetime
import importlib
import json

import pytest
import reversion
import reversion.models
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from publishing.history import public_changes
from publishing.models import PublicChange
from tests.factories import make_mission

from .history_fixture import build_history

pytestmark = pytest.mark.django_db

migration = importlib.import_module("publishing.migrations.0003_public_changes_from_history")

# What the pages told of build_history() when they replayed it (publishing.history before the log).
TOLD_BY_THE_REPLAY = {
    "told": [
        ["Payload “DC (Dust counter)” removed"],
        [
            "Planned launch updated",
            "Landing site updated",
            "Launch vehicle updated",
            "Launch site updated",
            "COSPAR ID updated",
            "and 2 more changes",
        ],
        ["Published again", "Chinese name updated"],
        ["Summary updated"],
        ["Payload “DC (Dust counter)” updated"],
        ["Payload “DC (Dust counter)” added"],
        [
            "Source “Mission page” added",
            "Milestone “2010-01-02: Launch” removed",
            "Source “Press release, corrected” updated",
        ],
        ["Published again", "Landing site updated"],
        ["Summary updated"],
    ],
    "told-partner": [["Summary updated"], ["Source “Joins the station” added"]],
    "fresh": [["Published"]],
}


def migrate_history():
    """As `migrate` finds a database from before the log: the history, and no log."""
    PublicChange.objects.all().delete()
    migration.build(apps, schema_editor=None)


def test_the_pages_tell_what_the_replay_of_the_history_told(client):
    records, back_on = build_history()
    migrate_history()
    for slug, told in TOLD_BY_THE_REPLAY.items():
        assert [change.lines for change in public_changes(records[slug])] == told, slug
    # Published again when its scheduled time came, to the millisecond that versions keep.
    again = public_changes(records["told"])[2]
    assert again.date == back_on.replace(microsecond=back_on.microsecond // 1000 * 1000)
    page = client.get("/en/missions/told/").content.decode()
    assert f'id="{again.anchor}"' in page and "Zqsecret" not in page


def test_the_next_save_is_compared_with_what_the_public_saw_last():
    records, _ = build_history()
    migrate_history()
    mission, partner = records["told"], records["told-partner"]
    with reversion.create_revision():
        mission.summary = "Fourth summary."
        mission.save()
        partner.save()  # nothing the public sees changed
    assert public_changes(mission)[0].lines == ["Summary updated"]
    assert [change.lines for change in public_changes(partner)] == TOLD_BY_THE_REPLAY["told-partner"]


def test_a_publication_still_ahead_is_told_when_its_time_comes(monkeypatch):
    soon = (timezone.now() + datetime.timedelta(hours=1)).replace(microsecond=0)
    mission = make_mission(slug="later")
    with reversion.create_revision():
        mission.publish_at = soon
        mission.save()
    migrate_history()
    assert public_changes(mission) == []
    monkeypatch.setattr(timezone, "now", lambda: soon + datetime.timedelta(minutes=1))
    (change,) = public_changes(mission)
    assert change.lines == ["Published"] and change.date == soon


def test_building_again_keeps_the_log_and_fills_in_what_has_none():
    records, _ = build_history()
    migrate_history()
    fresh = records["fresh"]
    fresh_log = PublicChange.objects.filter(content_type=ContentType.objects.get_for_model(fresh), object_id=fresh.pk)
    others = list(PublicChange.objects.exclude(pk__in=fresh_log).order_by("pk").values())
    fresh_log.delete()
    migration.build(apps, schema_editor=None)
    assert list(PublicChange.objects.exclude(pk__in=fresh_log).order_by("pk").values()) == others
    assert [change.lines for change in public_changes(fresh)] == TOLD_BY_THE_REPLAY["fresh"]


def test_the_same_history_written_down_as_it_happened_tells_the_same():
    records, _ = build_history()
    for slug, told in TOLD_BY_THE_REPLAY.items():
        assert [change.lines for change in public_changes(records[slug])] == told, slug


def test_launch_sites_and_vehicles_saved_as_text_before_they_were_records_replay_as_plain_values():
    # Versions saved before missions 0013 hold the names themselves, not a record's key.
    mission = make_mission(slug="texts")
    for site in ("Xichang", "Wenchang"):
        with reversion.create_revision():
            mission.save()
        version = reversion.models.Version.objects.get_for_object(mission).first()
        data = json.loads(version.serialized_data)
        data[0]["fields"].update(launch_site=site, launch_vehicle="Long March 3B")
        version.serialized_data = json.dumps(data)
        version.save()
    migrate_history()
    assert [change.lines for change in public_changes(mission)] == [["Launch site updated"], ["Published"]]
