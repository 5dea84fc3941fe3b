"""The landing-site map: the near and far sides of the Moon as two discs, each landed mission
at its selenographic latitude and longitude.

Each disc is an orthographic projection, the Moon seen from far away: the near side centred on
0° longitude (as from the Earth), the far side on 180°. East is to the right on the near side,
so on the far side, seen from beyond the Moon, 90° E is on the left edge.
"""

import math
from dataclasses import dataclass, field
from functools import cache

from django.utils.translation import gettext_lazy as _

from publishing.svg import Box, text_width

RADIUS = 150
MARGIN = 14
SIZE = 2 * (RADIUS + MARGIN)
FONT_SIZE = 13
MARKER = 6
GRATICULE_STEP = 30
NEAR_CENTRE, FAR_CENTRE = 0.0, 180.0


def orthographic(latitude: float, longitude: float, centre_longitude: float) -> tuple[float, float, bool]:
    """A point of the unit sphere seen from above (0°, `centre_longitude`): x to the right
    (east on the near side), y up, and whether it is on the visible hemisphere."""
    phi = math.radians(latitude)
    delta = math.radians(longitude - centre_longitude)
    x = math.cos(phi) * math.sin(delta)
    y = math.sin(phi)
    visible = math.cos(phi) * math.cos(delta) >= -1e-9
    return x, y, visible


def side_for(longitude: float) -> str:
    """The disc a site is drawn on: near side within 90° of 0° longitude, far side beyond."""
    longitude = (float(longitude) + 180) % 360 - 180
    return "near" if abs(longitude) <= 90 else "far"


def to_disc(x: float, y: float) -> tuple[float, float]:
    """Unit disc coordinates (y up) to SVG pixels in a disc's own picture (y down)."""
    centre = RADIUS + MARGIN
    return round(centre + x * RADIUS, 1), round(centre - y * RADIUS, 1)


@cache  # the same two grids on every page: worked out once per process
def graticule(centre_longitude: float) -> tuple[str, ...]:
    """Path data of the meridians and parallels every 30° on the visible hemisphere."""
    paths = []
    for longitude in range(-180, 180, GRATICULE_STEP):
        points = [orthographic(lat, longitude, centre_longitude) for lat in range(-90, 91, 5)]
        paths.append(_polyline([to_disc(x, y) for x, y, visible in points if visible]))
    for latitude in range(-90 + GRATICULE_STEP, 90, GRATICULE_STEP):
        points = [orthographic(latitude, centre_longitude + lon, centre_longitude) for lon in range(-90, 91, 5)]
        paths.append(_polyline([to_disc(x, y) for x, y, _visible in points]))
    return tuple(path for path in paths if path)


def _polyline(points) -> str:
    if len(points) < 2:
        return ""
    return "M" + " L".join(f"{x} {y}" for x, y in points)


@dataclass
class Site:
    mission: object
    x: float
    y: float
    label_x: float = 0
    label_y: float = 0
    anchor: str = "start"
    highlighted: bool = False


@dataclass
class Disc:
    side: str
    title: str
    centre_longitude: float
    size: int = SIZE
    radius: int = RADIUS
    centre: float = RADIUS + MARGIN
    sites: list[Site] = field(default_factory=list)
    graticule: tuple[str, ...] = ()


def place_labels(sites: list[Site], font_size: float = FONT_SIZE) -> None:
    """Put each name beside its marker: right, left, below or above, the first spot that
    overlaps no marker or label placed before and stays inside the picture."""
    taken = [Box(s.x - MARKER, s.y - MARKER, s.x + MARKER, s.y + MARKER) for s in sites]
    for site in sorted(sites, key=lambda s: (s.y, s.x)):
        width = text_width(site.mission.local_name, font_size)
        height = font_size
        candidates = [
            ("start", site.x + MARKER + 3, site.y + height / 3),
            ("end", site.x - MARKER - 3, site.y + height / 3),
            ("middle", site.x, site.y + MARKER + height + 1),
            ("middle", site.x, site.y - MARKER - 4),
        ]
        # Crowded: a line or more further up or down, still beside the marker.
        for lines in (1, 2, 3):
            for direction in (1, -1):
                shift = direction * lines * (height + 2)
                candidates.append(("start", site.x + MARKER + 3, site.y + height / 3 + shift))
                candidates.append(("end", site.x - MARKER - 3, site.y + height / 3 + shift))
        chosen = None
        for anchor, x, y in candidates:
            left = {"start": x, "end": x - width, "middle": x - width / 2}[anchor]
            box = Box(left, y - height, left + width, y + 2)
            inside = box.left >= 0 and box.right <= SIZE and box.top >= 0 and box.bottom <= SIZE
            if inside and not any(box.overlaps(other) for other in taken):
                chosen = (anchor, x, y, box)
                break
        if chosen is None:  # nowhere free: keep to the right, or the left near the right edge
            anchor, x, y = candidates[0] if site.x + width < SIZE else candidates[1]
            left = x if anchor == "start" else x - width
            chosen = (anchor, x, y, Box(left, y - height, left + width, y + 2))
        site.anchor, site.label_x, site.label_y = chosen[0], round(chosen[1], 1), round(chosen[2], 1)
        taken.append(chosen[3])


def moon_map(missions, highlight: str = "") -> list[Disc]:
    """The two discs with every mission in `missions` that has coordinates; `highlight` is the
    slug of a mission to stand out."""
    discs = {
        "near": Disc("near", _("Near side"), NEAR_CENTRE),
        "far": Disc("far", _("Far side"), FAR_CENTRE),
    }
    for mission in missions:
        if mission.latitude is None or mission.longitude is None:
            continue
        disc = discs[side_for(mission.longitude)]
        x, y, _visible = orthographic(float(mission.latitude), float(mission.longitude), disc.centre_longitude)
        px, py = to_disc(x, y)
        disc.sites.append(Site(mission, px, py, highlighted=bool(highlight) and mission.slug == highlight))
    for disc in discs.values():
        disc.graticule = graticule(disc.centre_longitude)
        place_labels(disc.sites)
    return list(discs.values())
