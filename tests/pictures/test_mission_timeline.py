"""The mission timeline: launches, landings and sample returns of published missions, each
linked, with its status in words and shapes; the compact version on the home page."""

import datetime

import pytest

from missions.models import Mission
from missions.pictures.mission_timeline import (
    compact_timeline,
    mission_events,
    mission_timeline,
    place_in_lanes,
)
from publishing.models import planned_year
from tests.factories import DRAFT, make_milestone, make_mission

TODAY = datetime.date(2026, 11, 25)


@pytest.mark.parametrize(
    ("window", "year"),
    [
        ("2026", 2026),
        ("second half of 2026", 2026),
        ("around 2029", 2029),
        ("2028–2030", 2028),
        ("", None),
        ("soon", None),
    ],
)
def test_planned_year_reads_the_launch_window(window, year):
    assert planned_year(window) == year


@pytest.fixture
def missions(db):
    chang_e_1 = make_mission(
        name="Chang'e-1",
        slug="chang-e-1",
        launch_date=datetime.date(2007, 10, 24),
        landing_date=datetime.date(2009, 3, 1),
    )
    chang_e_5 = make_mission(
        name="Chang'e-5",
        slug="chang-e-5",
        types=("orbiter", "lander", "sample_return"),
        launch_date=datetime.date(2020, 11, 23),
        landing_date=datetime.date(2020, 12, 1),
    )
    make_milestone(chang_e_5, title="Launch from Wenchang")  # on the launch day: adds nothing
    make_milestone(chang_e_5, date=datetime.date(2020, 12, 3), title="Ascent stage lifts off the Moon")
    make_milestone(chang_e_5, date=datetime.date(2020, 12, 16), title="Samples land in Inner Mongolia")
    chang_e_4 = make_mission(
        name="Chang'e-4",
        slug="chang-e-4",
        status="operating",
        types=("lander", "rover"),
        launch_date=datetime.date(2018, 12, 7),
        landing_date=datetime.date(2019, 1, 3),
    )
    chang_e_8 = make_mission(
        name="Chang'e-8", slug="chang-e-8", status="planned", launch_date=None, launch_window="2028"
    )
    make_mission(name="Zqdraft-9", slug="zqdraft-9", state=DRAFT, launch_date=datetime.date(2015, 1, 1))
    return chang_e_1, chang_e_4, chang_e_5, chang_e_8


def kinds(mission):
    return [(event.kind, event.date) for event in mission_events(Mission.objects.for_timeline().get(pk=mission.pk))]


def test_events_tell_launches_landings_impacts_and_sample_returns(missions):
    chang_e_1, chang_e_4, chang_e_5, chang_e_8 = missions
    assert kinds(chang_e_1) == [("launch", datetime.date(2007, 10, 24)), ("impact", datetime.date(2009, 3, 1))]
    assert kinds(chang_e_4) == [("launch", datetime.date(2018, 12, 7)), ("landing", datetime.date(2019, 1, 3))]
    assert kinds(chang_e_5) == [
        ("launch", datetime.date(2020, 11, 23)),
        ("landing", datetime.date(2020, 12, 1)),
        ("milestone", datetime.date(2020, 12, 3)),
        ("sample_return", datetime.date(2020, 12, 16)),
    ]
    assert kinds(chang_e_8) == [("planned_launch", datetime.date(2028, 7, 1))]


def test_rows_span_the_years_of_the_published_missions(missions):
    timeline = mission_timeline(Mission.objects.for_timeline(), today=TODAY)
    assert [row.mission.slug for row in timeline.rows] == ["chang-e-1", "chang-e-4", "chang-e-5", "chang-e-8"]
    assert timeline.ticks[0][0] == 2007 and timeline.ticks[-1][0] == 2028
    xs = [row.start_x for row in timeline.rows]
    assert xs == sorted(xs)
    operating = timeline.rows[1]
    assert operating.end_x == timeline.today_x  # still operating: its line runs to today
    assert all(row.y < next_row.y for row, next_row in zip(timeline.rows, timeline.rows[1:], strict=False))


