"""The status document always names the target, even before the record is written."""

from __future__ import annotations

import pytest

from handoffs.channels import sample_handoff
from handoffs.models import DynamicsConnection, HandoffSession


@pytest.mark.parametrize(
    ("channel", "target"),
    [
        ("phone", "incident"),
        ("email", "incident"),
        ("web", "live_work_item"),
        ("sms", "live_work_item"),
        ("whatsapp", "live_work_item"),
    ],
)
def test_it_names_the_default_target_of_a_queued_session(webhook, channel, target):
    webhook.post(sample_handoff(channel, f"s-{channel}"))

    document = webhook.status(f"s-{channel}").json()

    assert document["status"] == "queued"
    assert document["target"] == target


def test_it_names_the_target_of_a_session_that_failed_before_any_record(
    webhook, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        webhook.post(sample_handoff("whatsapp", "s-failed"))

    document = webhook.status("s-failed").json()

    assert document["status"] == "failed"
    assert document["target"] == "live_work_item"


def test_it_follows_a_tenant_that_writes_chats_as_cases(webhook, connection):
    DynamicsConnection.objects.filter(pk=connection.pk).update(
        chat_target=DynamicsConnection.ChatTarget.INCIDENT
    )
    webhook.post(sample_handoff("web", "s-web"))

    assert webhook.status("s-web").json()["target"] == "incident"


def test_it_keeps_the_target_the_record_was_written_to(webhook, connection):
    webhook.post(sample_handoff("sms", "s-sms"))
    HandoffSession.objects.filter(session_id="s-sms").update(status="done", target="incident")

    assert webhook.status("s-sms").json()["target"] == "incident"
