"""replay_handoffs <slug> with neither option replays every failed session, like --failed."""

from __future__ import annotations

import io

from django.core.management import call_command

from handoffs.channels import sample_handoff
from handoffs.models import HandoffSession


def test_it_replays_every_failed_session_when_no_option_is_given(
    webhook, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        webhook.post(sample_handoff("phone", "s-1"))
        webhook.post(sample_handoff("email", "s-2"))
    webhook.post(sample_handoff("sms", "s-3"))  # still queued: not replayed
    out = io.StringIO()

    with django_capture_on_commit_callbacks(execute=False):
        call_command("replay_handoffs", "acme", stdout=out)

    assert "Queued 2 session(s) for acme." in out.getvalue()
    statuses = dict(HandoffSession.objects.values_list("session_id", "status"))
    assert statuses == {"s-1": "queued", "s-2": "queued", "s-3": "queued"}
    replayed = HandoffSession.objects.filter(events__kind="replayed")
    assert sorted(replayed.values_list("session_id", flat=True)) == ["s-1", "s-2"]
