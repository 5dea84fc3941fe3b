"""Pictures of the real lunar surface: the local view around a landing site
(missions.imagery.site_crop), reprojected from an equirectangular map of the Moon."""

import io
import math

import pytest
from PIL import Image, ImageDraw

from missions import imagery
from missions.imagery import MOON_RADIUS_KM, basemap, orthographic_view, renditions, scale_bar_length, site_crop

CHANG_E_4 = (-45.4446, 177.5991)  # as in lunarportal/demo/content.json (LROC-derived)
RED = imagery.MARKER_RED
WHITE = (255, 255, 255)


def sample(image: Image.Image, latitude: float, longitude: float) -> float:
    """The equirectangular map read directly at a position, bilinear between pixel centres."""
    u = (longitude + 180) / 360 * image.width - 0.5
    v = min(max((90 - latitude) / 180 * image.height - 0.5, 0), image.height - 1)
    x0, y0 = math.floor(u), math.floor(v)
    fx, fy = u - x0, v - y0
    y1 = min(y0 + 1, image.height - 1)

    def at(x, y):
        return image.getpixel((x % image.width, y))

    top = at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx
    bottom = at(x0, y1) * (1 - fx) + at(x0 + 1, y1) * fx
    return top * (1 - fy) + bottom * fy


def synthetic_map(paint) -> Image.Image:
    """A small white equirectangular map; `paint(draw, to_pixel)` marks it in black."""
    image = Image.new("L", (720, 360), 255)

    def to_pixel(latitude, longitude):
        return (longitude + 180) / 360 * image.width, (90 - latitude) / 180 * image.height

    paint(ImageDraw.Draw(image), to_pixel)
    return image


def dark_pixels(image: Image.Image, threshold: int = 100) -> list[tuple[int, int]]:
    """Where the map is dark: grey pixels only, not the coloured marker or scale bar."""
    rgb = image.convert("RGB")
    return [
        (x, y)
        for y in range(rgb.height)
        for x in range(rgb.width)
        if len(set(colour := rgb.getpixel((x, y)))) == 1 and colour[0] < threshold
    ]


def centroid(points):
    return sum(x for x, _ in points) / len(points), sum(y for _, y in points) / len(points)


# The local view around a landing site


def difference_from_map(view, source, latitude, longitude, width_km, pixels) -> float:
    """How far, on average, the view's pixels are from the map read directly at the positions
    the projection gives them (0 to 255)."""
    radii_per_pixel = width_km / view.width / MOON_RADIUS_KM
    errors = []
    for column, row in pixels:
        x = (column + 0.5 - view.width / 2) * radii_per_pixel
        y = (view.height / 2 - row - 0.5) * radii_per_pixel
        point_latitude, offset = imagery.inverse_orthographic(x, y, latitude)
        errors.append(abs(view.getpixel((column, row)) - sample(source, point_latitude, longitude + offset)))
    return sum(errors) / len(errors)


def test_the_picture_of_chang_e_4_shows_the_map_at_the_site_and_around_it():
    latitude, longitude = CHANG_E_4
    picture = site_crop(latitude, longitude, width_km=600, size_px=640)
    assert picture.size == (640, 640) and picture.mode == "RGB"
    grey = picture.convert("L")
    # The site itself is left visible inside the ring: the pixels either side of the centre
    # are the map read at the site.
    centre = (grey.getpixel((319, 319)) + grey.getpixel((320, 320))) / 2
    assert centre == pytest.approx(sample(basemap(), latitude, longitude), abs=4)
    # Points across the picture, away from the ring and the scale bar, are the map read where
    # the projection puts them; a picture centred 30 km further north would not match.
    points = [(column, row) for column in range(40, 640, 80) for row in range(40, 520, 80)]
    here = difference_from_map(grey, basemap(), latitude, longitude, 600, points)
    assert here < 3
    north = latitude + math.degrees(30 / MOON_RADIUS_KM)
    assert difference_from_map(grey, basemap(), north, longitude, 600, points) > 3 * here


def striped_map() -> Image.Image:
    """Black and white sectors 30° of longitude wide: they meet at the poles."""

    def paint(draw, to_pixel):
        for longitude in range(-180, 180, 60):
            draw.rectangle((*to_pixel(90, longitude), to_pixel(-90, longitude + 30)[0] - 1, 360), fill=0)

    return synthetic_map(paint)


@pytest.mark.parametrize("longitude", [0, 37, 180])
def test_beyond_the_pole_the_picture_is_the_map_not_a_smear(longitude):
    # The meridian opposite the site runs down from the pole, where longitude jumps by 360°.
    stripes = striped_map()
    view = orthographic_view(stripes, -85, longitude, half_width=300 / MOON_RADIUS_KM, size=(640, 640))
    pole_row = 320 + math.sin(math.radians(5)) * MOON_RADIUS_KM * 640 / 600
    below_the_pole = [(column, row) for column in range(304, 336) for row in range(round(pole_row) + 16, 640, 2)]
    assert difference_from_map(view, stripes, -85, longitude, 600, below_the_pole) < 2


