"""Every way content arrives or leaves keeps the search index right: admin import, migrating the
index away and back (its database-specific DDL included), and updates of many rows at once."""

import tempfile

import pytest
from django.core.management import call_command
from django.db import connection

from missions.models import Mission
from search.models import SearchEntry
from tests.factories import make_mission
from tests.imports.files import import_file, upload

MISSIONS = "/admin/missions/mission/"


@pytest.fixture
def import_temp_folder(monkeypatch, tmp_path):
    folder = tmp_path / "imports"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))


def found(text) -> list[str]:
    return [mission.name for mission in Mission.objects.published().search(text)]


@pytest.mark.django_db
def test_imported_rows_are_indexed_and_reimports_update_them(publisher_client, import_temp_folder):
    row = {
        "slug": "chang-e-7",
        "name": "Chang'e-7",
        "name_zh": "嫦娥七号",
        "phase": "station",
        "types": "orbiter, lander",
        "status": "in_development",
        "launch_window": "2026",
        "side": "south_pole",
        "summary_en": "Looks for water ice in permanently shadowed craters.",
        "editorial_state": "published",
    }
    import_file(publisher_client, MISSIONS, upload([row]))
    assert found("shadowed crater") == ["Chang'e-7"]
    assert found("嫦娥七号") == ["Chang'e-7"]
    import_file(publisher_client, MISSIONS, upload([row | {"summary_en": "Surveys the south pole."}]))
    assert found("shadowed") == []
    assert found("pole") == ["Chang'e-7"]


@pytest.mark.django_db
def test_entries_written_in_bulk_are_indexed_by_the_database(db):
    mission = make_mission(name="Bulk", slug="bulk", summary="Nothing yet.")
    SearchEntry.objects.filter(object_id=mission.pk).update(text_b="regolith")
    assert found("regolith") == ["Bulk"]


@pytest.mark.django_db(transaction=True)
def test_the_index_migrates_away_and_back_on_this_database(db):
    make_mission(name="Migrated", slug="migrated", summary="Survives the round trip.")
    call_command("migrate", "search", "zero", verbosity=0)
    assert SearchEntry._meta.db_table not in connection.introspection.table_names()
    assert SearchEntry.FTS_TABLE not in connection.introspection.table_names()
    call_command("migrate", verbosity=0)  # post_migrate indexes the content again
    assert found("round trip") == ["Migrated"]
