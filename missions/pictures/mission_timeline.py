"""The mission timeline: launches, landings and sample returns, one row per mission.

Needs missions with `types` and `milestones` prefetched (MissionQuerySet.for_timeline()).
Status is drawn by the pattern of each row's line (solid, arrow, dashed, crossed) and written
beside the name, never shown by colour alone.
"""

import datetime
import itertools
import re
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from publishing.models import planned_year
from publishing.svg import Box, DateScale, text_width
from publishing.translated import ORIGINAL_LANGUAGE, falls_back

WIDTH = 960
LABEL_WIDTH = 210
PLOT_RIGHT = WIDTH - 20
ROW_HEIGHT = 40
AXIS_HEIGHT = 34
FONT_SIZE = 13

# Compact (home page): one axis, one marker per mission, names stacked in lanes above it.
COMPACT_WIDTH = 960
COMPACT_FONT_SIZE = 13
COMPACT_LANE_HEIGHT = 17
COMPACT_MARGIN = 20

SAMPLES = re.compile(r"\bsamples?\b", re.IGNORECASE)


# Where an event's symbol may sit in its row, from the row's line, first choice first: launches
# above the line, sample returns below, landings and milestones on it. A short mission's events
# (Chang'e-5: five in 23 days, three pixels at this scale) take the other places, then move right.
EVENT_SLOTS = {
    "launch": (-13, 0, 13),
    "planned_launch": (-13, 0, 13),
    "sample_return": (13, 0, -13),
    "landing": (0, -13, 13),
    "impact": (0, -13, 13),
    "milestone": (0, 13, -13),
}
# Half the width (and height) of each symbol as the template draws it, and the space kept between two.
EVENT_RADII = {"milestone": 2.5, "landing": 5, "impact": 5}
EVENT_RADIUS = 6  # launches and sample returns: triangles and diamonds 12 wide
EVENT_GAP = 1.5


@dataclass
class Event:
    kind: str  # launch, planned_launch, landing, impact, sample_return, milestone
    date: datetime.date
    label: str
    x: float = 0
    y: float = 0
    approximate: bool = False
    label_lang: str = ""  # set when the label is not in the page's language (an untranslated milestone)

    @property
    def box(self) -> Box:
        """What the symbol covers in the picture."""
        radius = EVENT_RADII.get(self.kind, EVENT_RADIUS)
        return Box(self.x - radius, self.y - radius, self.x + radius, self.y + radius)

    @property
    def date_display(self) -> str:
        if self.approximate:
            return str(self.date.year)
        return date_format(self.date, "DATE_FORMAT")


EVENT_LABELS = {
    "launch": _("Launch"),
    "planned_launch": _("Planned launch"),
    "landing": _("Landing"),
    "impact": _("Impact on the Moon"),
    "sample_return": _("Samples returned to Earth"),
}


def launch_event(mission) -> Event | None:
    """The launch, or the middle of the planned year; None when neither is known."""
    if mission.launch_date:
        return Event("launch", mission.launch_date, EVENT_LABELS["launch"])
    if year := planned_year(mission.launch_window):
        return Event("planned_launch", datetime.date(year, 7, 1), EVENT_LABELS["planned_launch"], approximate=True)
    return None


def mission_events(mission) -> list[Event]:
    """What the timeline marks for `mission`, in date order. Milestones on the day of a launch or
    a landing add nothing; one that mentions samples in a sample-return mission is the return."""
    launch = launch_event(mission)
    events = [launch] if launch else []
    type_codes = {mission_type.code for mission_type in mission.types.all()}
    if mission.landing_date:
        kind = "landing" if type_codes & {"lander", "rover", "hopper", "sample_return"} else "impact"
        events.append(Event(kind, mission.landing_date, EVENT_LABELS[kind]))
    marked_days = {event.date for event in events if not event.approximate}
    returns_samples = "sample_return" in type_codes
    for milestone in mission.milestones.all():
        if milestone.date in marked_days:
            continue
        after_landing = not mission.landing_date or milestone.date > mission.landing_date
        if returns_samples and after_landing and SAMPLES.search(milestone.title):
            events.append(Event("sample_return", milestone.date, EVENT_LABELS["sample_return"]))
        else:
            fallback = falls_back(milestone, "title")
            events.append(
                Event("milestone", milestone.date, milestone.title, label_lang=ORIGINAL_LANGUAGE if fallback else "")
            )
        marked_days.add(milestone.date)
    return sorted(events, key=lambda event: event.date)


@dataclass
class Row:
    mission: object
    y: float
    events: list[Event]
    start_x: float | None = None
    end_x: float | None = None

    @property
    def status(self) -> str:
        return self.mission.status

    @property
    def text_y(self) -> float:
        return self.y + 4.5

    def _first(self, *kinds) -> Event | None:
        return next((event for event in self.events if event.kind in kinds), None)

    # What the text alternative lists, one column each.
    @property
    def launch(self) -> Event | None:
        return self._first("launch", "planned_launch")

    @property
    def landing(self) -> Event | None:
        return self._first("landing", "impact")

    @property
    def sample_return(self) -> Event | None:
        return self._first("sample_return")


