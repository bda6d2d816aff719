"""An accepted webhook costs one commit (the session, its audit row and its task together) and
one read (the tenant, with whether the signature is a callback's and its handoffs in flight).
On PostgreSQL the writes are one statement, committed on its own."""

from __future__ import annotations

import re

import pytest
from django.db import connection, connections
from django_q.models import OrmQ

from handoffs.models import HandoffEvent, HandoffSession

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def writes(statements):
    with connections["default"].execute_wrapper(statements):
        yield statements


def test_it_stores_session_event_and_task_in_one_commit(webhook, phone_body, writes):
    response = webhook.post(phone_body)

    assert response.status_code == 202
    assert writes.transactions == 1
    assert HandoffSession.objects.count() == 1
    assert HandoffEvent.objects.filter(kind="received").count() == 1
    assert OrmQ.objects.count() == 1


def test_it_writes_nothing_for_a_refused_body(webhook, phone_body, writes):
    phone_body["channel"] = "fax"

    response = webhook.post(phone_body)

    assert response.status_code == 400
    assert (writes.commits, writes.outside_transaction) == (0, [])
    assert OrmQ.objects.count() == 0


def test_it_reads_once_before_it_writes(webhook, phone_body, writes):
    response = webhook.post(phone_body)

    assert response.status_code == 202
    reads = [sql for sql in writes.sql if sql.lstrip().upper().startswith("SELECT")]
    assert len(reads) == 1
    assert "handoffs_sentsignature" in reads[0]
    assert "handoffs_handoffsession" in reads[0]  # the tenant's handoffs in flight
    tables = [
        "handoffs_handoffsession",
        "handoffs_sessionrollup",
        "handoffs_handoffevent",
        "django_q_ormq",
    ]
    if connection.vendor == "postgresql":
        # One round trip: no BEGIN, no COMMIT, every insert in the statement.
        [written] = writes.sql[1:]
        assert written.startswith("WITH ")
        assert [re.search(rf"INSERT INTO \"?{t}\"? ", written) is not None for t in tables] == [
            True
        ] * 4
        assert writes.outside_transaction == ["WITH s AS "]
    else:
        written = [sql.split("(")[0].split()[-1].strip('"') for sql in writes.sql[1:]]
        assert written == tables


def test_a_queue_outside_the_database_is_told_once_the_session_is_committed(
    webhook, phone_body, writes, monkeypatch
):
    # Redis, say: the task cannot be part of the database's commit, so it leaves after it.
    import django_q.tasks
    from django_q.conf import Conf

    handed: list[tuple[str, bool]] = []

    def hand_over(func, *args, **kwargs):
        stored = HandoffSession.objects.filter(session_id=phone_body["session_id"]).exists()
        handed.append((func.__name__, stored and not connection.in_atomic_block))

    monkeypatch.setattr(Conf, "ORM", None)
    monkeypatch.setattr(django_q.tasks, "async_task", hand_over)

    response = webhook.post(phone_body)

    assert response.status_code == 202
    assert handed == [("process_next", True)]
    assert writes.transactions == 1
    assert OrmQ.objects.count() == 0
