"""A claim and a new handoff of the same tenant, at the same moment, never deadlock (PostgreSQL).

A new session's transaction moves a rollup cell, then, at commit, locks its tenant row KEY SHARE
(Django's foreign keys are checked at commit). A claim locks the tenant row and then moves the
same rollup cell (when both sessions fall in the same shard of it, as they do here). Were the
claim's lock on the tenant a FOR UPDATE (it was, through `select_related`), the two would wait on
each other until PostgreSQL aborted one.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, transaction

from handoffs.channels import sample_handoff
from handoffs.inbound.intake import accept
from handoffs.lifecycle.claim import claim

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks are PostgreSQL's; SQLite locks the whole file (CI runs this on both)",
    ),
]


def waiting_on_a_lock() -> int:
    with connection.cursor() as cursor:
        # pg_locks is live (pg_stat_activity would be a snapshot inside a transaction).
        cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
        return cursor.fetchone()[0]


def test_a_claim_and_a_new_handoff_of_the_tenant_do_not_deadlock(tenant, monkeypatch):
    from django_q.conf import Conf

    from handoffs.models import rollups

    monkeypatch.setattr(Conf, "SYNC", False)  # the handoffs stay queued: only the claim runs
    monkeypatch.setattr(rollups, "SHARDS", 1)  # one row per cell: they meet
    first, _ = accept(tenant, sample_handoff("phone", "to-claim"))
    outcome: dict = {}
    go = threading.Event()

    def claimer() -> None:
        go.wait(10)
        try:
            outcome["claimed"] = claim(first.pk)
        except Exception as exc:  # noqa: BLE001 - the test reports whatever it was
            outcome["claim_error"] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=claimer)
    thread.start()
    try:
        with transaction.atomic():
            accept(tenant, sample_handoff("phone", "arriving"))  # holds the rollup cell
            go.set()
            deadline = time.monotonic() + 5
            while not waiting_on_a_lock() and time.monotonic() < deadline:
                time.sleep(0.02)
            assert waiting_on_a_lock(), "the claim never reached the rollup cell"
        # Committed: the tenant row was locked KEY SHARE while the claim held its own lock.
    finally:
        go.set()
        thread.join(20)

    assert "claim_error" not in outcome, outcome.get("claim_error")
    assert outcome["claimed"] is not None
    assert outcome["claimed"].status == "processing"
