"""The mission timeline: launches, landings and sample returns, one row per mission.

Needs missions with `types` and `milestones` prefetched (MissionQuerySet.for_timeline()).
Status is drawn by the pattern of each row's line (solid, arrow, dashed, crossed) and written
beside the name, never shown by colour alone.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from publishing.models import planned_year
from publishing.svg import DateScale, text_width
from publishing.translated import ORIGINAL_LANGUAGE, falls_back

WIDTH = 960
LABEL_WIDTH = 210
PLOT_RIGHT = WIDTH - 20
ROW_HEIGHT = 34
AXIS_HEIGHT = 34
FONT_SIZE = 13

# Compact (home page): one axis, one marker per mission, names stacked in lanes above it.
COMPACT_WIDTH = 960
COMPACT_FONT_SIZE = 13
COMPACT_LANE_HEIGHT = 17
COMPACT_MARGIN = 20

SAMPLES = re.compile(r"\bsamples?\b", re.IGNORECASE)


# Launches sit above a row's line and sample returns below it, so that the events of a short
# mission (Chang'e-5: 23 days from launch to return) stay visible side by side at this scale.
EVENT_OFFSETS = {"launch": -8, "planned_launch": -8, "sample_return": 8}


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


def _year_range(all_events: list[Event], today: datetime.date) -> tuple[int, int]:
    years = [event.date.year for event in all_events] or [today.year]
    return min(years), max(years)


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
            event.y = y + EVENT_OFFSETS.get(event.kind, 0)
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
    x: float
    lane: int
    label_x: float
    label_y: float
    width: float

    @property
    def leader_end_y(self) -> float:
        return self.label_y + 3


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


def place_in_lanes(labels: list[tuple[float, float, float]], gap: float = 6) -> list[int]:
    """For labels (left, right, x of their marker) in order, the lowest lane where each fits:
    its text clear of the labels and leader lines already in that lane, and if possible its own
    leader line (from the axis at x up to it) clear of the labels in the lanes it crosses. (When
    a label in the first lane covers x, no lane avoids the crossing: the lowest free one is used.)"""
    texts: list[list[tuple[float, float]]] = []  # per lane, the label spans
    leaders: list[list[float]] = []  # per lane, the x of the leader lines crossing it
    placed = []
    for left, right, x in labels:
        fitting = []  # lanes where the text fits, each with whether its leader crosses no label
        for lane in range(len(texts) + 1):
            spans = texts[lane] if lane < len(texts) else []
            lines = leaders[lane] if lane < len(texts) else []
            if all(right + gap <= a or b + gap <= left for a, b in spans) and all(
                not (left - gap < line < right + gap) for line in lines
            ):
                crossing = any(a - 2 <= x <= b + 2 for below in texts[:lane] for a, b in below)
                fitting.append((crossing, lane))
        lane = min(fitting)[1]  # a lane without crossing first, then the lowest
        if lane == len(texts):
            texts.append([])
            leaders.append([])
        texts[lane].append((left, right))
        for below in leaders[:lane]:
            below.append(x)
        placed.append(lane)
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
    spans, widths, xs = [], [], []
    for mission, event in launches:
        x = scale(event.date)
        width = text_width(mission.local_name, COMPACT_FONT_SIZE)
        # Centred on the marker, but kept inside the picture.
        left = max(min(x - width / 2, COMPACT_WIDTH - width), 0)
        spans.append((left, left + width))
        widths.append(width)
        xs.append(x)
    lanes = place_in_lanes([(left, right, x) for (left, right), x in zip(spans, xs, strict=True)])
    lane_count = max(lanes, default=0) + 1
    axis_y = lane_count * COMPACT_LANE_HEIGHT + 14
    items = [
        CompactItem(mission, event, x, lane, span[0], axis_y - 12 - lane * COMPACT_LANE_HEIGHT, width)
        for (mission, event), x, lane, span, width in zip(launches, xs, lanes, spans, widths, strict=True)
    ]
    return CompactTimeline(COMPACT_WIDTH, axis_y + 26, axis_y, ticks, items)
