"""The "at a glance" numbers for a date range, computed in the database."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, DurationField, ExpressionWrapper, F, QuerySet
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


def percentile_seconds(done: QuerySet, percent: int) -> float | None:
    """Nearest-rank percentile of webhook-to-record time, sorted by the database."""
    timed = done.annotate(
        took=ExpressionWrapper(F("completed_at") - F("received_at"), output_field=DurationField())
    )
    count = timed.count()
    if not count:
        return None
    rank = math.ceil(percent / 100 * count)
    took: timedelta = timed.order_by("took").values_list("took", flat=True)[rank - 1]
    return took.total_seconds()


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
        groups.append(FailureGroup(code, row["count"], explain(code, sample or "").message))
    return groups


def summarise(sessions: QuerySet[HandoffSession], start: date, end: date) -> Summary:
    """Counts, success rate, timing percentiles and failures for sessions already in the range."""
    per_status = dict(sessions.values_list("status").annotate(n=Count("id")).order_by())
    per_day = {
        (row["day"], row["channel"]): row["n"]
        for row in sessions.annotate(day=TruncDate("received_at"))
        .values("day", "channel")
        .annotate(n=Count("id"))
        .order_by()
    }
    done = sessions.filter(status=Status.DONE, completed_at__isnull=False)
    return Summary(
        start=start,
        end=end,
        total=sum(per_status.values()),
        done=per_status.get(Status.DONE, 0),
        failed=per_status.get(Status.FAILED, 0),
        median_seconds=percentile_seconds(done, 50),
        p95_seconds=percentile_seconds(done, 95),
        failures=failure_groups(sessions),
        chart=build_chart(per_day, start, end),
    )
