"""Geometry of the handoffs-per-channel-per-day chart; the SVG itself is a template."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta

from handoffs.channels import BY_CODE, CHANNELS

WIDTH, HEIGHT = 720, 200
LEFT, TOP, BOTTOM = 44, 10, 26
PLOT_WIDTH, PLOT_HEIGHT = WIDTH - LEFT - 8, HEIGHT - TOP - BOTTOM
# Past two months a bar per day gets too thin to read, so bars hold a week each.
MAX_DAILY_BARS = 62
MAX_LABELS = 10


@dataclass
class Segment:
    channel: str
    label: str
    count: int
    color: str
    y: float
    height: float


@dataclass
class Column:
    start: date
    days: int
    x: float
    width: float
    label_x: float
    show_label: bool
    counts: dict[str, int]
    segments: list[Segment] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def label(self) -> str:
        if self.days == 1:
            return f"{self.start:%Y-%m-%d}"
        return f"{self.start:%Y-%m-%d} + {self.days - 1} d"


@dataclass
class Chart:
    columns: list[Column]
    scale_max: int
    gridlines: list[tuple[float, int]]
    per_week: bool
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - 8
    baseline: int = TOP + PLOT_HEIGHT
    legend: list[tuple[str, str]] = field(
        default_factory=lambda: [(c.label, c.colour) for c in CHANNELS]
    )

    @property
    def empty(self) -> bool:
        return not any(column.total for column in self.columns)


def nice_ceiling(value: int) -> int:
    """The smallest 1, 2 or 5 × 10ⁿ at or above `value` (at least 1), for a readable axis."""
    if value <= 1:
        return 1
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude


def bucket_counts(
    counts: dict[tuple[date, str], int], start: date, end: date
) -> list[tuple[date, int, dict[str, int]]]:
    """(first day, days, counts per channel) per bar: one day each, or one week past two months."""
    total_days = (end - start).days + 1
    step = 1 if total_days <= MAX_DAILY_BARS else 7
    buckets = []
    for offset in range(0, total_days, step):
        first = start + timedelta(days=offset)
        days = min(step, total_days - offset)
        per_channel = dict.fromkeys(BY_CODE, 0)
        for day in (first + timedelta(days=i) for i in range(days)):
            for channel in BY_CODE:
                per_channel[channel] += counts.get((day, channel), 0)
        buckets.append((first, days, per_channel))
    return buckets


def stack(column: Column, scale_max: int) -> None:
    """Stack the column's channels bottom-up in the channels' fixed order."""
    y = TOP + PLOT_HEIGHT
    for channel, count in column.counts.items():
        if not count:
            continue
        height = PLOT_HEIGHT * count / scale_max
        y -= height
        column.segments.append(
            Segment(
                channel,
                BY_CODE[channel].label,
                count,
                BY_CODE[channel].colour,
                round(y, 2),
                round(height, 2),
            )
        )


def build_chart(counts: dict[tuple[date, str], int], start: date, end: date) -> Chart:
    """Lay out stacked bars for the counts per (day, channel) between two dates."""
    buckets = bucket_counts(counts, start, end)
    slot = PLOT_WIDTH / len(buckets)
    label_every = math.ceil(len(buckets) / MAX_LABELS)
    columns = [
        Column(
            start=first,
            days=days,
            x=round(LEFT + slot * i + slot * 0.15, 2),
            width=round(slot * 0.7, 2),
            label_x=round(LEFT + slot * (i + 0.5), 2),
            show_label=i % label_every == 0,
            counts=per_channel,
        )
        for i, (first, days, per_channel) in enumerate(buckets)
    ]
    scale_max = nice_ceiling(max((c.total for c in columns), default=0))
    for column in columns:
        stack(column, scale_max)
    gridlines = [
        (round(TOP + PLOT_HEIGHT * (1 - fraction), 2), round(scale_max * fraction))
        for fraction in (0, 0.5, 1)
        if fraction == 0 or scale_max * fraction == int(scale_max * fraction)
    ]
    return Chart(columns, scale_max, gridlines, per_week=buckets[0][1] > 1)
