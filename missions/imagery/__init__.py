"""Pictures of the lunar surface reprojected from one equirectangular map of the whole Moon
(`moon_equirectangular.webp` beside this file; its source and licence are in README.md): a local
view around a landing site with a marker and a scale bar, and the whole near and far side discs
that `tools/build_moon_basemap.py` renders once for the landing-site maps.

Every view is an orthographic projection of the Moon seen from far above a centre point, north
up and east to the right (as on the landing-site discs in missions/pictures/moon_map.py). Its
plane is measured in Moon radii: x to the east, y to the north of the centre, and a point at
distance rho from the centre is on the surface when rho <= 1.

Only Pillow, so that it runs wherever the site runs. Pillow has no per-pixel formula, so the
exact projection is worked out at the corners of small cells and `Image.transform(MESH)`
interpolates inside each one, in C. Longitudes are taken as offsets from the centre's and the
map is read across its ±180° edge, so that edge never shows. A pole in the view is the one
place where a cell could still straddle a jump of 360°: beyond the pole, the meridian opposite
the centre runs down the view's central line, 180° west on one side of it and 180° east on the
other. So the view is drawn as two halves split on that line, the west half reading points 0 to
180° west of the centre, the east half 0 to 180° east.
"""

import io
import math
from functools import cache
from pathlib import Path

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw, ImageFont

from publishing.images import renditions_of

MOON_RADIUS_KM = 1737.4
BASEMAP_PATH = Path(__file__).with_name("moon_equirectangular.webp")
# The map's left edge is 180° W, its middle 0° (the centre of the near side); east to the right,
# north up, every column the same width in longitude and every row the same in latitude.
WEST_EDGE_LONGITUDE = -180.0
# Pixels between the points where the projection is computed exactly.
CELL = 8
# Beyond this the corners of a square view would fall off the limb of the Moon.
MAX_WIDTH_KM = round(2 * MOON_RADIUS_KM / math.sqrt(2) - 1)
MIN_SIZE_PX = 64
# The landing-site discs' marker colour (static/css/pictures.css, .site-marker).
MARKER_RED = (164, 0, 29)
WHITE = (255, 255, 255)
DARK = (27, 30, 36)


@cache  # decoded once per process: a management command makes every mission's picture from it
def basemap() -> Image.Image:
    """The equirectangular map of the Moon, greyscale."""
    with Image.open(BASEMAP_PATH) as image:
        return image.convert("L")


def inverse_orthographic(x: float, y: float, centre_latitude: float) -> tuple[float, float]:
    """The latitude of the point (x, y) of a view centred on `centre_latitude`, and its
    longitude as an offset from the centre's, -180 to 180. A point beyond the limb is taken to
    the limb, on the same bearing."""
    rho = math.hypot(x, y)
    if rho > 1:
        x, y, rho = x / rho, y / rho, 1.0
    # The inverse orthographic formulas of Snyder, Map Projections: A Working Manual (1987),
    # with both arguments of the arctangent divided by sin(c) = rho.
    cos_c = math.sqrt(max(0.0, 1 - rho * rho))
    phi0 = math.radians(centre_latitude)
    sin_phi = cos_c * math.sin(phi0) + y * math.cos(phi0)
    latitude = math.degrees(math.asin(max(-1.0, min(1.0, sin_phi))))
    offset = math.degrees(math.atan2(x, cos_c * math.cos(phi0) - y * math.sin(phi0)))
    return latitude, offset


def orthographic(latitude: float, longitude: float, centre_latitude: float, centre_longitude: float):
    """Where a point of the surface is in a view centred on (`centre_latitude`,
    `centre_longitude`): x east and y north in Moon radii, and whether it faces the viewer."""
    phi, phi0 = math.radians(latitude), math.radians(centre_latitude)
    delta = math.radians(longitude - centre_longitude)
    x = math.cos(phi) * math.sin(delta)
    y = math.cos(phi0) * math.sin(phi) - math.sin(phi0) * math.cos(phi) * math.cos(delta)
    facing = math.sin(phi0) * math.sin(phi) + math.cos(phi0) * math.cos(phi) * math.cos(delta) >= -1e-9
    return x, y, facing


def map_position(source: Image.Image, latitude: float, longitude: float) -> tuple[float, float]:
    """The point of the equirectangular `source` at these coordinates, in Pillow's continuous
    pixel coordinates (pixel i covers i to i + 1). Longitude is not wrapped."""
    width, height = source.size
    return (longitude - WEST_EDGE_LONGITUDE) / 360 * width, (90 - latitude) / 180 * height