@dataclass
class Timeline:
    width: int
    height: float
    axis_y: float
    ticks: list[tuple[int, float, bool]]  # year, x, labelled
    rows: list[Row] = field(default_factory=list)
    today_x: float | None = None

    @property
    def tick_label_y(self) -> float:
        return self.axis_y - 9

    @property
    def by_year(self) -> list[tuple[int, list[tuple[Event, object]]]]:
        """Every event with its mission, year by year in date order: the timeline stacked for a
        narrow screen, where the picture would be too small to read."""
        entries = sorted(
            ((event, row.mission) for row in self.rows for event in row.events), key=lambda entry: entry[0].date
        )
        return [(year, list(group)) for year, group in itertools.groupby(entries, key=lambda entry: entry[0].date.year)]


def _year_range(all_events: list[Event], today: datetime.date) -> tuple[int, int]:
    years = [event.date.year for event in all_events] or [today.year]
    return min(years), max(years)


def place_events(events: list[Event], y: float) -> None:
    """Put each event's symbol (x already at its date) in the first of its places in the row
    that no earlier symbol covers; when none is free, a little later (further right)."""
    placed: list[Box] = []
    for event in events:
        date_x = event.x
        while True:
            free = [
                offset
                for offset in EVENT_SLOTS[event.kind]
                if not any(
                    Event(event.kind, event.date, "", event.x, y + offset).box.overlaps(box, EVENT_GAP)
                    for box in placed
                )
            ]
            if free or event.x > date_x + 4 * ROW_HEIGHT:  # give up far from the date: never loop for ever
                break
            event.x = round(event.x + 0.5, 1)
        event.y = y + (free[0] if free else EVENT_SLOTS[event.kind][0])
        placed.append(event.box)


def mission_timeline(missions, today: datetime.date | None = None) -> Timeline:
    """Lay out one row per mission (in the order given) on a shared axis of years."""
    today = today or timezone.localdate()
    rows_events = [(mission, mission_events(mission)) for mission in missions]
    rows_events = [(mission, events) for mission, events in rows_events if events]
    first, last = _year_range([event for _, events in rows_events for event in events], today)
    scale = DateScale(first, last, LABEL_WIDTH, PLOT_RIGHT)
    every = 1 if (PLOT_RIGHT - LABEL_WIDTH) / len(scale.years) >= 36 else 2
    ticks = [(year, scale(datetime.date(year, 1, 1)), (year - first) % every == 0) for year in scale.years]
    rows = []
    for index, (mission, events) in enumerate(rows_events):
        y = AXIS_HEIGHT + index * ROW_HEIGHT + ROW_HEIGHT / 2
        for event in events:
            event.x = scale(event.date)
        place_events(events, y)
        row = Row(mission, y, events, start_x=events[0].x, end_x=events[-1].x)
        if mission.status == "operating" and first <= today.year <= last:
            row.end_x = max(row.end_x, scale(today))
        rows.append(row)
    height = AXIS_HEIGHT + len(rows) * ROW_HEIGHT + 10
    today_x = scale(today) if first <= today.year <= last else None
    return Timeline(WIDTH, height, AXIS_HEIGHT - 6, ticks, rows, today_x)


@dataclass
class CompactItem:
    mission: object
    event: Event
    x: float  # the marker: at the launch date, or moved a little to clear a neighbour's marker
    lane: int
    label_x: float
    label_y: float
    width: float

    @property
    def leader_end_y(self) -> float:
        return self.label_y + 3

    @property
    def label_box(self) -> Box:
        """What the name covers: from its ascenders to its descenders."""
        return Box(
            self.label_x,
            self.label_y - 0.75 * COMPACT_FONT_SIZE,
            self.label_x + self.width,
            self.label_y + 0.25 * COMPACT_FONT_SIZE,
        )

    @property
    def marker_radius(self) -> float:
        return COMPACT_MARKER_RADII.get(self.mission.status, COMPACT_MARKER_RADIUS)


@dataclass
class CompactTimeline:
    width: int
    height: float
    axis_y: float
    ticks: list[tuple[int, float, bool]]
    items: list[CompactItem] = field(default_factory=list)

    @property
    def tick_end_y(self) -> float:
        return self.axis_y + 5

    @property
    def tick_label_y(self) -> float:
        return self.axis_y + 19


# A timeline draws at most this many missions (the program has about fifteen): each label is placed
# against every lane, so the layout's cost grows with the square of the count, and a picture of
# thousands of names would be unreadable anyway. Lists and the API hold every mission.
MAX_MISSIONS = 60

# The status markers' radii as pictures/_status_marker.html draws them (operating: a ring).
COMPACT_MARKER_RADII = {"operating": 8}
COMPACT_MARKER_RADIUS = 5
COMPACT_MARKER_GAP = 2


