"""A client secret expiring within 30 days puts a warning on every page of that tenant."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db


def expire_in(connection, days: int) -> None:
    connection.secret_expires_on = timezone.localdate() + timedelta(days=days)
    connection.save()


@pytest.mark.parametrize("url", ["/t/acme/", "/t/acme/sessions/", "/t/acme/settings/"])
def test_it_warns_on_every_tenant_page(lead_client, connection, url):
    expire_in(connection, 10)

    page = lead_client.get(url).content.decode()

    assert "client secret of Acme expires on" in page
    assert "(10 days left)" in page
    assert "Ask an admin" in page


def test_it_links_admins_to_the_connection_form(admin_client_, connection):
    expire_in(connection, 3)

    page = admin_client_.get("/t/acme/").content.decode()

    assert 'href="/t/acme/settings/connection/"' in page


def test_it_says_when_the_secret_has_already_expired(admin_client_, connection):
    expire_in(connection, -2)

    page = admin_client_.get("/t/acme/").content.decode()

    assert "expired on" in page
    assert "handoffs fail until a new one is saved" in page


def test_it_stays_quiet_when_the_expiry_is_further_away(admin_client_, connection):
    expire_in(connection, 31)

    assert "client secret of Acme" not in admin_client_.get("/t/acme/").content.decode()
