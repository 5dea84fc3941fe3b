"""The picture of a landing site: the basemap around a mission's coordinates, with a marker and a
scale bar (missions.imagery.site_crop), stored in MEDIA under a name made from the coordinates.

The name is the whole cache rule. A page links the name its coordinates give; the file is made
by `manage.py make_mission_pictures` (which `make run` calls) or, failing that, by the first
request for it (missions.views.site_picture). Moving a site changes the name, so the next page
links a new file and no stale one is ever served; an unchanged site is never drawn twice.
Nothing is committed and no test pays for a crop it does not ask for.
"""

import hashlib
import math
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils.translation import gettext as _

from missions.imagery import renditions, site_crop

WIDTH_KM = 600
SIZE_PX = 640
WIDTHS = (320, 640)
FORMATS = {"webp": "webp", "jpeg": "jpg"}
CONTENT_TYPES = {"webp": "image/webp", "jpg": "image/jpeg"}
FOLDER = "mission-pictures"
# Part of every name: change it when the drawing changes, so that every picture is made again.
DRAWING_VERSION = 1


class BadCoordinates(ValueError):
    """Coordinates no picture can be made from; the message says which and why."""


def check_coordinates(latitude, longitude) -> tuple[float, float]:
    """The coordinates as floats, or BadCoordinates saying what is wrong with them."""
    try:
        latitude, longitude = float(latitude), float(longitude)
    except (TypeError, ValueError) as error:
        raise BadCoordinates(_("The landing site needs both a latitude and a longitude.")) from error
    if not math.isfinite(latitude) or not -90 <= latitude <= 90:
        raise BadCoordinates(_("Latitude %(value)s is not between -90 and 90.") % {"value": f"{latitude:g}"})
    if not math.isfinite(longitude) or not -180 <= longitude <= 180:
        raise BadCoordinates(_("Longitude %(value)s is not between -180 and 180.") % {"value": f"{longitude:g}"})
    return latitude, longitude


def site_key(latitude: float, longitude: float) -> str:
    text = f"{Decimal(latitude):.5f} {Decimal(longitude):.5f} {WIDTH_KM} {SIZE_PX} {DRAWING_VERSION}"
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def file_name(key: str, width: int, extension: str) -> str:
    return f"{FOLDER}/site-{key}-{width}.{extension}"


@dataclass(frozen=True)
class SitePicture:
    """The picture of one mission's landing site, for templates: its files' addresses and sizes,
    and what it shows in words."""

    mission: object
    latitude: float
    longitude: float
    kind = "site"

    @classmethod
    def of(cls, mission) -> "SitePicture | None":
        """The mission's site picture, or None without coordinates a picture can be made from."""
        if not mission.has_landing_site_coordinates:
            return None
        try:
            latitude, longitude = check_coordinates(mission.latitude, mission.longitude)
        except BadCoordinates:
            return None
        return cls(mission, latitude, longitude)

    @property
    def key(self) -> str:
        return site_key(self.latitude, self.longitude)

    def url(self, width: int, extension: str) -> str:
        return reverse(
            "mission_site_picture",
            kwargs={"slug": self.mission.slug, "key": self.key, "width": width, "extension": extension},
        )

    def srcset(self, extension: str) -> str:
        return ", ".join(f"{self.url(width, extension)} {width}w" for width in WIDTHS)

    @property
    def webp_srcset(self) -> str:
        return self.srcset("webp")

    @property
    def fallback_srcset(self) -> str:
        return self.srcset("jpg")

    @property
    def default_url(self) -> str:
        return self.url(WIDTHS[-1], "jpg")

    # Square: what the page reserves for it before it loads.
    default_width = default_height = WIDTHS[-1]

    @property
    def alt_text(self) -> str:
        return _(
            "The surface of the Moon around the landing site of %(name)s (%(coordinates)s), seen from above, "
            "%(width)s km across, north up: the site is ringed in red, with a scale bar."
        ) % {"name": self.mission.local_name, "coordinates": self.mission.coordinates_display, "width": WIDTH_KM}

    @property
    def source(self) -> str:
        return _("Moon map: USGS Astrogeology Research Program and Clementine data (public domain), via Stellarium.")

    def names(self) -> list[str]:
        return [file_name(self.key, width, extension) for width in WIDTHS for extension in FORMATS.values()]

    def exists(self) -> bool:
        return all(default_storage.exists(name) for name in self.names())

    def make(self) -> bool:
        """Draw and store the picture's files unless they are all there: whether it drew them."""
        if self.exists():
            return False
        crop = site_crop(self.latitude, self.longitude, width_km=WIDTH_KM, size_px=SIZE_PX)
        for description, content in renditions(crop):
            if description["width"] not in WIDTHS:
                continue
            name = file_name(self.key, description["width"], FORMATS[description["format"]])
            if default_storage.exists(name):
                continue
            saved = default_storage.save(name, content)
            if saved != name:  # another process stored it meanwhile: keep theirs
                default_storage.delete(saved)
        return True
