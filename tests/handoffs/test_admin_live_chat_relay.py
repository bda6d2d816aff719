"""Operators find the relay's queues in the admin, read only, stray activities included."""

from __future__ import annotations

import uuid

from handoffs.models import RepActivity
from handoffs.tenancy import tenants


def test_it_lists_activities_for_unknown_conversations(operator):
    tenant = tenants.create_tenant("acme", "Acme")
    stray = uuid.uuid4()
    RepActivity.objects.create(
        tenant=tenant,
        conversation_id=stray,
        dedupe_key="id:1",
        activity={"type": "message"},
        outcome="unknown conversation",
    )

    page = operator.get("/admin/handoffs/repactivity/")

    assert page.status_code == 200
    assert str(stray) in page.content.decode()
    assert "unknown conversation" in page.content.decode()
    assert operator.get("/admin/handoffs/repactivity/add/").status_code == 403


def test_it_lists_customer_messages(operator):
    assert operator.get("/admin/handoffs/customermessage/").status_code == 200
