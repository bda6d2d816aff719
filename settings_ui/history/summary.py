"""The "at a glance" numbers for a date range, computed in the database."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connection
from django.db.models import Aggregate, Count, DurationField, ExpressionWrapper, F, QuerySet
from django.db.models.functions import TruncDate

from handoffs.models import HandoffSession
from settings_ui.history.chart import Chart, build_chart
from settings_ui.history.explain import explain
from settings_ui.history.formatting import human_duration

Status = HandoffSession.Status


@dataclass
class FailureGroup:
    code: str
    count: int
    meaning: str


@dataclass
class Summary:
    start: date
    end: date
    total: int
    done: int
    failed: int
    median_seconds: float | None
    p95_seconds: float | None
    failures: list[FailureGroup]
    chart: Chart

    @property
    def success_rate(self) -> float | None:
        """Done out of finished (done or failed), in percent; None before anything finished."""
        finished = self.done + self.failed
        return 100 * self.done / finished if finished else None

    @property
    def median_text(self) -> str:
        return human_duration(self.median_seconds)

    @property
    def p95_text(self) -> str:
        return human_duration(self.p95_seconds)


class PercentileDisc(Aggregate):
    """PostgreSQL's nearest-rank percentile, computed in the same pass as the sort."""

    function = "PERCENTILE_DISC"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()


def nearest_rank(timed: QuerySet, count: int, percent: int) -> float:
    """The value at rank ceil(percent % of count), by an indexed offset into the sorted rows."""
    rank = math.ceil(percent / 100 * count)
    took: timedelta = timed.order_by("took").values_list("took", flat=True)[rank - 1]
    return took.total_seconds()


def percentiles_seconds(done: QuerySet, percents: tuple[int, ...]) -> list[float | None]:
    """Nearest-rank percentiles of webhook-to-record time, computed by the database."""
    took = ExpressionWrapper(F("completed_at") - F("received_at"), output_field=DurationField())
    if connection.vendor == "postgresql":
        # One sort for every percentile instead of a count plus a sort per percentile.
        values = done.aggregate(
            **{f"p{p}": PercentileDisc(took, fraction=f"{p / 100:.4f}") for p in percents}
        )
        return [values[f"p{p}"].total_seconds() if values[f"p{p}"] else None for p in percents]
    timed = done.annotate(took=took)
    count = timed.count()
    return [nearest_rank(timed, count, p) if count else None for p in percents]


def failure_groups(sessions: QuerySet) -> list[FailureGroup]:
    """Sessions failed right now, counted per error code, largest first."""
    rows = (
        sessions.filter(status=Status.FAILED)
        .values("last_error_code")
        .annotate(count=Count("id"))
        .order_by("-count", "last_error_code")
    )
    groups = []
    for row in rows:
        code = row["last_error_code"]
        sample = (
            sessions.filter(status=Status.FAILED, last_error_code=code)
            .values_list("last_error_message", flat=True)
            .first()
        )
        groups.append(
            FailureGroup(code, row["count"], explain(code, sample or "", specific=False).message)
        )
    return groups


def summarise(sessions: QuerySet[HandoffSession], start: date, end: date) -> Summary:
    """Counts, success rate, timing percentiles and failures for sessions already in the range."""
    # One pass over the range gives both the chart (per day and channel) and the status totals.
    counts = (
        sessions.annotate(day=TruncDate("received_at"))
        .values_list("day", "channel", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    per_day: dict[tuple[date, str], int] = defaultdict(int)
    per_status: dict[str, int] = defaultdict(int)
    for day, channel, status, n in counts:
        per_day[day, channel] += n
        per_status[status] += n
    done = sessions.filter(status=Status.DONE, completed_at__isnull=False)
    median, p95 = percentiles_seconds(done, (50, 95))
    return Summary(
        start=start,
        end=end,
        total=sum(per_status.values()),
        done=per_status[Status.DONE],
        failed=per_status[Status.FAILED],
        median_seconds=median,
        p95_seconds=p95,
        failures=failure_groups(sessions),
        chart=build_chart(per_day, start, end),
    )
