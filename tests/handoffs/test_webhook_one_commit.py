"""An accepted webhook costs one commit (the session, its audit row and its task together) and
one read (the tenant, with whether the signature is a callback's and its handoffs in flight)."""

from __future__ import annotations

import pytest
from django.db import connections
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
    assert writes.commits == 1
    assert writes.outside_transaction == []
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
    written = [sql.split("(")[0].split()[-1].strip('"') for sql in writes.sql[1:]]
    assert written == [
        "handoffs_handoffsession",
        "handoffs_sessionrollup",
        "handoffs_handoffevent",
        "django_q_ormq",
    ]
