"""The partner world map: each published partner country shaded by how much it takes part.

The shapes come from partners/pictures/data/world-110m.json (Natural Earth, see the README there),
read once per process. The grey layer of every other country is joined into one path and
cached per set of partner countries, so a request only formats the partners' own shapes.
"""

import functools
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext_lazy as _

# The program's own country, drawn apart so the partners can be seen in relation to it.
HOST = "CN"
GEOMETRY_FILE = Path(__file__).resolve().parent / "data" / "world-110m.json"


@dataclass(frozen=True)
class InvolvementClass:
    """One step of the legend: partners with `low` to `high` records (None: no upper bound)."""

    index: int
    low: int
    high: int | None
    label: str

    def holds(self, total: int) -> bool:
        return total >= self.low and (self.high is None or total <= self.high)

    @property
    def css_class(self) -> str:
        return f"involvement-{self.index}"


INVOLVEMENT_CLASSES = (
    InvolvementClass(0, 0, 0, _("none recorded yet")),
    InvolvementClass(1, 1, 1, _("1")),
    InvolvementClass(2, 2, 3, _("2–3")),
    InvolvementClass(3, 4, 6, _("4–6")),
    InvolvementClass(4, 7, None, _("7 or more")),
)


def involvement_class(total: int) -> InvolvementClass:
    return next(step for step in INVOLVEMENT_CLASSES if step.holds(total))


def involvement_total(partner) -> int:
    """Published payloads, agreements and projects: needs `with_involvement_counts()`."""
    return partner.payload_count + partner.agreement_count + partner.project_count


@functools.cache
def geometry() -> dict:
    return json.loads(GEOMETRY_FILE.read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=16)
def base_layer(coloured_codes: frozenset[str]) -> str:
    """Path data of every country not drawn in colour, plus land without an ISO code."""
    shapes = geometry()["countries"]
    parts = [path for code, path in shapes.items() if code not in coloured_codes]
    parts.append(geometry()["unassigned"])
    return "".join(parts)


@dataclass
class MapCountry:
    partner: object
    total: int
    step: InvolvementClass
    path: str  # empty when the country is too small to have a shape at this scale
    dot: tuple[float, float] | None  # drawn on top for small countries, so they can be seen and clicked

    @property
    def drawn(self) -> bool:
        """False for a code the map data lacks: the partner is then only in the table."""
        return bool(self.path or self.dot)


@dataclass
class WorldMap:
    width: int
    height: int
    base_path: str
    host_path: str
    countries: list[MapCountry] = field(default_factory=list)
    organisations: list[MapCountry] = field(default_factory=list)  # listed beside the map
    legend: tuple[InvolvementClass, ...] = INVOLVEMENT_CLASSES

    @property
    def table_rows(self) -> list[MapCountry]:
        """Every partner on the map, the most involved first: the map's text alternative."""
        return sorted(self.countries, key=lambda c: (-c.total, c.partner.name_sort_key))


def world_map(partners) -> WorldMap:
    """Lay out the map for `partners`: published partners annotated by `with_involvement_counts()`.

    The caller decides what is public; a partner not passed in is neither coloured nor linked.
    Countries are drawn in colour; organisations (no country code) are listed beside the map.
    """
    data = geometry()
    shapes, points = data["countries"], data["points"]
    countries, organisations = [], []
    for partner in partners:
        code = partner.country.code if partner.country else ""
        total = involvement_total(partner)
        if not code:
            organisations.append(MapCountry(partner, total, involvement_class(total), "", None))
            continue
        dot = points.get(code)
        countries.append(MapCountry(partner, total, involvement_class(total), shapes.get(code, ""), dot and tuple(dot)))
    coloured = frozenset(country.partner.country.code for country in countries)
    host = "" if HOST in coloured else shapes.get(HOST, "")
    return WorldMap(
        width=data["width"],
        height=data["height"],
        base_path=base_layer(coloured | {HOST}),
        host_path=host,
        countries=countries,
        organisations=organisations,
    )


def published_world_map() -> WorldMap:
    """The map of every published partner (home page, partner list)."""
    from partners.models import Partner

    return world_map(Partner.objects.published().with_involvement_counts().in_name_order())