def spread_apart(centres: list[float], radii: list[float], gap: float, left: float, right: float) -> list[float]:
    """Centres (in order) moved as little as needed for no two discs to overlap: each group of
    discs too close is laid side by side around the mean of its own centres, within left-right."""
    groups: list[list[int]] = []  # consecutive indexes laid side by side
    positions = list(centres)

    def lay_out(group: list[int]) -> None:
        offsets, edge = [], 0.0
        for index in group:
            offsets.append(edge + radii[index])
            edge += 2 * radii[index] + gap
        width = edge - gap
        start = sum(centres[index] - offset for index, offset in zip(group, offsets, strict=True)) / len(group)
        start = max(left, min(start, right - width))
        for index, offset in zip(group, offsets, strict=True):
            positions[index] = round(start + offset, 1)

    for index in range(len(centres)):
        groups.append([index])
        lay_out(groups[-1])
        while len(groups) > 1:
            before, last = groups[-2], groups[-1]
            if positions[before[-1]] + radii[before[-1]] + gap <= positions[last[0]] - radii[last[0]]:
                break
            groups[-2:] = [before + last]
            lay_out(groups[-1])
    return positions


def place_in_lanes(labels: list[tuple[float, float]], right_edge: float, gap: float = 6) -> list[tuple[int, float]]:
    """For labels (x of their marker, width) in order of x, a lane and a left edge each: the text
    centred on its marker, or starting or ending there, in the lowest lane where it is clear of
    the other labels there and of the leader lines (from the axis up to a label) crossing that
    lane. Among those places, first one where its own leader line crosses no label below and its
    text covers no marker still to be placed (whose leader line would cross it)."""
    texts: list[list[tuple[float, float]]] = []  # per lane, the label spans
    leaders: list[list[float]] = []  # per lane, the x of the leader lines crossing it
    placed = []
    for index, (x, width) in enumerate(labels):
        later = [other for other, _ in labels[index + 1 :]]
        lefts = dict.fromkeys(
            round(max(0, min(left, right_edge - width)), 1) for left in (x - width / 2, x - 3, x + 3 - width)
        )
        best = None
        for lane in range(len(texts) + 1):
            spans = texts[lane] if lane < len(texts) else []
            lines = leaders[lane] if lane < len(texts) else []
            for choice, left in enumerate(lefts):
                right = left + width
                if any(not (right + gap <= a or b + gap <= left) for a, b in spans):
                    continue
                if any(left - gap < line < right + gap for line in lines):
                    continue
                crossing = any(a - 2 <= x <= b + 2 for below in texts[:lane] for a, b in below)
                covering = any(left - 2 <= other <= right + 2 for other in later)
                score = (crossing, covering, lane, choice)
                if best is None or score < best[0]:
                    best = (score, lane, left)
        _, lane, left = best
        if lane == len(texts):
            texts.append([])
            leaders.append([])
        texts[lane].append((left, left + width))
        for below in leaders[:lane]:
            below.append(x)
        placed.append((lane, left))
    return placed


def compact_timeline(missions, today: datetime.date | None = None) -> CompactTimeline:
    """One marker per mission at its launch (or planned year), names in as few lanes as fit.
    Reads only the missions' own fields: no types or milestones needed."""
    today = today or timezone.localdate()
    launches = [(mission, event) for mission in missions if (event := launch_event(mission))]
    launches.sort(key=lambda item: item[1].date)
    first, last = _year_range([event for _, event in launches], today)
    scale = DateScale(first, last, COMPACT_MARGIN, COMPACT_WIDTH - COMPACT_MARGIN)
    every = 1 if (COMPACT_WIDTH - 2 * COMPACT_MARGIN) / len(scale.years) >= 36 else 2
    ticks = [(year, scale(datetime.date(year, 1, 1)), (year - first) % every == 0) for year in scale.years]
    radii = [COMPACT_MARKER_RADII.get(mission.status, COMPACT_MARKER_RADIUS) for mission, _ in launches]
    xs = spread_apart([scale(event.date) for _, event in launches], radii, COMPACT_MARKER_GAP, 0, COMPACT_WIDTH)
    widths = [text_width(mission.local_name, COMPACT_FONT_SIZE) for mission, _ in launches]
    places = place_in_lanes(list(zip(xs, widths, strict=True)), COMPACT_WIDTH)
    lane_count = max((lane for lane, _ in places), default=0) + 1
    axis_y = lane_count * COMPACT_LANE_HEIGHT + 14
    items = [
        CompactItem(mission, event, x, lane, left, axis_y - 12 - lane * COMPACT_LANE_HEIGHT, width)
        for (mission, event), x, (lane, left), width in zip(launches, xs, places, widths, strict=True)
    ]
    return CompactTimeline(COMPACT_WIDTH, axis_y + 26, axis_y, ticks, items)
