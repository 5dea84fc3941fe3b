"""Importing missions and their payloads through the admin."""

import pytest
from reversion.models import Version

from missions.models import Mission, Payload

from .files import confirm, import_file, import_types, preview, upload

pytestmark = pytest.mark.django_db

MISSIONS = "/admin/missions/mission/"
PAYLOADS = "/admin/missions/payload/"


def chang_e_7(**changes):
    return {
        "slug": "chang-e-7",
        "name": "Chang'e-7",
        "name_zh": "嫦娥七号",
        "phase": "station",
        "types": "orbiter, lander, rover, hopper",
        "status": "in_development",
        "launch_date": "",
        "launch_window": "2026",
        "landing_date": "",
        "landing_site": "Shackleton crater rim",
        "latitude": "-89.5",
        "longitude": "130",
        "side": "south_pole",
        "summary_en": "Looks for water ice at the lunar south pole.",
        "editorial_state": "draft",
    } | changes


def payload(**changes):
    return {
        "mission": "chang-e-7",
        "name": "Lunar dust and environment detector",
        "acronym": "",
        "purpose_en": "Measures dust near the surface.",
        "providers": "pakistan, esa",
        "institution": "",
        "origin": "international",
        "selection_status": "selected",
    } | changes


@pytest.mark.parametrize("file_format", ["csv", "xlsx", "json"])
def test_missions_then_their_payloads_are_imported(publisher_client, pakistan, esa, file_format):
    page = preview(publisher_client, MISSIONS, upload([chang_e_7()], file_format), file_format)
    assert import_types(page) == ["new"]
    assert "嫦娥七号" in page.content.decode()
    confirm(publisher_client, MISSIONS, page)
    mission = Mission.objects.get(slug="chang-e-7")
    assert sorted(mission.types.values_list("code", flat=True)) == ["hopper", "lander", "orbiter", "rover"]
    assert str(mission.latitude) == "-89.50000"

    rows = [payload(), payload(name="Moon-watching camera", providers="", origin="domestic")]
    page = preview(publisher_client, PAYLOADS, upload(rows, file_format), file_format)
    assert import_types(page) == ["new", "new"]
    confirm(publisher_client, PAYLOADS, page)
    dust = Payload.objects.get(mission=mission, name="Lunar dust and environment detector")
    assert sorted(dust.providers.values_list("slug", flat=True)) == ["esa", "pakistan"]
    assert not Payload.objects.get(name="Moon-watching camera").providers.exists()

    # The same payload name on the same mission is the same payload: an update, not a copy.
    page = preview(publisher_client, PAYLOADS, upload([payload(acronym="LDED")], file_format), file_format)
    assert import_types(page) == ["update"]
    confirm(publisher_client, PAYLOADS, page)
    assert Payload.objects.get(pk=dust.pk).acronym == "LDED"
    assert Payload.objects.count() == 2


def test_reimporting_missions_and_payloads_changes_nothing(publisher_client, pakistan, esa):
    import_file(publisher_client, MISSIONS, upload([chang_e_7(launch_date="2026-08-01", latitude="-89.50000")]))
    import_file(publisher_client, PAYLOADS, upload([payload()]))
    versions = Version.objects.count()
    missions, payloads = list(Mission.objects.values()), list(Payload.objects.values())

    for url, rows in [(MISSIONS, [chang_e_7(launch_date="2026-08-01", latitude="-89.5")]), (PAYLOADS, [payload()])]:
        page = preview(publisher_client, url, upload(rows))
        assert import_types(page) == ["skip"]
        confirm(publisher_client, url, page)
    assert list(Mission.objects.values()) == missions
    assert list(Payload.objects.values()) == payloads
    assert Version.objects.count() == versions


def test_invalid_mission_rows_are_reported_and_nothing_is_written(publisher_client):
    rows = [
        chang_e_7(),
        chang_e_7(slug="bad-dates", name="Bad dates", launch_date="2024-05-03", landing_date="2024-05-01"),
        chang_e_7(slug="bad-latitude", name="Bad latitude", latitude="91"),
        chang_e_7(slug="bad-type", name="Bad type", types="orbiter, submarine"),
        chang_e_7(slug="no-type", name="No type", types=""),
    ]
    page = preview(publisher_client, MISSIONS, upload(rows))
    invalid = {row.number: row.error_dict for row in page.context["result"].invalid_rows}
    assert invalid == {
        2: {"landing_date": ["The landing date cannot be before the launch date."]},
        3: {"latitude": ["Ensure this value is less than or equal to 90."]},
        4: {"types": ["Unknown code for mission types: submarine."]},
        5: {"types": ["This field is required."]},
    }
    html = page.content.decode()
    assert "The landing date cannot be before the launch date." in html
    assert "Confirm import" not in html
    assert not Mission.objects.exists()


def test_a_payload_on_an_unknown_mission_or_from_an_unknown_partner_is_reported(publisher_client, chang_e_6):
    rows = [
        payload(mission="chang-e-6", providers="pakistan"),
        payload(mission="chang-e-99"),
        payload(mission="chang-e-6", name="Other", providers="pakistan, narnia"),
    ]
    page = preview(publisher_client, PAYLOADS, upload(rows))
    invalid = {row.number: row.error_dict for row in page.context["result"].invalid_rows}
    assert invalid == {
        2: {"mission": ["There is no mission with the slug “chang-e-99”."]},
        3: {"providers": ["Unknown slug for partners: narnia."]},
    }
    assert Payload.objects.count() == 2  # the fixture's own
