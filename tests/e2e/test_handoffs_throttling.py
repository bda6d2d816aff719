"""A burst of 429s is waited out (Retry-After) and still yields exactly one record each."""

from __future__ import annotations

import pytest

from dataverse_sandbox import provisioning
from dataverse_sandbox.models import RequestLog
from handoffs.channels import sample_handoff

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_it_survives_a_429_burst_with_one_record_each(qcluster, sandbox_tenant):
    provisioning.set_faults(sandbox_tenant.org, throttle_burst=3, retry_after=1)
    ids = [f"e2e-burst-{channel}" for channel in ("phone", "email", "sms")]

    for session_id in ids:
        sandbox_tenant.send(sample_handoff(session_id.rsplit("-", 1)[1], session_id))
    # Retries run from the worker's scheduler, which looks for due tasks every 30 seconds.
    sessions = [sandbox_tenant.wait(session_id, timeout=150) for session_id in ids]

    assert [s.status for s in sessions] == ["done"] * 3
    # Each session's first call was refused, so each needed exactly one more attempt.
    assert [s.attempts for s in sessions] == [2, 2, 2]
    assert RequestLog.objects.filter(org=sandbox_tenant.org, status=429).count() == 3
    assert len(sandbox_tenant.rows("incident")) == 2
    assert len(sandbox_tenant.rows("msdyn_ocliveworkitem")) == 1
    assert len(sandbox_tenant.rows("annotation")) == 3
