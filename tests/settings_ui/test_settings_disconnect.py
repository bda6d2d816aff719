"""Disconnect asks first, removes the credentials and keeps the handoff history."""

from __future__ import annotations

import pytest

from handoffs.channels import sample_handoff
from handoffs.inbound.intake import accept
from handoffs.models import DynamicsConnection, HandoffSession

pytestmark = pytest.mark.django_db
URL = "/t/acme/settings/connection/disconnect/"


def test_it_asks_for_confirmation_first(admin_client_, connection):
    page = admin_client_.get(URL).content.decode()

    assert "Disconnect Dynamics 365?" in page
    assert DynamicsConnection.objects.exists()


def test_it_deletes_the_credentials_and_keeps_the_history(admin_client_, tenant, connection):
    accept(tenant, sample_handoff("phone"))

    response = admin_client_.post(URL, follow=True)

    assert not DynamicsConnection.objects.exists()
    assert HandoffSession.objects.filter(tenant=tenant).count() == 1
    assert "Handoff history is kept" in response.content.decode()
