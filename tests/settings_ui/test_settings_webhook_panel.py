"""Webhook panel: secret shown once on rotation (with grace), callback URL, test handoff."""

from __future__ import annotations

import re

import pytest
from django.test import override_settings

from handoffs.models import HandoffSession, Tenant

pytestmark = pytest.mark.django_db
URL = "/t/acme/settings/webhook/"


def test_it_shows_the_webhook_url_but_never_the_secret(admin_client_, tenant):
    page = admin_client_.get(URL).content.decode()

    assert tenant.webhook_url in page
    assert tenant.webhook_secret not in page


def test_it_shows_a_rotated_secret_once_and_keeps_the_old_one_verifying(admin_client_, tenant):
    old = tenant.webhook_secret

    response = admin_client_.post(URL + "rotate/")

    new = re.search(r'id="new-secret">([^<]+)<', response.content.decode()).group(1)
    tenant.refresh_from_db()
    assert new == tenant.webhook_secret != old
    assert tenant.verifying_secrets() == [new, old]
    assert "no-store" in response["Cache-Control"]
    assert new not in admin_client_.get(URL).content.decode()


def test_it_signs_a_webhook_with_the_old_secret_during_the_grace_period(
    admin_client_, tenant, webhook, phone_body
):
    old = tenant.webhook_secret
    admin_client_.post(URL + "rotate/")
    webhook.tenant = Tenant.objects.get(pk=tenant.pk)

    response = webhook.post(phone_body, secret=old)

    assert response.status_code == 202


@override_settings(DEBUG=False)
@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://opencx.example.com/cb", "must start with https://"),
        ("https://10.0.0.5/cb", "must be a public address"),
        ("https://localhost/cb", "must be a public address"),
    ],
)
def test_it_refuses_callback_urls_that_are_not_public_https_in_production(
    admin_client_, tenant, url, expected
):
    response = admin_client_.post(URL + "callback/", {"callback_url": url})

    assert expected in response.content.decode()
    tenant.refresh_from_db()
    assert tenant.callback_url == ""


def test_it_saves_a_callback_url(admin_client_, tenant):
    admin_client_.post(URL + "callback/", {"callback_url": "https://api.open.cx/hooks/d365"})

    tenant.refresh_from_db()
    assert tenant.callback_url == "https://api.open.cx/hooks/d365"


def test_it_runs_a_test_handoff_through_the_worker_and_shows_its_result(
    admin_client_, tenant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client_.post(URL + "test/", {"channel": "email"})

    session = HandoffSession.objects.get(tenant=tenant)
    assert session.channel == "email"
    assert session.session_id.startswith("test-email-")
    assert response["Location"] == f"/t/acme/settings/webhook/test/{session.pk}/"
    page = admin_client_.get(response["Location"]).content.decode()
    # No connection yet: the worker ran it and it failed with the reason and the fix.
    assert "integration_not_configured" in page
    assert "/help/troubleshooting/#integration_not_configured" in page
    assert f"/t/acme/sessions/{session.pk}/" in page


def test_it_hides_another_tenants_test_result(admin_client_, tenant):
    from handoffs.channels import sample_handoff
    from handoffs.inbound.intake import accept
    from handoffs.tenancy import tenants

    other = tenants.create_tenant("globex", "Globex")
    session, _ = accept(other, sample_handoff("phone"))

    response = admin_client_.get(f"{URL}test/{session.pk}/")

    assert response.status_code == 404
