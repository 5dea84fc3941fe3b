"""The migrations of issue 23 run over a database written before them: old-style rows (texts in one
language, launch vehicles and sites as words, an agreement's single source address, a planned
launch in words only) come out of `migrate` as the new schema holds them, nothing lost, and go
back again. Driven through manage.py in a scratch database (SQLite, or PostgreSQL with
DATABASE_URL), rows written with the models as they were before these migrations."""

import json

import pytest

from .scratch import scratch_site

# The state of the schema before issue 23.
BEFORE = [("partners", "0006_translated_texts"), ("missions", "0011_translated_texts")]

OLD_ROWS = """
import datetime
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

apps = MigrationExecutor(connection).loader.project_state({before!r}).apps
Partner = apps.get_model("partners", "Partner")
Mission = apps.get_model("missions", "Mission")
Payload = apps.get_model("missions", "Payload")

pakistan = Partner.objects.create(
    name="Pakistan", name_zh="巴基斯坦", slug="pakistan", kind="country", country="PK", region="asia",
    summary="Sent a CubeSat.", summary_en="Sent a CubeSat.", summary_zh_hans="",
    editorial_state="published",
)
for slug, window, vehicle, site in [
    ("chang-e-6", "", "Long March 5 (CZ-5, Y8)", "Wenchang"),
    ("queqiao-2", "", "Long March 8 (CZ-8, Y3)", "Wenchang"),
    ("chang-e-7", "second half of 2026", "Long March 5 (planned)", "Wenchang"),
    ("chang-e-8", "around 2029", "", ""),
]:
    Mission.objects.create(
        name=slug, slug=slug, phase="station", status="planned" if window else "completed",
        launch_date=None if window else datetime.date(2024, 5, 3), launch_window=window,
        launch_vehicle=vehicle, launch_site=site, summary="S.", summary_en="S.", summary_zh_hans="",
        editorial_state="published",
    )
Payload.objects.create(
    mission=Mission.objects.get(slug="chang-e-6"), name="CubeSat ICUBE-Q", acronym="ICUBE-Q",
    purpose="Images the Moon.", purpose_en="Images the Moon.", purpose_zh_hans="",
    institution="Institute of Space Technology", origin="international", selection_status="flown",
    editorial_state="published",
)
"""

NEW_ROWS = """
import json
from missions.models import LaunchSite, LaunchVehicle, Mission, Payload

payload = Payload.objects.get(acronym="ICUBE-Q")
print(json.dumps({
    "payload": [payload.name_en, payload.name_zh_hans, payload.institution_en, payload.institution_zh_hans],
    "windows": {m.slug: [m.launch_window_en, m.launch_window_zh_hans] for m in Mission.objects.order_by("slug")},
    "launch": {
        m.slug: [m.launch_vehicle_id and m.launch_vehicle.name_en, m.launch_site_id and m.launch_site.name_en]
        for m in Mission.objects.order_by("slug")
    },
    "vehicles": sorted(LaunchVehicle.objects.values_list("name_en", flat=True)),
    "sites": sorted(LaunchSite.objects.values_list("name_en", flat=True)),
}))
"""

BACK_AGAIN = """
import json
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("SELECT name, institution FROM missions_payload")
    payloads = cursor.fetchall()
    cursor.execute("SELECT slug, launch_window FROM missions_mission ORDER BY slug")
    windows = cursor.fetchall()
    cursor.execute("SELECT slug, launch_vehicle, launch_site FROM missions_mission ORDER BY slug")
    launch = cursor.fetchall()
print(json.dumps({"payloads": payloads, "windows": windows, "launch": launch}))
"""


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    """A database migrated to the schema before issue 23, given old-style rows, migrated to the
    latest schema, then back: what each step left, as JSON."""
    tmp = tmp_path_factory.mktemp("content-migrations")
    with scratch_site(tmp, "old-rows") as site:
        written = site.manage_in_turn(
            *[("migrate", app, name, "--no-input", "-v", "0") for app, name in BEFORE],
            OLD_ROWS.format(before=BEFORE),
            ("migrate", "--no-input", "-v", "0"),
            NEW_ROWS,
            *[("migrate", app, name, "--no-input", "-v", "0") for app, name in reversed(BEFORE)],
            BACK_AGAIN,
        )
        yield {"forward": json.loads(written[len(BEFORE) + 2]), "back": json.loads(written[-1])}


def test_texts_written_before_become_the_english_translations(migrated):
    assert migrated["forward"]["payload"] == ["CubeSat ICUBE-Q", "", "Institute of Space Technology", ""]
    assert migrated["forward"]["windows"]["chang-e-7"] == ["second half of 2026", ""]


def test_going_back_keeps_the_english_texts_in_the_old_columns(migrated):
    assert migrated["back"]["payloads"] == [["CubeSat ICUBE-Q", "Institute of Space Technology"]]
    assert dict(migrated["back"]["windows"])["chang-e-8"] == "around 2029"


def test_launch_vehicles_and_sites_written_as_words_become_shared_records(migrated):
    forward = migrated["forward"]
    assert forward["vehicles"] == ["Long March 5 (CZ-5, Y8)", "Long March 5 (planned)", "Long March 8 (CZ-8, Y3)"]
    assert forward["sites"] == ["Wenchang"]  # three missions, one record
    assert forward["launch"] == {
        "chang-e-6": ["Long March 5 (CZ-5, Y8)", "Wenchang"],
        "chang-e-7": ["Long March 5 (planned)", "Wenchang"],
        "chang-e-8": [None, None],
        "queqiao-2": ["Long March 8 (CZ-8, Y3)", "Wenchang"],
    }


def test_going_back_writes_the_launch_vehicles_and_sites_as_words_again(migrated):
    assert migrated["back"]["launch"] == [
        ["chang-e-6", "Long March 5 (CZ-5, Y8)", "Wenchang"],
        ["chang-e-7", "Long March 5 (planned)", "Wenchang"],
        ["chang-e-8", "", ""],
        ["queqiao-2", "Long March 8 (CZ-8, Y3)", "Wenchang"],
    ]
