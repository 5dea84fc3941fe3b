"""Bar charts as SVG layout: horizontal bars (payloads by partner) and columns per year
(partners and agreements per year)."""

from dataclasses import dataclass, field

from publishing.svg import nice_ticks, text_width

FONT_SIZE = 14


@dataclass
class Bar:
    label: str
    value: int
    url: str
    y: float
    length: float
    language: str = ""
    value_x: float = 0


@dataclass
class BarChart:
    width: int
    height: float
    label_width: float
    bar_height: float
    ticks: list[tuple[int, float]]  # value, x
    bars: list[Bar] = field(default_factory=list)

    @property
    def label_x(self) -> float:
        return self.label_width - 8


def bar_chart(items, width: int = 480, bar_height: float = 22, gap: float = 8) -> BarChart:
    """Horizontal bars for (label, value, url, language) items, in the order given."""
    items = list(items)
    label_width = min(max((text_width(item[0], FONT_SIZE) for item in items), default=0) + 12, width * 0.45)
    plot_left, plot_right = label_width, width - 30
    ticks_values = nice_ticks(max((item[1] for item in items), default=0) or 1)
    top = ticks_values[-1]

    def x(value):
        return round(plot_left + value / top * (plot_right - plot_left), 1)

    bars = [
        Bar(label, value, url, round(24 + index * (bar_height + gap), 1), round(x(value) - plot_left, 1), language)
        for index, (label, value, url, language) in enumerate(items)
    ]
    for bar in bars:
        bar.value_x = round(plot_left + bar.length + 5, 1)
    height = 24 + len(bars) * (bar_height + gap) + 4
    return BarChart(width, height, label_width, bar_height, [(value, x(value)) for value in ticks_values], bars)


@dataclass
class Column:
    series: int
    year: int
    value: int
    x: float
    y: float
    height: float


@dataclass
class Series:
    name: str
    counts: dict[int, int]
    css_class: str


@dataclass
class ColumnChart:
    width: int
    height: float
    baseline: float
    column_width: float
    series: list[Series]
    years: list[tuple[int, float, bool]]  # year, x of its group's centre, labelled
    ticks: list[tuple[int, float]]  # value, y
    columns: list[Column] = field(default_factory=list)

    @property
    def table(self) -> list[tuple[int, list[int]]]:
        return [(year, [series.counts.get(year, 0) for series in self.series]) for year, _x, _l in self.years]


def columns_per_year(series: list[Series], width: int = 720, height: int = 260) -> ColumnChart:
    """Grouped columns, one group per year from the first to the last year with a count."""
    years_with_data = sorted({year for s in series for year, count in s.counts.items() if count})
    if not years_with_data:
        return ColumnChart(width, height, height - 24, 0, series, [], [], [])
    years = list(range(years_with_data[0], years_with_data[-1] + 1))
    left, right, top, baseline = 36, width - 8, 12, height - 24
    group = (right - left) / len(years)
    column_width = max(min((group - 4) / len(series), 24), 2)
    ticks_values = nice_ticks(max(count for s in series for count in s.counts.values()))
    scale = (baseline - top) / ticks_values[-1]
    every = 1 if group >= 36 else (2 if group >= 18 else 5)
    columns = []
    for index, year in enumerate(years):
        group_left = left + index * group + (group - column_width * len(series)) / 2
        for number, s in enumerate(series):
            value = s.counts.get(year, 0)
            column_height = round(value * scale, 1)
            columns.append(
                Column(
                    number,
                    year,
                    value,
                    round(group_left + number * column_width, 1),
                    round(baseline - column_height, 1),
                    column_height,
                )
            )
    return ColumnChart(
        width,
        height,
        baseline,
        round(column_width, 1),
        series,
        [(year, round(left + (index + 0.5) * group, 1), year % every == 0) for index, year in enumerate(years)],
        [(value, round(baseline - value * scale, 1)) for value in ticks_values],
        columns,
    )
