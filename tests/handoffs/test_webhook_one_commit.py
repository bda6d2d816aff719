"""An accepted webhook costs one commit: the session, its audit row and its task together."""

from __future__ import annotations

import pytest
from django.db import connections
from django_q.conf import Conf
from django_q.models import OrmQ

from handoffs.models import HandoffEvent, HandoffSession

pytestmark = pytest.mark.django_db(transaction=True)


class Writes:
    """Every write the request makes, and whether it was inside the one transaction."""

    def __init__(self) -> None:
        self.commits = 0
        self.outside_transaction: list[str] = []

    def __call__(self, execute, sql, params, many, context):
        connection = context["connection"]
        writing = sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        if writing and not connection.in_atomic_block:
            self.outside_transaction.append(sql.split("(")[0])
        return execute(sql, params, many, context)


@pytest.fixture
def writes(monkeypatch):
    seen = Writes()
    wrapper = type(connections["default"])
    commit = wrapper.commit

    def counting(self):
        seen.commits += 1
        return commit(self)

    monkeypatch.setattr(wrapper, "commit", counting)
    monkeypatch.setattr(Conf, "SYNC", False)  # the real broker: the database queue
    with connections["default"].execute_wrapper(seen):
        yield seen


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