@pytest.mark.parametrize("longitude", [30, 0, 180, -97.5])
def test_near_the_south_pole_the_pole_is_towards_the_bottom_of_the_picture(monkeypatch, longitude):
    # A map whose only dark spot is the south polar cap, below 88° S.
    polar_cap = synthetic_map(lambda draw, to_pixel: draw.rectangle((0, to_pixel(-88, 0)[1], 720, 360), fill=0))
    monkeypatch.setattr(imagery, "basemap", lambda: polar_cap)
    picture = site_crop(-85, longitude, width_km=600, size_px=640)
    cap = dark_pixels(picture)
    x, y = centroid(cap)
    # 5° of arc south of the centre, on the central meridian, at 600 km per 640 px.
    pole_px = math.sin(math.radians(5)) * MOON_RADIUS_KM * 640 / 600
    assert x == pytest.approx(320, abs=2)
    assert y == pytest.approx(320 + pole_px, abs=3)
    # The cap is a round patch of the right size, not a smear along the map's seam.
    expected_radius = math.sin(math.radians(2)) * MOON_RADIUS_KM * 640 / 600
    assert len(cap) == pytest.approx(math.pi * expected_radius**2, rel=0.1)


def test_east_is_to_the_right_even_across_the_maps_seam():
    # Dark from 170° E to 180°, white from 180° to 170° W: the seam of the map runs between.
    east_of_seam = synthetic_map(lambda draw, to_pixel: draw.rectangle((*to_pixel(90, 170), 720, 360), fill=0))
    view = orthographic_view(east_of_seam, -45, 179, half_width=0.2, size=(200, 200))
    # The picture's centre is 179° E: dark from 170° E on its left (west) to 180° just right of
    # the centre, white beyond.
    meridian_170, meridian_180 = (100 + imagery.orthographic(-45, lon, -45, 179)[0] * 100 / 0.2 for lon in (170, 180))
    row = 100
    assert view.getpixel((math.floor(meridian_170) - 3, row)) > 235
    assert view.getpixel((math.ceil(meridian_170) + 3, row)) < 20
    assert view.getpixel((math.floor(meridian_180) - 2, row)) < 20
    assert view.getpixel((math.ceil(meridian_180) + 2, row)) > 235
    assert view.getpixel((195, row)) > 235


@pytest.mark.parametrize("latitude", [0, -45, -80])
def test_a_site_on_the_maps_seam_shows_nothing_from_the_middle_of_the_map(latitude):
    # Dark between 0° and 10° E, on the other side of the Moon from a view centred on 180°.
    near_side_band = synthetic_map(
        lambda draw, to_pixel: draw.rectangle((*to_pixel(90, 0), *to_pixel(-90, 10)), fill=0)
    )
    view = orthographic_view(near_side_band, latitude, 180, half_width=0.1, size=(100, 100))
    assert view.getextrema()[0] > 235


@pytest.mark.parametrize(
    ("width_km", "bar_km"), [(600, 100), (400, 100), (1000, 200), (250, 50), (60, 10), (2000, 500), (90, 20)]
)
def test_the_scale_bar_is_a_round_distance_up_to_a_quarter_of_the_view(width_km, bar_km):
    assert scale_bar_length(width_km) == bar_km


def longest_white_run(picture: Image.Image, rows) -> int:
    longest = 0
    for row in rows:
        run = 0
        for column in range(picture.width):
            run = run + 1 if picture.getpixel((column, row)) == WHITE else 0
            longest = max(longest, run)
    return longest


@pytest.mark.parametrize(("width_km", "size_px"), [(600, 640), (400, 640), (1000, 640), (600, 320)])
def test_the_scale_bar_is_as_long_as_its_distance_at_the_pictures_scale(width_km, size_px):
    picture = site_crop(*CHANG_E_4, width_km=width_km, size_px=size_px)
    km_per_pixel = width_km / size_px
    expected = scale_bar_length(width_km) / km_per_pixel
    bar = longest_white_run(picture, range(int(size_px * 0.85), size_px))
    assert bar == pytest.approx(expected, abs=1)


def test_the_site_is_ringed_in_the_landing_site_maps_red():
    picture = site_crop(*CHANG_E_4, width_km=600, size_px=640)
    radius = 640 / 32 + 1
    for dx, dy in ((1, 0), (-1, 0), (0, 1), (0, -1)):
        x, y = round(320 + dx * radius), round(320 + dy * radius)
        assert picture.getpixel((x, y)) == RED
    reds = [(x, y) for y in range(640) for x in range(640) if picture.getpixel((x, y)) == RED]
    assert all(math.dist((x + 0.5, y + 0.5), (320, 320)) < 640 / 32 + 4 for x, y in reds)
    assert picture.getpixel((320, 320)) != RED


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"latitude": -91, "longitude": 0}, "Not a position on the Moon"),
        ({"latitude": 0, "longitude": float("nan")}, "Not a position on the Moon"),
        ({"latitude": 0, "longitude": 0, "width_km": 0}, "width"),
        ({"latitude": 0, "longitude": 0, "width_km": 3000}, "width"),
        ({"latitude": 0, "longitude": 0, "size_px": 641}, "even"),
        ({"latitude": 0, "longitude": 0, "size_px": 32}, "at least"),
    ],
)
def test_impossible_views_are_refused_with_a_reason(arguments, message):
    with pytest.raises(ValueError, match=message):
        site_crop(**arguments)


def test_a_longitude_east_of_180_is_the_same_place_west_of_it():
    assert site_crop(-41.6385, 206.0148).tobytes() == site_crop(-41.6385, -153.9852).tobytes()


def test_the_picture_comes_in_srcset_widths_as_webp_and_jpeg():
    made = renditions(site_crop(*CHANG_E_4, width_km=600, size_px=640))
    assert sorted((d["width"], d["height"], d["format"]) for d, _ in made) == [
        (320, 320, "jpeg"),
        (320, 320, "webp"),
        (640, 640, "jpeg"),
        (640, 640, "webp"),
    ]
    for description, content in made:
        with Image.open(io.BytesIO(content.read())) as image:
            assert image.format == description["format"].upper()
            assert image.size == (description["width"], description["height"])
