"""The history's figures are kept per tenant, day and channel as sessions change."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from handoffs import reporting
from handoffs.channels import sample_handoff
from handoffs.inbound.intake import accept
from handoffs.lifecycle.replay import replay
from handoffs.models import HandoffSession, SessionRollup
from handoffs.models.rollups import SHARDS, rebuild, shard_of

TODAY = timezone.localdate()


def figures(tenant) -> reporting.Figures:
    return reporting.figures(tenant, TODAY, TODAY)


def finish(session: HandoffSession, status: str, code: str = "", seconds: float = 2.0) -> None:
    session.status = status
    session.last_error_code = code
    session.completed_at = session.received_at + timedelta(seconds=seconds)
    session.save()


def test_it_moves_a_session_between_statuses_as_it_changes(tenant):
    session, _ = accept(tenant, sample_handoff("phone", "moving"))
    assert figures(tenant).by_status == {"queued": 1}

    finish(session, "failed", "dataverse_forbidden")
    assert figures(tenant).by_status == {"failed": 1}
    assert figures(tenant).failures == {"dataverse_forbidden": 1}

    replay(session, actor="admin")
    session = HandoffSession.objects.get(pk=session.pk)
    finish(session, "done", seconds=3.0)

    found = figures(tenant)
    assert found.by_status == {"done": 1}
    assert found.failures == {}
    assert found.percentile_seconds(50) == pytest.approx(3.0, rel=0.025)
    assert found.by_day_channel == {(TODAY, "phone"): 1}


def test_it_counts_the_same_as_a_full_recount(tenant):
    for index, (status, code) in enumerate(
        [("done", ""), ("done", ""), ("failed", "timeout"), ("queued", ""), ("failed", "timeout")]
    ):
        session, _ = accept(tenant, sample_handoff("email", f"s-{index}"))
        if status != "queued":
            finish(session, status, code, seconds=index + 1)
    kept = totals()

    rebuild(HandoffSession.objects.all())

    assert totals() == kept


def totals() -> list[tuple[str, str, int]]:
    """Each cell's count, its shards added up (cells at 0 left out)."""
    cells = SessionRollup.objects.values_list("kind", "key").annotate(n=Sum("count"))
    return sorted((kind, key, n) for kind, key, n in cells if n)


def test_a_tenants_sessions_spread_over_the_shards_of_a_status_cell(tenant):
    sessions = [accept(tenant, sample_handoff("phone", f"spread-{i}"))[0] for i in range(SHARDS)]

    queued = SessionRollup.objects.filter(kind="status", key="queued")
    assert sorted(queued.values_list("shard", "count")) == [(s, 1) for s in range(SHARDS)]
    assert figures(tenant).by_status == {"queued": SHARDS}

    for session in sessions[:2]:
        finish(session, "done", seconds=2.0)
    durations = SessionRollup.objects.filter(kind="duration")
    assert list(durations.values_list("shard", "count")) == [(0, 2)]  # finishing: one row


def test_a_session_is_counted_in_the_shard_it_later_leaves(tenant):
    # On PostgreSQL the statement that stores the session counts it, with the shard in SQL.
    session, _ = accept(tenant, sample_handoff("phone", "one"))

    queued = SessionRollup.objects.filter(kind="status", key="queued")
    assert list(queued.values_list("shard", "count")) == [(shard_of(session.pk), 1)]
    finish(session, "done")
    assert list(queued.values_list("shard", "count")) == [(shard_of(session.pk), 0)]


def test_it_reads_the_figures_with_the_same_queries_however_many_sessions(tenant):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            reporting.figures(tenant, TODAY - timedelta(days=30), TODAY)
        return len(captured)

    accept(tenant, sample_handoff("phone", "one"))
    few = queries()
    for index in range(200):
        accept(tenant, sample_handoff("web", f"many-{index}"))

    assert queries() == few == 1


def test_it_recounts_from_the_command(tenant):
    from io import StringIO

    from django.core.management import call_command

    accept(tenant, sample_handoff("phone", "counted"))
    SessionRollup.objects.all().delete()
    out = StringIO()

    call_command("recount_history", stdout=out)

    assert figures(tenant).by_status == {"queued": 1}
    assert "Recounted 1 sessions" in out.getvalue()
