"""Missions side by side: rows whose values differ are marked; bad requests get a clear message
and a 400 (or a 404 for a mission the public cannot see), never a 500."""

import datetime
import re

import pytest

from missions.compare import comparison_rows, missions_to_compare, requested_slugs
from missions.models import Mission
from tests.factories import DRAFT, make_milestone, make_mission, make_payload


@pytest.fixture
def chang_e_4(db, pakistan):
    mission = make_mission(
        name="Chang'e-4",
        slug="chang-e-4",
        side="far",
        types=("lander", "rover"),
        launch_date=datetime.date(2018, 12, 7),
        launch_vehicle="Long March 3B",
        landing_site="Von Kármán crater",
        latitude=-45.4446,
        longitude=177.5991,
    )
    make_milestone(mission, title="Launch from Xichang")
    return mission


@pytest.fixture
def draft(db):
    return make_mission(name="Zqdraft mission", slug="zqdraft-mission", state=DRAFT)


def rows_by_label(page: str) -> dict[str, str]:
    """Each row's header text → the row's class attribute ('' when none)."""
    rows = re.findall(r'<tr( class="[^"]*")?>\s*<th scope="row">([^<]+)', page)
    return {label.strip(): css for css, label in rows}


def test_differences_are_marked(client, chang_e_6, chang_e_4):
    response = client.get("/en/missions/compare/?m=chang-e-4&m=chang-e-6")
    assert response.status_code == 200
    page = response.content.decode()
    rows = rows_by_label(page)
    assert rows["Side of the Moon"] == ""  # both on the far side
    assert rows["Status"] == ""  # both completed
    for label in ("Type", "Launch", "Landing site", "Partners", "Payloads", "Milestones", "Launch vehicle"):
        assert rows[label] == ' class="differs"', label
    assert page.index('href="/en/missions/chang-e-4/"') < page.index('href="/en/missions/chang-e-6/"')
    for shown in ("ICUBE-Q lunar CubeSat", "Pakistan", "European Space Agency", "Von Kármán crater"):
        assert shown in page
    assert "ICUBE-Q (ICUBE-Q" not in page  # a name that spells its acronym out is not given it twice


def test_rows_compare_the_cells(chang_e_6, chang_e_4):
    missions = missions_to_compare(["chang-e-6", "chang-e-4"])
    assert [mission.slug for mission in missions] == ["chang-e-6", "chang-e-4"]
    rows = {str(row.label): row for row in comparison_rows(missions)}
    assert rows["Partners"].cells == [["European Space Agency", "Pakistan"], []]
    assert rows["Partners"].differs and not rows["Side of the Moon"].differs


def test_drafts_inside_a_mission_stay_hidden(client, chang_e_6, chang_e_4, pakistan):
    make_payload(mission=chang_e_6, name="Zqdraft instrument", providers=[pakistan], state=DRAFT)
    page = client.get("/en/missions/compare/?m=chang-e-4&m=chang-e-6").content.decode()
    assert "Zqdraft" not in page


def test_repeated_slugs_count_once(chang_e_6, chang_e_4):
    assert requested_slugs(["chang-e-4", " chang-e-4 ", "", "chang-e-6"]) == ["chang-e-4", "chang-e-6"]


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ("", 400, "Choose at least two missions to compare."),
        ("?m=chang-e-4", 400, "Choose at least two missions to compare."),
        ("?m=chang-e-4&m=chang-e-4", 400, "Choose at least two missions to compare."),
        ("?m=a&m=b&m=c&m=d&m=e", 400, "Choose at most four missions to compare."),
        ("?m=chang-e-4&m=nope", 404, "No published mission has the address “nope”."),
        ("?m=chang-e-4&m=zqdraft-mission", 404, "No published mission has the address “zqdraft-mission”."),
        ("?m=chang-e-4&m=%00", 404, "No published mission has the address"),
        ("?m=chang-e-4&m=%ff%fe", 404, "No published mission has the address"),
        ("?m=chang-e-4&m=' OR '1'='1", 404, "No published mission has the address"),
        ("?m=chang-e-4&m=" + "x" * 10_000, 404, "No published mission has the address"),
        ("?m[]=chang-e-4&m[]=chang-e-6", 400, "Choose at least two missions to compare."),
    ],
)
def test_bad_requests_get_a_clear_message(client, chang_e_6, chang_e_4, draft, query, status, message):
    response = client.get("/en/missions/compare/" + query)
    assert response.status_code == status
    page = response.content.decode()
    assert message.replace("“", "&ldquo;")[:20] in page or message in page
    assert 'role="alert"' in page
    assert "Zqdraft mission" not in page


def test_a_draft_is_as_unknown_as_a_missing_slug(client, chang_e_4, draft):
    draft_page = client.get("/en/missions/compare/?m=chang-e-4&m=zqdraft-mission")
    missing_page = client.get("/en/missions/compare/?m=chang-e-4&m=zqdraft-missinx")
    assert draft_page.status_code == missing_page.status_code == 404
    assert draft_page.content.decode().replace("zqdraft-mission", "X") == missing_page.content.decode().replace(
        "zqdraft-missinx", "X"
    )


def test_the_missions_list_offers_a_compare_form(client, chang_e_6, chang_e_4):
    page = client.get("/en/missions/").content.decode()
    assert '<form id="compare-form" class="compare-form" action="/en/missions/compare/" method="get">' in page
    for slug in ("chang-e-4", "chang-e-6"):
        assert f'<input type="checkbox" name="m" value="{slug}" form="compare-form">' in page


def test_compare_in_chinese(client, chang_e_6, chang_e_4):
    response = client.get("/zh-hans/missions/compare/?m=chang-e-4&m=chang-e-6")
    assert response.status_code == 200
    assert "嫦娥六号" in response.content.decode()


def test_four_missions_side_by_side(client, chang_e_6, chang_e_4):
    make_mission(slug="three")
    make_mission(slug="four")
    response = client.get("/en/missions/compare/?m=chang-e-4&m=chang-e-6&m=three&m=four")
    assert response.status_code == 200
    assert response.content.decode().count('<th scope="col">') == 4
    assert Mission.objects.count() == 4
