"""Missions side by side: which missions a comparison asks for, and the rows it shows."""

import re
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from publishing.translated import Phrase, colon, shown_language

from .models import Mission

MIN_MISSIONS = 2
MAX_MISSIONS = 4
# What a slug can be; anything else is unknown without asking the database (and a NUL, which
# PostgreSQL refuses in a query, never reaches it).
SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,200}$")


class ComparisonError(Exception):
    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.message = message
        self.status = status


def requested_slugs(values: list[str]) -> list[str]:
    """The distinct, non-empty slugs asked for, in the order given."""
    return list(dict.fromkeys(value.strip() for value in values if value.strip()))


def missions_to_compare(values: list[str]) -> list[Mission]:
    """The published missions named by `values` (the `m` parameters), in the order asked.

    A draft is as unknown as a slug that does not exist: the same message and status."""
    slugs = requested_slugs(values)
    if len(slugs) < MIN_MISSIONS:
        raise ComparisonError(_("Choose at least two missions to compare."), 400)
    if len(slugs) > MAX_MISSIONS:
        raise ComparisonError(_("Choose at most four missions to compare."), 400)
    found = {}
    if all(SLUG.match(slug) for slug in slugs):
        found = {mission.slug: mission for mission in Mission.objects.for_detail().filter(slug__in=slugs)}
    missing = [slug for slug in slugs if slug not in found]
    if missing:
        raise ComparisonError(
            _("No published mission has the address “%(slug)s”.") % {"slug": missing[0][:80]},
            404,
        )
    return [found[slug] for slug in slugs]


@dataclass
class ComparisonRow:
    label: str
    cells: list[list[str]]  # per mission, the lines of its cell

    @property
    def differs(self) -> bool:
        return len({tuple(cell) for cell in self.cells}) > 1


def _landing_site(mission) -> list[str]:
    site = Phrase(mission.landing_site, shown_language(mission, "landing_site")) if mission.landing_site else ""
    return [line for line in (site, mission.coordinates_display) if line]


def _launch(mission) -> list[str]:
    if mission.launch_date:
        return [mission.launch_display]
    return [Phrase(mission.launch_window, shown_language(mission, "launch_window"))] if mission.launch_window else []


def _partners(mission) -> list[str]:
    names = {provider.local_name for payload in mission.published_payloads for provider in payload.published_providers}
    return sorted(names)


def _payloads(mission) -> list[str]:
    # Payload names are kept in English.
    return [Phrase(str(payload), shown_language(payload, "name")) for payload in mission.published_payloads]


def _milestones(mission) -> list[str]:
    return [
        Phrase(milestone.title, shown_language(milestone, "title"), prefix=f"{milestone.date_display}{colon()}")
        for milestone in mission.milestone_list
    ]


def comparison_rows(missions: list[Mission]) -> list[ComparisonRow]:
    """The facts compared, one row each. Needs missions from `for_detail()`."""
    facts = [
        (_("Status"), lambda m: [m.get_status_display()]),
        (_("Program phase"), lambda m: [m.get_phase_display()]),
        (_("Type"), lambda m: [str(t) for t in m.types.all()]),
        (_("Launch"), _launch),
        (
            _("Launch vehicle"),
            lambda m: (
                [Phrase(m.launch_vehicle.name, shown_language(m.launch_vehicle, "name"))] if m.launch_vehicle else []
            ),
        ),
        (_("Landing"), lambda m: [date_format(m.landing_date)] if m.landing_date else []),
        (_("Landing site"), _landing_site),
        (_("Side of the Moon"), lambda m: [m.get_side_display()] if m.side else []),
        (_("Partners"), _partners),
        (_("Payloads"), _payloads),
        (_("Milestones"), _milestones),
    ]
    return [ComparisonRow(label, [values(mission) for mission in missions]) for label, values in facts]
