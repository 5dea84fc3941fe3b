"""The diagram of a mission without a landing site (an orbiter, a relay, a mission still to
fly): the Earth and the Moon at their average distance, the mission's orbit drawn around the
Moon or beyond it, and, on its page, the partners whose payloads it carries. Not to scale.

Drawn as inline SVG by templates/pictures/_mission_diagram.html from the coordinates below.
"""

from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from publishing.svg import text_width
from publishing.translated import join_list, sentence_separator

WIDTH = 400
HEIGHT = 220
EARTH = (56, 100, 28)  # x, y, radius
MOON = (284, 100, 16)
L2_X = 356
# The mean distance from the Earth to the Moon (the semi-major axis of the Moon's orbit).
EARTH_MOON_KM = 384_400
FONT_SIZE = 13
ROW = 19
MAX_PARTNER_ROWS = 6


@dataclass
class MissionDiagram:
    mission: object
    partners: list = field(default_factory=list)
    kind = "diagram"
    width = WIDTH
    earth = EARTH
    moon = MOON

    @property
    def orbit(self) -> str:
        return self.mission.orbit

    @property
    def orbit_label(self) -> str:
        if self.orbit:
            return self.mission.get_orbit_display()
        return _("Bound for the Moon")

    @property
    def distance_label(self) -> str:
        return _("%(distance)s km on average") % {"distance": number_format(EARTH_MOON_KM, force_grouping=True)}

    @property
    def height(self) -> int:
        return HEIGHT + (ROW * (len(self.partner_rows) + 1) + 6 if self.partner_rows else 0)

    @property
    def partner_rows(self) -> list[tuple[float, str]]:
        """The partners' names, one a line below the drawing, as (y, text); more than fit end
        the list with a count of the others."""
        names = [partner.local_name for partner in self.partners]
        if len(names) > MAX_PARTNER_ROWS:
            rest = len(names) - MAX_PARTNER_ROWS + 1
            names = names[: MAX_PARTNER_ROWS - 1] + [_("and %(count)s more") % {"count": rest}]
        return [(HEIGHT + ROW * (index + 2), name) for index, name in enumerate(names)]

    @property
    def partners_heading_y(self) -> int:
        return HEIGHT + ROW

    @property
    def craft(self) -> tuple[float, float]:
        """Where the spacecraft is drawn."""
        x, y, radius = MOON
        return {
            "lunar": (x + 24, y - 24),
            "lunar_elliptical": (x, y - 90),
            "earth_moon_l2": (L2_X, y - 34),
            "circumlunar": (x + 30, y - 6),
        }.get(self.orbit, (x - radius - 44, y))

    @property
    def l2(self) -> tuple[int, int]:
        return L2_X, MOON[1]

    @property
    def wide_enough(self) -> bool:
        """Whether the orbit's name fits on one line above the drawing."""
        return text_width(self.orbit_label, FONT_SIZE) < WIDTH - 24

    @property
    def marks_south_pole(self) -> bool:
        return not self.orbit and self.mission.side == "south_pole"

    @property
    def alt_text(self) -> str:
        text = _("Diagram of %(name)s, not to scale: %(orbit)s. The Moon is %(distance)s from the Earth.") % {
            "name": self.mission.local_name,
            "orbit": self.orbit_label,
            "distance": self.distance_label,
        }
        if self.partners:
            names = join_list(partner.local_name for partner in self.partners)
            text += sentence_separator() + _("Partners' payloads aboard: %(names)s.") % {"names": names}
        return text

    @property
    def source(self) -> str:
        return _("Drawn by lunarportal from the mission's recorded facts.")
