"""The landing-site map: orthographic near and far side discs, each landed mission at its
coordinates, labelled and linked, with a table."""

import datetime
import math

import pytest

from missions.models import Mission
from missions.pictures.moon_map import (
    FONT_SIZE,
    MARGIN,
    RADIUS,
    moon_map,
    orthographic,
    side_for,
    to_disc,
)
from publishing.svg import Box, text_width
from tests.factories import DRAFT, make_mission

CENTRE = RADIUS + MARGIN


def close(a, b):
    return math.isclose(a, b, abs_tol=1e-9)


def test_the_sub_earth_point_is_the_centre_of_the_near_disc():
    x, y, visible = orthographic(0, 0, 0)
    assert close(x, 0) and close(y, 0) and visible
    assert to_disc(x, y) == (CENTRE, CENTRE)


@pytest.mark.parametrize(
    ("latitude", "longitude", "centre", "expected"),
    [
        (0, 90, 0, (1, 0)),  # east limb of the near side: right edge
        (0, -90, 0, (-1, 0)),  # west limb: left edge
        (90, 0, 0, (0, 1)),  # north pole: top
        (0, 180, 180, (0, 0)),  # the far side's centre
        (0, 90, 180, (-1, 0)),  # 90° E seen from beyond the Moon: left edge
        (30, 30, 0, (math.cos(math.radians(30)) * 0.5, 0.5)),
    ],
)
def test_orthographic_projection_of_known_points(latitude, longitude, centre, expected):
    x, y, visible = orthographic(latitude, longitude, centre)
    assert visible
    assert close(x, expected[0]) and close(y, expected[1])


def test_the_hidden_hemisphere_is_not_visible():
    assert orthographic(0, 180, 0)[2] is False
    assert orthographic(0, 0, 180)[2] is False


@pytest.mark.parametrize(
    ("longitude", "side"),
    [(0, "near"), (-19.5, "near"), (90, "near"), (-90, "near"), (177.6, "far"), (-154, "far"), (270, "near")],
)
def test_side_for_longitude(longitude, side):
    assert side_for(longitude) == side


@pytest.fixture
def landed(db):
    chang_e_3 = make_mission(
        name="Chang'e-3", slug="chang-e-3", latitude=44.12, longitude=-19.51, landing_site="Mare Imbrium"
    )
    chang_e_4 = make_mission(
        name="Chang'e-4",
        slug="chang-e-4",
        latitude=-45.4446,
        longitude=177.5991,
        landing_site="Von Kármán",
        landing_date=datetime.date(2019, 1, 3),
    )
    chang_e_6 = make_mission(name="Chang'e-6", slug="chang-e-6", latitude=-41.6385, longitude=-153.9852)
    chang_e_5 = make_mission(name="Chang'e-5", slug="chang-e-5", latitude=43.0576, longitude=-51.9161)
    make_mission(name="Queqiao", slug="queqiao")  # no coordinates: not on the map
    make_mission(name="Zqdraft lander", slug="zqdraft-lander", latitude=10, longitude=10, state=DRAFT)
    return chang_e_3, chang_e_4, chang_e_5, chang_e_6


def test_missions_land_on_the_right_disc_and_quadrant(landed):
    near, far = moon_map(Mission.objects.with_landing_sites(), highlight="chang-e-4")
    assert {site.mission.slug for site in near.sites} == {"chang-e-3", "chang-e-5"}
    assert {site.mission.slug for site in far.sites} == {"chang-e-4", "chang-e-6"}
    sites = {site.mission.slug: site for disc in (near, far) for site in disc.sites}
    # North is up (smaller y), west of 0° is left on the near side.
    assert sites["chang-e-3"].x < CENTRE and sites["chang-e-3"].y < CENTRE
    assert sites["chang-e-5"].x < sites["chang-e-3"].x
    # On the far side 177.6° E is just left of the centre, 154° W right of it; both south.
    assert sites["chang-e-4"].x < CENTRE and sites["chang-e-4"].y > CENTRE
    assert sites["chang-e-6"].x > CENTRE and sites["chang-e-6"].y > CENTRE
    assert sites["chang-e-4"].highlighted and not sites["chang-e-6"].highlighted
    # Every site inside its disc.
    for site in sites.values():
        assert math.hypot(site.x - CENTRE, site.y - CENTRE) <= RADIUS


