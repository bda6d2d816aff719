"""manage.py verify_integration prints the checklist; exit 0 only when every line passes."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from tests.handoffs.dynamics.fakes import CLIENT_SECRET, entra_error
from tests.handoffs.org_answers import serve_healthy_org


def verify(slug: str = "acme") -> tuple[str, int]:
    out = io.StringIO()
    try:
        call_command("verify_integration", slug, stdout=out)
    except SystemExit as exc:
        return out.getvalue(), int(exc.code)
    return out.getvalue(), 0


def test_it_exits_0_when_every_line_passes(connection, dynamics):
    serve_healthy_org(dynamics)

    printed, status = verify()

    assert status == 0
    assert "[PASS] Token from Microsoft Entra ID" in printed
    assert "All checks passed." in printed


def test_it_exits_1_and_prints_the_fix_and_section_of_a_failure(connection, dynamics):
    dynamics.refuse_token(entra_error("invalid_client", 7000222, "expired"))

    printed, status = verify()

    assert status == 1
    assert "[FAIL] Token from Microsoft Entra ID" in printed
    assert "Fix: Create a new client secret" in printed
    assert "See: docs/troubleshooting.md#entra_secret_expired" in printed
    assert "[SKIP]" in printed
    assert CLIENT_SECRET not in printed


def test_it_exits_2_for_warnings_only(connection, dynamics):
    connection.secret_expires_on = timezone.localdate() + timedelta(days=5)
    connection.save()
    serve_healthy_org(dynamics)

    printed, status = verify()

    assert status == 2
    assert "[WARN] Client secret expiry date" in printed


def test_it_says_how_to_connect_a_tenant_without_a_connection(tenant):
    with pytest.raises(CommandError, match="has no Dynamics 365 connection"):
        verify()
