"""An accepted webhook costs one commit: the session, its audit row and its task together."""

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
