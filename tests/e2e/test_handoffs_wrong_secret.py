"""A wrong client secret ends the handoff as `failed` with a message that says what to fix."""

from __future__ import annotations

import pytest

from handoffs.channels import sample_handoff
from handoffs.models import DynamicsConnection

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_it_fails_clearly_on_a_wrong_secret(qcluster, sandbox_tenant):
    connection = DynamicsConnection.objects.get(tenant=sandbox_tenant.tenant)
    connection.client_secret = "not-the-secret-value"
    connection.save()

    sandbox_tenant.send(sample_handoff("phone", "e2e-secret"))
    session = sandbox_tenant.wait("e2e-secret")

    assert session.status == "failed"
    assert session.last_error_code == "entra_invalid_secret"
    assert "AADSTS7000215" in session.last_error_message
    assert "not-the-secret-value" not in session.last_error_message
    assert sandbox_tenant.rows("incident") == []
    assert sandbox_tenant.rows("contact") == []
