"""A tenant's handoff figures for a range of days, read from the rollups (never the sessions).

Counts per status and per (day, channel), current failures per error code, and the
webhook-to-record durations of finished handoffs as buckets 5 % wide, from which percentiles
are read. The cost depends on the number of days and channels, not on the number of sessions.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Sum

from handoffs.models import SessionRollup, Tenant
from handoffs.models.rollups import bucket_seconds


@dataclass
class Figures:
    """What happened to a tenant's handoffs received between two days."""

    by_status: Counter = field(default_factory=Counter)
    by_day_channel: dict[tuple[date, str], int] = field(default_factory=lambda: defaultdict(int))
    failures: Counter = field(default_factory=Counter)
    durations: Counter = field(default_factory=Counter)  # bucket → handoffs

    def percentile_seconds(self, percent: int) -> float | None:
        """The nearest-rank percentile of webhook-to-record time (within 2.5 %), or None."""
        total = sum(self.durations.values())
        if not total:
            return None
        rank, seen = math.ceil(percent / 100 * total), 0
        for bucket in sorted(self.durations):
            seen += self.durations[bucket]
            if seen >= rank:
                return bucket_seconds(bucket)
        return None


def figures(tenant: Tenant, start: date, end: date, channel: str | None = None) -> Figures:
    """The tenant's figures for the days from `start` to `end`, both included."""
    cells = SessionRollup.objects.filter(tenant=tenant, day__gte=start, day__lte=end)
    if channel:
        cells = cells.filter(channel=channel)
    rows = cells.values_list("day", "channel", "kind", "key").annotate(n=Sum("count"))
    found = Figures()
    for day, each_channel, kind, key, n in rows:
        if not n:
            continue
        if kind == SessionRollup.Kind.STATUS:
            found.by_status[key] += n
            found.by_day_channel[day, each_channel] += n
        elif kind == SessionRollup.Kind.FAILURE:
            found.failures[key] += n
        elif kind == SessionRollup.Kind.DURATION:
            found.durations[int(key)] += n
    return found
