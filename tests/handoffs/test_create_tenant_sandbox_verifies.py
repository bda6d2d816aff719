"""A tenant made with create_tenant --sandbox passes verify_integration with exit status 0."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from handoffs.models import DynamicsConnection

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_exits_0_for_a_fresh_sandbox_tenant(live_server, settings):
    settings.PUBLIC_BASE_URL = live_server.url
    created = io.StringIO()
    call_command("create_tenant", "tailspin", "--sandbox", stdout=created)
    assert json.loads(created.getvalue())["tenant"] == "tailspin"
    out = io.StringIO()

    try:
        call_command("verify_integration", "tailspin", stdout=out)
        status = 0
    except SystemExit as exc:
        status = int(exc.code)

    assert status == 0, out.getvalue()
    assert "All checks passed." in out.getvalue()
    expires = DynamicsConnection.objects.get(tenant__slug="tailspin").secret_expires_on
    assert expires > timezone.localdate() + timedelta(days=365)