def test_labels_do_not_overlap(landed):
    for number in range(5):
        make_mission(name=f"Lander {number}", latitude=40 + number, longitude=-30 - 3 * number)
    for disc in moon_map(Mission.objects.with_landing_sites()):
        boxes = []
        for site in disc.sites:
            width = text_width(site.mission.local_name, FONT_SIZE)
            left = {"start": site.label_x, "end": site.label_x - width, "middle": site.label_x - width / 2}[site.anchor]
            boxes.append(Box(left, site.label_y - FONT_SIZE, left + width, site.label_y + 2))
        for index, box in enumerate(boxes):
            assert not any(box.overlaps(other) for other in boxes[index + 1 :]), disc.sites[index].mission.slug


def test_the_landing_sites_page(client, landed):
    response = client.get("/en/missions/landing-sites/?highlight=chang-e-4")
    assert response.status_code == 200
    page = response.content.decode()
    for slug in ("chang-e-3", "chang-e-4", "chang-e-5", "chang-e-6"):
        assert f'<a href="/en/missions/{slug}/" class="moon-site' in page
    assert '<a href="/en/missions/chang-e-4/" class="moon-site is-highlighted">' in page
    assert "Chang&#x27;e-4 is ringed." in page
    assert "zqdraft" not in page.lower() and "queqiao" not in page.lower()
    assert "<caption>Landing sites as a table</caption>" in page
    assert "45.4446° S, 177.5991° E" in page


@pytest.mark.parametrize("highlight", ["zqdraft-lander", "nope", "%00", "<script>", "x" * 5000])
def test_an_unknown_or_draft_highlight_highlights_nothing(client, landed, highlight):
    response = client.get("/en/missions/landing-sites/", {"highlight": highlight})
    assert response.status_code == 200
    page = response.content.decode()
    page = page[page.index("<main") :]  # not the links to this page in other languages
    assert "is-highlighted" not in page and "zqdraft" not in page.lower()


def test_a_landed_mission_links_to_the_map(client, landed):
    page = client.get("/en/missions/chang-e-4/").content.decode()
    assert 'href="/en/missions/landing-sites/?highlight=chang-e-4"' in page
    # Its own side of the Moon, with only its site, ringed.
    assert 'class="picture moon-disc moon-disc-far"' in page and "moon-disc-near" not in page
    assert page.count('class="moon-site') == 1 and 'class="moon-site is-highlighted"' in page
    assert "landing-sites" not in client.get("/en/missions/queqiao/").content.decode()


def test_the_landing_sites_page_in_chinese(client, landed):
    response = client.get("/zh-hans/missions/landing-sites/")
    assert response.status_code == 200
    assert '<a href="/zh-hans/missions/chang-e-6/" class="moon-site">' in response.content.decode()


def test_each_disc_shows_the_real_moon_under_its_markers(client, landed):
    """The near and far side photographs (static/img/moon/) lie under the SVG: AVIF and WebP
    with a JPEG fallback, sized so the page does not shift while they load."""
    page = client.get("/en/missions/landing-sites/").content.decode()
    for side in ("near", "far"):
        for extension in ("avif", "webp"):
            small, large = (f"/static/img/moon/{side}-side-{width}.{extension}" for width in (410, 820))
            assert f'srcset="{small} 410w, {large} 820w"' in page
        assert f'<img class="moon-photo" src="/static/img/moon/{side}-side-410.jpg"' in page
    assert page.count('width="410" height="410"') == 2
    assert "{#" not in page  # the template's comments stay comments


def test_the_locator_globe_on_a_mission_shows_the_real_moon(client, landed):
    page = client.get("/en/missions/chang-e-4/").content.decode()
    assert '<img class="moon-photo" src="/static/img/moon/far-side-410.jpg"' in page
    assert "near-side-410" not in page