def orthographic_view(
    source: Image.Image,
    centre_latitude: float,
    centre_longitude: float,
    *,
    half_width: float,
    size: tuple[int, int],
    resample: Image.Resampling = Image.Resampling.BICUBIC,
) -> Image.Image:
    """The equirectangular `source` seen from above the centre point: the plane from
    -`half_width` to `half_width` Moon radii across, and as much of it upwards and downwards as
    the shape of `size` allows, centred; north up. Points beyond the limb take the colour of the
    limb: mask them when the view shows the whole disc. The width must be even, so that the
    central meridian falls between two columns."""
    width, height = size
    if width % 2:
        raise ValueError("An orthographic view needs an even width in pixels.")
    per_pixel = half_width / (width / 2)
    view = Image.new(source.mode, size)
    rows = _cell_edges(0, height)
    for east in (False, True):
        left = width // 2 if east else 0
        columns = _cell_edges(left, left + width // 2)
        corners = {}
        for column in columns:
            x = (column - width / 2) * per_pixel
            for row in rows:
                latitude, offset = inverse_orthographic(x, (height / 2 - row) * per_pixel, centre_latitude)
                # On the central meridian itself the offset is 0° or ±180° (beyond a pole): keep
                # it on this half's side.
                if east and offset < 0:
                    offset += 360
                elif not east and offset > 0:
                    offset -= 360
                u, v = map_position(source, latitude, centre_longitude + offset)
                # A pole is the map's top or bottom edge; stay a hair inside it.
                corners[column, row] = (u, min(max(v, 0.0), source.height - 1e-3))
        strip, (strip_left, strip_top) = _strip(source, corners.values())
        mesh = []
        for x0, x1 in zip(columns, columns[1:], strict=False):
            for y0, y1 in zip(rows, rows[1:], strict=False):
                quad = []
                for corner in ((x0, y0), (x0, y1), (x1, y1), (x1, y0)):  # NW, SW, SE, NE
                    u, v = corners[corner]
                    quad += [u - strip_left, v - strip_top]
                mesh.append(((x0 - left, y0, x1 - left, y1), quad))
        half = strip.transform((width // 2, height), Image.Transform.MESH, mesh, resample=resample)
        view.paste(half, (left, 0))
    return view


def _cell_edges(start: int, stop: int) -> list[int]:
    return list(range(start, stop, CELL)) + [stop]


def _strip(source: Image.Image, points) -> tuple[Image.Image, tuple[int, int]]:
    """The part of the map the points lie in, with a margin for the resampling filter, cut
    across the ±180° seam if need be: the strip and where its top left corner is on the
    (unwrapped) map."""
    points = list(points)
    margin = 3
    left = math.floor(min(u for u, _ in points)) - margin
    right = math.ceil(max(u for u, _ in points)) + margin
    top = max(0, math.floor(min(v for _, v in points)) - margin)
    bottom = min(source.height, math.ceil(max(v for _, v in points)) + margin)
    strip = Image.new(source.mode, (right - left, bottom - top))
    column = left
    while column < right:
        start = column % source.width
        count = min(right - column, source.width - start)
        strip.paste(source.crop((start, top, start + count, bottom)), (column - left, 0))
        column += count
    return strip, (left, top)


def scale_bar_length(width_km: float) -> float:
    """A round distance, 1, 2 or 5 times a power of ten, at most a quarter of the view's width."""
    quarter = width_km / 4
    power = 10 ** math.floor(math.log10(quarter))
    return max(step * power for step in (1, 2, 5) if step * power <= quarter)


def site_crop(latitude: float, longitude: float, *, width_km: float = 600, size_px: int = 640) -> Image.Image:
    """A square RGB picture of the surface around a site, `width_km` across at the site, north
    up, east to the right: a red ring around the site at the centre (the site itself stays
    visible) and a scale bar labelled in kilometres in the lower left corner. The scale is true
    at the centre; towards the edges it shrinks, by 1.5% in a 600 km view."""
    latitude, longitude, width_km = float(latitude), float(longitude), float(width_km)
    if not -90 <= latitude <= 90 or not math.isfinite(longitude):
        raise ValueError(f"Not a position on the Moon: {latitude}, {longitude}.")
    if not 0 < width_km <= MAX_WIDTH_KM:
        raise ValueError(f"The view's width must be more than 0 and at most {MAX_WIDTH_KM} km.")
    if size_px < MIN_SIZE_PX or size_px % 2:
        raise ValueError(f"The picture's size must be an even number of pixels, at least {MIN_SIZE_PX}.")
    half_width = width_km / 2 / MOON_RADIUS_KM
    surface = orthographic_view(basemap(), latitude, longitude, half_width=half_width, size=(size_px, size_px))
    picture = surface.convert("RGB")
    draw = ImageDraw.Draw(picture)
    _draw_marker(draw, size_px)
    _draw_scale_bar(draw, width_km, size_px)
    return picture


def _draw_marker(draw: ImageDraw.ImageDraw, size_px: int) -> None:
    """A red ring edged in white, as on the landing-site maps, with the site visible inside."""
    centre = size_px / 2
    radius = size_px / 32
    line = max(2, round(size_px / 200))
    for colour, width in ((WHITE, line + 2), (MARKER_RED, line)):
        outer = radius + width / 2
        draw.ellipse((centre - outer, centre - outer, centre + outer, centre + outer), outline=colour, width=width)


def _draw_scale_bar(draw: ImageDraw.ImageDraw, width_km: float, size_px: int) -> None:
    """A white bar with a dark outline, its length the labelled distance at the centre's scale."""
    length_km = scale_bar_length(width_km)
    length_px = round(length_km * size_px / width_km)
    margin = round(size_px / 24)
    thickness = max(3, round(size_px / 100))
    outline = max(1, round(size_px / 320))
    left, bottom = margin, size_px - margin
    top = bottom - thickness
    draw.rectangle((left - outline, top - outline, left + length_px - 1 + outline, bottom - 1 + outline), fill=DARK)
    draw.rectangle((left, top, left + length_px - 1, bottom - 1), fill=WHITE)
    font = ImageFont.load_default(size=max(10, round(size_px / 26)))
    draw.text(
        (left, top - outline - 4),
        f"{length_km:g} km",
        font=font,
        anchor="ld",
        fill=WHITE,
        stroke_width=max(1, round(size_px / 320)) + 1,
        stroke_fill=DARK,
    )


def renditions(picture: Image.Image) -> list[tuple[dict, ContentFile]]:
    """The picture at the srcset widths up to its own, each as WebP and JPEG, made the way an
    editor's upload is (publishing.images.renditions_of): (description, file) pairs, the
    description {"width", "height", "format"} and the file a ContentFile with a generated name,
    ready for `storage.save()`."""
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return renditions_of(buffer)