def test_the_timeline_page_links_each_mission_and_shows_its_status(client, missions):
    response = client.get("/en/missions/timeline/")
    assert response.status_code == 200
    page = response.content.decode()
    for slug in ("chang-e-1", "chang-e-4", "chang-e-5", "chang-e-8"):
        assert f'<a href="/en/missions/{slug}/"><text class="timeline-name"' in page
    assert "Zqdraft" not in page and "zqdraft" not in page
    # Status as a line pattern (CSS class) and in words.
    assert 'class="span span-operating"' in page and "· Operating</tspan>" in page
    assert 'class="event event-sample_return"' in page
    assert 'class="event event-planned_launch"' in page
    assert "planned 2028" in page  # the table alternative
    assert 'role="group" aria-labelledby="mission-timeline-title"' in page


def test_the_missions_list_links_to_the_timeline_and_the_moon_map(client, missions):
    page = client.get("/en/missions/").content.decode()
    assert 'href="/en/missions/timeline/"' in page and 'href="/en/missions/landing-sites/"' in page


def test_lanes_keep_labels_apart():
    assert place_in_lanes([(0, 50, 25), (40, 90, 65), (100, 130, 115), (60, 100, 80)]) == [0, 1, 0, 2]


def test_leader_lines_never_cross_a_label():
    # The second marker sits just right of the first label: its leader up to lane 1 stays clear.
    assert place_in_lanes([(0, 50, 10), (45, 95, 53)]) == [0, 1]
    # One under the first label: every lane crosses it, so the lowest free lane is used.
    assert place_in_lanes([(0, 50, 10), (45, 95, 48)]) == [0, 1]
    # A label does not cover the leader line of a label placed higher before it.
    assert place_in_lanes([(0, 30, 10), (20, 60, 25), (100, 140, 120), (5, 40, 30)]) == [0, 1, 0, 2]


def test_the_compact_timeline_on_home_marks_every_published_mission(client, missions):
    page = client.get("/en/").content.decode()
    section = page[page.index('class="picture compact-timeline"') :]
    section = section[: section.index("</figure>")]
    for slug in ("chang-e-1", "chang-e-4", "chang-e-5", "chang-e-8"):
        assert f'<a href="/en/missions/{slug}/" class="timeline-item status-' in section
    assert "zqdraft" not in section.lower()
    assert 'class="mark mark-operating"' in section and 'class="mark mark-planned"' in section


def test_compact_labels_never_overlap_within_a_lane(missions):
    for number in range(8):
        make_mission(name=f"Long mission name {number}", launch_date=datetime.date(2020, 1, 1 + number))
    timeline = compact_timeline(Mission.objects.published(), today=TODAY)
    by_lane = {}
    for item in timeline.items:
        by_lane.setdefault(item.lane, []).append((item.label_x, item.label_x + item.width))
    for spans in by_lane.values():
        spans.sort()
        assert all(right <= next_left for (_, right), (next_left, _) in zip(spans, spans[1:], strict=False))
    assert all(0 <= item.label_x and item.label_x + item.width <= timeline.width for item in timeline.items)


def test_the_timeline_renders_in_chinese(client, missions):
    response = client.get("/zh-hans/missions/timeline/")
    assert response.status_code == 200
    assert '<a href="/zh-hans/missions/chang-e-4/">' in response.content.decode()


def test_an_empty_site_has_a_timeline_page_too(client, db):
    assert client.get("/en/missions/timeline/").status_code == 200
    assert client.get("/en/").status_code == 200


def test_a_failed_mission_is_crossed_out_not_only_coloured(client, db):
    make_mission(name="Lost lander", slug="lost", status="failed", launch_date=datetime.date(2012, 5, 5))
    make_mission(name="Chang'e-2", slug="chang-e-2", launch_date=datetime.date(2010, 10, 1))
    timeline_page = client.get("/en/missions/timeline/").content.decode()
    assert "· Failed</tspan>" in timeline_page
    row = timeline_page[timeline_page.index('<g class="timeline-row status-failed">') :]
    row = row[: row.index("</svg>")]  # the last row: launched after Chang'e-2
    assert 'class="mark mark-failed"' in row and 'class="span span-failed"' not in row  # a launch only: no line
    home = client.get("/en/").content.decode()
    item = home[home.index('<a href="/en/missions/lost/" class="timeline-item status-failed">') :]
    assert 'class="mark mark-failed"' in item[: item.index("</a>")]


def test_the_home_page_pictures_in_chinese(client, missions):
    response = client.get("/zh-hans/")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<a href="/zh-hans/missions/chang-e-4/" class="timeline-item status-operating">' in page
    assert 'class="world-map-svg"' in page
