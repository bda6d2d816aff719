"""The "at a glance" numbers for a date range, from the tenant's rollups (handoffs.reporting)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from handoffs import reporting
from handoffs.models import HandoffSession, Tenant
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


def failure_groups(counts: Counter) -> list[FailureGroup]:
    """Sessions failed right now, counted per error code, largest first."""
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [FailureGroup(code, n, explain(code, "", specific=False).message) for code, n in ordered]


def summarise(tenant: Tenant, start: date, end: date, channel: str | None = None) -> Summary:
    """Counts, success rate, timing percentiles and failures of the sessions of these days."""
    found = reporting.figures(tenant, start, end, channel)
    return Summary(
        start=start,
        end=end,
        total=sum(found.by_status.values()),
        done=found.by_status[Status.DONE],
        failed=found.by_status[Status.FAILED],
        median_seconds=found.percentile_seconds(50),
        p95_seconds=found.percentile_seconds(95),
        failures=failure_groups(found.failures),
        chart=build_chart(found.by_day_channel, start, end),
    )
