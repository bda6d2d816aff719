"""create_tenant refuses --authority-host without the credentials instead of ignoring it."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from handoffs.models import Tenant


def test_it_asks_for_the_credentials_an_authority_host_needs(db):
    with pytest.raises(CommandError, match="also needs --environment-url"):
        call_command(
            "create_tenant",
            "acme",
            "--authority-host",
            "https://login.microsoftonline.us",
            stdout=io.StringIO(),
        )

    assert not Tenant.objects.exists()


def test_it_refuses_an_authority_host_with_sandbox(db):
    with pytest.raises(CommandError, match="not both"):
        call_command("create_tenant", "acme", "--sandbox", "--authority-host", "https://x.example")

    assert not Tenant.objects.exists()
