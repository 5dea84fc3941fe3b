"""Pictures of the real lunar surface: the near and far side discs under the landing-site map
(static/img/moon/, made by tools/build_moon_basemap.py) and the local view around a landing site
(missions.imagery.site_crop), both reprojected from one equirectangular map."""

import importlib.util
import io
import math
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageStat

from missions import imagery
from missions.imagery import MOON_RADIUS_KM, basemap, orthographic_view, renditions, scale_bar_length, site_crop
from missions.pictures.moon_map import FAR_CENTRE, MARGIN, NEAR_CENTRE, RADIUS, SIZE, orthographic, to_disc

ROOT = Path(__file__).resolve().parents[2]
MOON_IMAGES = ROOT / "static" / "img" / "moon"
SPEC = importlib.util.spec_from_file_location("build_moon_basemap", ROOT / "tools" / "build_moon_basemap.py")
build = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(build)

CHANG_E_4 = (-45.4446, 177.5991)  # as in website/demo/content.json (LROC-derived)
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


# The near and far side discs


HEMISPHERES = sorted(MOON_IMAGES.glob("*-side-*.*"))


def test_every_side_comes_in_two_widths_and_three_formats():
    assert sorted(path.name for path in HEMISPHERES) == sorted(
        f"{side}-side-{width}.{extension}"
        for side in ("near", "far")
        for width in (820, 410)
        for extension in ("avif", "webp", "jpg")
    )


@pytest.mark.parametrize("path", HEMISPHERES, ids=lambda path: path.name)
def test_each_disc_image_is_small_and_opens_at_its_size(path):
    assert path.stat().st_size < 150 * 1024
    width = int(path.stem.rsplit("-", 1)[1])
    with Image.open(path) as image:
        assert image.size == (width, width)
        assert image.format == {"avif": "AVIF", "webp": "WEBP", "jpg": "JPEG"}[path.suffix[1:]]


def open_disc(side: str, width: int, extension: str) -> Image.Image:
    with Image.open(MOON_IMAGES / f"{side}-side-{width}.{extension}") as image:
        return image.convert("RGBA")


def at_svg_point(image: Image.Image, svg_x: float, svg_y: float, radius: float = 0) -> tuple[float, float]:
    """The mean grey and opacity of the image around the SVG viewBox point (svg_x, svg_y)."""
    scale = image.width / SIZE
    x, y = svg_x * scale, svg_y * scale
    r = max(radius * scale, 1)
    box = tuple(round(value) for value in (x - r, y - r, x + r, y + r))
    grey = ImageStat.Stat(image.convert("L").crop(box)).mean[0]
    opacity = ImageStat.Stat(image.getchannel("A").crop(box)).mean[0]
    return grey, opacity


def site_grey(image, latitude, longitude, centre, radius=3):
    """The image's grey where the landing-site map puts a marker for this position."""
    x, y, visible = orthographic(latitude, longitude, centre)
    assert visible
    return at_svg_point(image, *to_disc(x, y), radius=radius)[0]


FORMATS = [(width, extension) for width in (820, 410) for extension in ("avif", "webp", "jpg")]


@pytest.mark.parametrize(("width", "extension"), FORMATS)
def test_the_near_side_shows_its_maria_where_the_landing_site_map_puts_them(width, extension):
    near = open_disc("near", width, extension)
    highlands = site_grey(near, -20, 10, NEAR_CENTRE, radius=6)
    # Mare Imbrium, Mare Crisium and Mare Tranquillitatis are dark; Tycho's bright.
    for latitude, longitude in ((33, -16), (17, 59), (8.5, 31)):
        assert site_grey(near, latitude, longitude, NEAR_CENTRE) < highlands - 35
    assert site_grey(near, -43.3, -11.2, NEAR_CENTRE, radius=1) > highlands + 30
    # Mare Crisium, an oval 500 km across, has bright highlands 10° to its east and west.
    assert site_grey(near, 17, 74, NEAR_CENTRE) > site_grey(near, 17, 59, NEAR_CENTRE) + 40
    assert site_grey(near, 17, 44, NEAR_CENTRE) > site_grey(near, 17, 59, NEAR_CENTRE) + 40


@pytest.mark.parametrize(("width", "extension"), FORMATS)
def test_the_far_side_is_bright_highland_with_the_south_pole_aitken_basin_darker(width, extension):
    far = open_disc("far", width, extension)
    northern_highlands = site_grey(far, 30, 180, FAR_CENTRE, radius=20)
    # The South Pole-Aitken basin, around 53° S 169° W, is a darker region of the south.
    assert site_grey(far, -53, -169, FAR_CENTRE, radius=20) < northern_highlands - 25
    # Mare Moscoviense (27° N 148° E), small and dark, seen from beyond the Moon: left of centre.
    assert site_grey(far, 27.3, 147.9, FAR_CENTRE) < northern_highlands - 50
    mirrored = orthographic(27.3, 212.1, FAR_CENTRE)
    assert at_svg_point(far, *to_disc(mirrored[0], mirrored[1]), radius=3)[0] > northern_highlands - 30


@pytest.mark.parametrize(("side", "width", "extension"), [(s, w, e) for s in ("near", "far") for w, e in FORMATS])
def test_the_disc_fills_the_landing_site_maps_circle_and_nothing_else(side, width, extension):
    disc = open_disc(side, width, extension)
    centre = RADIUS + MARGIN
    outside = (255, 0) if extension == "jpg" else None  # the JPEG is white outside the disc
    for svg_x, svg_y in ((centre, centre), (MARGIN + 2, centre), (centre, SIZE - MARGIN - 2)):
        assert at_svg_point(disc, svg_x, svg_y)[1] > 245
    for svg_x, svg_y in ((MARGIN - 2, centre), (centre, SIZE - MARGIN + 2), (1, 1), (SIZE - 1, SIZE - 1)):
        grey, opacity = at_svg_point(disc, svg_x, svg_y)
        if outside:
            assert grey > 250
        else:
            assert opacity < 10


@pytest.mark.parametrize(("side", "centre", "site"), [("near", NEAR_CENTRE, (30, 40)), ("far", FAR_CENTRE, CHANG_E_4)])
def test_the_tool_draws_a_spot_where_the_landing_site_map_puts_its_marker(side, centre, site):
    latitude, longitude = site

    def spot(draw, to_pixel):
        x, y = to_pixel(latitude, longitude)
        draw.ellipse((x - 4, y - 4, x + 4, y + 4), fill=0)

    disc = build.hemisphere(synthetic_map(spot), side, 410)
    on_paper = Image.new("L", disc.size, 255)
    on_paper.paste(disc.getchannel("L"), mask=disc.getchannel("A"))
    x, y, _visible = orthographic(latitude, longitude, centre)
    svg_x, svg_y = to_disc(x, y)
    found_x, found_y = centroid(dark_pixels(on_paper))
    scale = 410 / SIZE
    assert (found_x + 0.5, found_y + 0.5) == (pytest.approx(svg_x * scale, abs=1), pytest.approx(svg_y * scale, abs=1))
