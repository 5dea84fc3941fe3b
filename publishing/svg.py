"""Small layout helpers shared by the pictures: text width estimates, label boxes, axes."""

import datetime
import math
import unicodedata
from dataclasses import dataclass


def text_width(text: str, font_size: float) -> float:
    """A generous estimate of the width of `text` in a sans-serif font: wide (CJK) characters
    take a full em, others about 0.6 em. Good enough to keep labels apart without a font."""
    return sum(font_size if unicodedata.east_asian_width(char) in "WF" else 0.6 * font_size for char in str(text))


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    right: float
    bottom: float

    def overlaps(self, other: "Box", gap: float = 0) -> bool:
        return not (
            self.right + gap <= other.left
            or other.right + gap <= self.left
            or self.bottom + gap <= other.top
            or other.bottom + gap <= self.top
        )


def nice_step(maximum: float, ticks: int = 5) -> int:
    """A round step (1, 2, 5, 10, 20, 50…) giving about `ticks` intervals up to `maximum`."""
    if maximum <= ticks:
        return 1
    raw = maximum / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 5, 10):
        if multiple * magnitude >= raw:
            return int(multiple * magnitude)
    return int(10 * magnitude)


def nice_ticks(maximum: float, ticks: int = 5) -> list[int]:
    """0, step, 2·step… up to the first multiple of a round step at or above `maximum`."""
    step = nice_step(maximum, ticks)
    top = max(step, math.ceil(maximum / step) * step)
    return list(range(0, top + 1, step))


class DateScale:
    """Dates to x coordinates: from 1 January of `first_year` to 1 January after `last_year`."""

    def __init__(self, first_year: int, last_year: int, left: float, right: float):
        self.first_year, self.last_year = first_year, last_year
        self.start = datetime.date(first_year, 1, 1)
        self.days = (datetime.date(last_year + 1, 1, 1) - self.start).days
        self.left, self.right = left, right

    def __call__(self, date: datetime.date) -> float:
        return round(self.left + (date - self.start).days / self.days * (self.right - self.left), 1)

    @property
    def years(self) -> list[int]:
        return list(range(self.first_year, self.last_year + 1))
