"""The mission timeline: launches, landings and sample returns of published missions, each
linked, with its status in words and shapes; the compact version on the home page."""

import datetime
import re
from xml.etree import ElementTree

import pytest
from django.core.management import call_command

from missions.models import Mission
from missions.pictures.mission_timeline import (
    compact_timeline,
    mission_events,
    mission_timeline,
    place_in_lanes,
    spread_apart,
)
from publishing.models import planned_year
from publishing.svg import Box, text_width
from tests.factories import DRAFT, make_milestone, make_mission

TODAY = datetime.date(2026, 11, 25)


@pytest.mark.parametrize(
    ("window", "year"),
    [
        ("2026", 2026),
        ("second half of 2026", 2026),
        ("around 2029", 2029),
        ("2028–2030", 2028),
        ("2026年下半年", 2026),  # Chinese runs the year into the next word: no word boundary
        ("2029年前后", 2029),
        ("12026", None),
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


def lanes_and_spans(labels, places):
    """Per lane, the (left, right, x) of the labels placed in it."""
    lanes = {}
    for (x, width), (lane, left) in zip(labels, places, strict=True):
        lanes.setdefault(lane, []).append((left, left + width, x))
    return lanes


def leaders_crossing_labels(labels, places) -> list:
    """(label's marker x, label it crosses): a leader runs from the axis up to its own label's lane."""
    lanes = lanes_and_spans(labels, places)
    return [
        (x, (left, right))
        for (x, _), (lane, _) in zip(labels, places, strict=True)
        for below in range(lane)
        for left, right, _ in lanes.get(below, [])
        if left <= x <= right
    ]


def test_lanes_keep_labels_apart():
    labels = [(25, 50), (65, 50), (80, 40), (115, 30)]
    places = place_in_lanes(labels, right_edge=1000)
    for spans in lanes_and_spans(labels, places).values():
        spans.sort()
        assert all(right + 6 <= next_left for (_, right, _), (next_left, _, _) in zip(spans, spans[1:], strict=False))
    assert len(set(lane for lane, _ in places)) > 1  # they could not all share one lane


def test_leader_lines_never_cross_a_label():
    # The second marker sits just right of the first marker: centred on its marker, the first
    # label would cover it. Each name starts or ends at its marker instead, side by side.
    assert place_in_lanes([(10, 50), (60, 50)], right_edge=1000) == [(0, 0), (0, 57)]
    # Markers twelve pixels apart (as close as spread_apart leaves them): the first name ends at
    # its marker, the second starts at its own, both on the axis's lane.
    assert place_in_lanes([(100, 50), (112, 50)], right_edge=1000) == [(0, 53), (0, 109)]
    # A third one close by: the middle name goes up a lane, where no leader line crosses it.
    labels = [(100, 50), (112, 50), (124, 50)]
    places = place_in_lanes(labels, right_edge=1000)
    assert [lane for lane, _ in places] == [0, 1, 0] and not leaders_crossing_labels(labels, places)
    # A cluster: names climb a staircase, and a label placed after them in a low lane stays
    # clear of the leader lines that climb through it.
    labels = [(100, 60), (112, 60), (124, 60), (136, 60), (300, 40)]
    places = place_in_lanes(labels, right_edge=1000)
    assert [lane for lane, _ in places] == [0, 1, 2, 0, 0] and not leaders_crossing_labels(labels, places)


def test_labels_stay_inside_the_picture():
    places = place_in_lanes([(2, 60), (995, 60)], right_edge=1000)
    assert places == [(0, 0), (0, 940)]


def test_markers_too_close_are_moved_apart_around_their_dates():
    # Queqiao-2 and Chang'e-6 launched six weeks apart: five pixels at the home page's scale.
    assert spread_apart([700.0, 704.8], [8, 5], gap=2, left=0, right=960) == [694.9, 709.9]
    assert spread_apart([10.0, 300.0], [5, 5], gap=2, left=0, right=960) == [10.0, 300.0]  # far apart: untouched
    moved = spread_apart([1.0, 2.0, 3.0], [5, 5, 5], gap=2, left=0, right=960)
    assert moved[0] == 5 and all(b - a >= 12 for a, b in zip(moved, moved[1:], strict=False))


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


# The drawn pictures, with the demo content: what a visitor sees on the home and timeline pages.
SVG = "{http://www.w3.org/2000/svg}"
SYMBOL_HALF_WIDTHS = {"launch": 6, "planned_launch": 6, "sample_return": 6, "impact": 5}  # paths, as drawn


@pytest.fixture
def demo_content(db):
    call_command("load_demo_content", verbosity=0)


def drawn_svg(client, path: str, svg_class: str) -> ElementTree.Element:
    page = client.get(path).content.decode()
    start = page.index("<svg", page.index(f'class="timeline-svg {svg_class}"') - 20)
    return ElementTree.fromstring(page[start : page.index("</svg>", start) + len("</svg>")])


def move_to(element) -> tuple[float, float]:
    """The point a symbol's path starts from (its centre): "M{x} {y}m…"."""
    x, y = re.match(r"M([\d.]+) ([\d.]+)", element.get("d")).groups()
    return float(x), float(y)


def intersecting(named_boxes: list[tuple[str, Box]]) -> list[str]:
    return [
        f"{name} and {other_name}"
        for index, (name, box) in enumerate(named_boxes)
        for other_name, other in named_boxes[index + 1 :]
        if box.overlaps(other)
    ]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_home_timeline_names_clear_each_other_the_markers_and_the_leader_lines(client, demo_content, language):
    svg = drawn_svg(client, f"/{language}/", "compact-timeline-svg")
    labels, markers, leaders = [], [], []
    for item in svg.iter(f"{SVG}a"):
        text = item.find(f"{SVG}text")
        name, x, y = text.text, float(text.get("x")), float(text.get("y"))
        labels.append((name, Box(x, y - 0.75 * 13, x + text_width(name, 13), y + 0.25 * 13)))
        leader = item.find(f"{SVG}line")
        leaders.append((name, float(leader.get("x1")), float(leader.get("y2")), float(leader.get("y1"))))
        # The marker: its outer circle (an operating mission's is a ring around a dot).
        cx, cy, r = max(
            (
                (float(mark.get("cx")), float(mark.get("cy")), float(mark.get("r")))
                for mark in item.iter(f"{SVG}circle")
            ),
            key=lambda circle: circle[2],
        )
        markers.append((f"{name}'s marker", Box(cx - r, cy - r, cx + r, cy + r)))
    assert len(labels) == 11
    assert not intersecting(labels), "Names overlap"
    assert not intersecting(markers), "Markers overlap"
    assert not [(name, mark) for name, box in labels for mark, other in markers if box.overlaps(other)]
    crossed = [
        (name, leader_name)
        for name, box in labels
        for leader_name, x, top, bottom in leaders
        if leader_name != name and box.overlaps(Box(x, top, x, bottom))
    ]
    assert not crossed, "Leader lines cross names"


def test_timeline_events_never_hide_each_other(client, demo_content):
    svg = drawn_svg(client, "/en/missions/timeline/", "mission-timeline-svg")
    symbols = []
    for row in svg.iter(f"{SVG}g"):
        if "timeline-row" not in row.get("class"):
            continue
        mission = row.find(f"{SVG}a/{SVG}text").text
        for event in row.findall(f"{SVG}g"):
            kind = event.get("class").removeprefix("event event-")
            if (circle := event.find(f"{SVG}circle")) is not None:
                x, y, half = float(circle.get("cx")), float(circle.get("cy")), float(circle.get("r"))
            else:
                (x, y), half = move_to(event.find(f"{SVG}path")), SYMBOL_HALF_WIDTHS[kind]
            symbols.append(
                (f"{mission} {kind} {event.find(f'{SVG}title').text}", Box(x - half, y - half, x + half, y + half))
            )
    chang_e_5 = [name for name, _ in symbols if name.startswith("Chang'e-5 ")]
    assert len(chang_e_5) == 5  # launch, landing, two milestones, samples back: 23 days
    assert not intersecting(symbols)
