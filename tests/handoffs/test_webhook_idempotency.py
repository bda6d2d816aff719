"""The same session_id delivered again, even concurrently, creates one session."""

from __future__ import annotations

import json
import threading

import pytest
from django.db import connection
from django.db.models import Sum
from django.test import Client

from handoffs.inbound import signing
from handoffs.models import HandoffEvent, HandoffSession, SessionRollup
from tests.conftest import refusing_session_writes


def test_it_answers_the_status_document_for_a_repeated_delivery(webhook, phone_body):
    first = webhook.post(phone_body)
    second = webhook.post(phone_body)

    assert first.status_code == 202
    assert second.status_code == 200
    assert second.json()["session_id"] == "sess-phone-1"
    assert second.json()["status"] in {"queued", "failed"}
    assert HandoffSession.objects.count() == 1
    assert HandoffEvent.objects.filter(kind="received").count() == 1


def test_it_keeps_the_same_session_id_apart_between_tenants(webhook, phone_body, client):
    from handoffs.tenancy.tenants import create_tenant
    from tests.conftest import WebhookClient

    other = WebhookClient(client, create_tenant("globex", "Globex"))

    assert webhook.post(phone_body).status_code == 202
    assert other.post(phone_body).status_code == 202
    assert HandoffSession.objects.count() == 2


def test_it_records_a_received_event_and_the_searchable_fields(webhook, phone_body):
    webhook.post(phone_body)

    session = HandoffSession.objects.get()
    assert session.customer_email == "maria.keller@example.com"
    assert session.classification == "Billing"
    assert session.payload == phone_body
    assert [e.kind for e in session.events.all()][0] == "received"


@pytest.mark.django_db(transaction=True)
def test_it_creates_one_session_from_many_concurrent_deliveries(tenant, phone_body):
    # Runs on both databases in CI: the unique constraint must decide on each of them.
    raw = json.dumps(phone_body).encode()
    url = f"/hooks/opencx/{tenant.webhook_key}/"
    barrier = threading.Barrier(8)
    statuses: list[int] = []

    def deliver() -> None:
        client = Client()
        barrier.wait()
        response = client.generic(
            "POST",
            url,
            raw,
            content_type="application/json",
            headers=signing.signed_headers(tenant.webhook_secret, raw),
        )
        statuses.append(response.status_code)
        connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses) == [200] * 7 + [202]
    assert HandoffSession.objects.filter(tenant=tenant).count() == 1
    assert HandoffEvent.objects.filter(kind="received").count() == 1
    # Counted once in the history's totals, not once per delivery.
    counted = SessionRollup.objects.filter(tenant=tenant, kind="status").aggregate(n=Sum("count"))
    assert counted["n"] == 1


@pytest.mark.django_db(transaction=True)
def test_a_write_the_database_refuses_once_is_tried_again(webhook, phone_body):
    refusing = refusing_session_writes(times=1)

    with connection.execute_wrapper(refusing):
        response = webhook.post(phone_body)

    assert response.status_code == 202
    assert len(refusing.refused) == 1
    assert HandoffSession.objects.count() == 1
    assert HandoffEvent.objects.filter(kind="received").count() == 1


def test_a_write_the_database_keeps_refusing_answers_503_and_stores_nothing(webhook, phone_body):
    with connection.execute_wrapper(refusing_session_writes(times=100)):
        response = webhook.post(phone_body)

    assert response.status_code == 503
    assert response["Retry-After"] == "1"
    assert response.json()["error"]["code"] == "service_busy"
    assert "Send the handoff again" in response.json()["error"]["message"]
    assert HandoffSession.objects.count() == 0
    assert HandoffEvent.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_session_removed_while_its_delivery_is_stored_again_is_stored_anew(webhook, phone_body):
    if connection.vendor != "postgresql":
        pytest.skip("the one-statement intake is PostgreSQL's (CI runs this on both)")
    assert webhook.post(phone_body).status_code == 202

    purged: list[int] = []

    def purge_after_the_conflict(execute, sql, params, many, context):
        # The retention purge deletes the session between the insert that met it and the read
        # of it: the delivery is new again.
        result = execute(sql, params, many, context)
        if sql.startswith("WITH ") and not purged:
            purged.append(HandoffSession.objects.all().delete()[0])
        return result

    with connection.execute_wrapper(purge_after_the_conflict):
        response = webhook.post(phone_body)

    assert purged and purged[0] > 0
    assert response.status_code == 202
    assert HandoffSession.objects.count() == 1
    assert HandoffEvent.objects.filter(kind="received").count() == 1
