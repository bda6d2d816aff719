"""A claim, and a webhook's read, take a few index entries, however many sessions the history
and the backlog hold.

Every handoff starts with a claim, and a claim runs under its tenant's lock: a claim whose cost
grew with the history (every session ever received) or with a flood's backlog would slow every
handoff of every tenant as the service ages. Every webhook counts its tenant's handoffs in
flight, and would slow the same way. What the database reads is counted from its own
plans: pages read on PostgreSQL, index searches instead of scans and sorts on SQLite.
"""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from handoffs.channels import sample_handoff
from handoffs.inbound.intake import accept
from handoffs.lifecycle.claim import claim_next
from handoffs.models import HandoffSession

FINISHED = 20_000
BACKLOG = 2_000
# A few index pages and the claimed row's own: a claim that walked the history or sorted the
# backlog would read thousands.
MOST_PAGES = 60


def copy_session(template: HandoffSession, count: int, status: str, tag: str) -> None:
    """Store `count` copies of a session in one statement, with their own session ids."""
    columns = [
        field.column for field in HandoffSession._meta.concrete_fields if field.column != "id"
    ]
    values = [
        "s.session_id || %s || n.i" if column == "session_id" else "%s" if column == "status"
        else column
        for column in columns
    ]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %s) "  # noqa: S608 - our own column names
            f"INSERT INTO handoffs_handoffsession ({', '.join(columns)}) "
            f"SELECT {', '.join(values)} FROM handoffs_handoffsession s, n WHERE s.id = %s",
            [count, f"-{tag}-", status, template.pk],
        )


@pytest.fixture
def long_history(tenant):
    """A tenant with a long history of finished handoffs and a flood's backlog waiting."""
    template, _ = accept(tenant, sample_handoff("phone", "template"))
    copy_session(template, FINISHED, "done", "done")
    copy_session(template, BACKLOG, "queued", "waiting")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE handoffs_handoffsession")
    return template


def pages_read(sql: str) -> int:
    """PostgreSQL: the pages a statement read (from its cache or from disk), from its plan."""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}")
        value = cursor.fetchone()[0]
    (plan,) = json.loads(value) if isinstance(value, str) else value
    top = plan["Plan"]
    return top["Shared Hit Blocks"] + top["Shared Read Blocks"]


def full_reads(sql: str) -> list[str]:
    """SQLite: the steps of a statement's plan that scan sessions or sort them (sorting the
    tenants, a few rows, is fine)."""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        steps = [(parent, detail) for _id, parent, _unused, detail in cursor.fetchall()]
    reads_sessions = any(
        parent == 0 and "handoffs_handoffsession" in detail for parent, detail in steps
    )
    return [
        detail
        for parent, detail in steps
        if (detail.startswith("SCAN") and ("handoffs_handoffsession" in detail or " U0" in detail))
        or ("TEMP B-TREE" in detail and (parent != 0 or reads_sessions))
    ]


def test_a_claim_reads_a_few_pages_however_long_the_history_and_the_backlog(long_history):
    with CaptureQueriesContext(connection) as captured:
        taken = claim_next()

    assert taken.pk == long_history.pk  # the oldest waiting session
    reads = [
        query["sql"]
        for query in captured.captured_queries
        if query["sql"].startswith("SELECT") and "handoffs_handoffsession" in query["sql"]
    ]
    assert len(reads) == 2  # the fairest tenant, then its oldest ready session, locked
    for sql in reads:
        if connection.vendor == "postgresql":
            assert pages_read(sql) <= MOST_PAGES, sql
        else:
            assert full_reads(sql) == [], sql


def test_the_backlog_copies_are_waiting_sessions_the_claim_would_take(long_history):
    """The fixture's copies are real sessions: the claim after the template takes one."""
    claim_next()

    taken = claim_next()

    assert taken.session_id.startswith("template-waiting-")
    assert taken.status == "processing"
    assert HandoffSession.objects.filter(status="queued").count() == BACKLOG - 1


def test_a_webhook_reads_a_few_pages_however_long_the_history(long_history, webhook, phone_body):
    """The webhook's one read (its tenant, a played-back callback, the handoffs in flight)
    counts the tenant's handoffs in flight from an index, not by walking its history."""
    phone_body["session_id"] = "after-a-long-history"
    with CaptureQueriesContext(connection) as captured:
        response = webhook.post(phone_body)

    assert response.status_code == 202
    (read,) = [
        query["sql"]
        for query in captured.captured_queries
        if query["sql"].startswith("SELECT") and "handoffs_tenant" in query["sql"]
    ]
    assert "handoffs_handoffsession" in read  # the count of handoffs in flight
    if connection.vendor == "postgresql":
        assert pages_read(read) <= MOST_PAGES, read
    else:
        assert full_reads(read) == [], read
