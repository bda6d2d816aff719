"""Admins edit, leads only read, and nobody reaches another tenant's settings."""

from __future__ import annotations

import pytest

from handoffs.tenancy import tenants
from tests.settings_ui.conftest import member_client

pytestmark = pytest.mark.django_db

EDIT_URLS = [
    ("get", "/t/acme/settings/connection/"),
    ("post", "/t/acme/settings/connection/verify/"),
    ("get", "/t/acme/settings/connection/disconnect/"),
    ("get", "/t/acme/settings/defaults/"),
    ("get", "/t/acme/settings/ticket-properties/"),
    ("get", "/t/acme/settings/webhook/"),
    ("post", "/t/acme/settings/webhook/rotate/"),
    ("post", "/t/acme/settings/webhook/callback/"),
    ("post", "/t/acme/settings/webhook/test/"),
    ("post", "/t/acme/settings/chats-as-cases/"),
]


@pytest.mark.parametrize(("method", "url"), EDIT_URLS)
def test_it_hides_every_edit_page_from_leads(lead_client, method, url):
    response = getattr(lead_client, method)(url)

    assert response.status_code == 404


def test_it_shows_leads_a_read_only_summary(lead_client, connection):
    response = lead_client.get("/t/acme/settings/")

    page = response.content.decode()
    assert response.status_code == 200
    assert connection.environment_url in page
    assert "Edit connection" not in page
    assert "/settings/connection/" not in page


@pytest.mark.parametrize(("method", "url"), [*EDIT_URLS, ("get", "/t/acme/settings/")])
def test_it_answers_404_to_another_tenants_admin(tenant, method, url):
    other = tenants.create_tenant("globex", "Globex")
    client = member_client(other, "gus", "admin")

    response = getattr(client, method)(url)

    assert response.status_code == 404


def test_it_sends_anonymous_visitors_to_sign_in(client, tenant):
    response = client.get("/t/acme/settings/connection/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_it_links_settings_for_admins_only(admin_client_, lead_client):
    assert "/t/acme/settings/" in admin_client_.get("/t/acme/").content.decode()
    assert "/t/acme/settings/" not in lead_client.get("/t/acme/").content.decode()


def test_it_refuses_a_settings_change_without_a_csrf_token(tenant):
    from django.contrib.auth import get_user_model
    from django.test import Client

    from tests.settings_ui.conftest import PASSWORD

    get_user_model().objects.create_user("ada", password=PASSWORD)
    tenants.add_member(tenant, "ada", role="admin")
    client = Client(enforce_csrf_checks=True)
    client.login(username="ada", password=PASSWORD)

    response = client.post("/t/acme/settings/webhook/rotate/")

    assert response.status_code == 403
