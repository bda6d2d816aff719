"""A user signs in through the real browser and lands on their tenant."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from handoffs.tenancy import tenants
from tests.browser import sign_in


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_signs_in_and_shows_the_tenant_overview(page):
    get_user_model().objects.create_user("lead", password="lead-pass-123")
    tenant = tenants.create_tenant("acme", "Acme")
    tenants.add_member(tenant, "lead", role="lead")

    sign_in(page, "lead", "lead-pass-123")

    assert page.url.endswith("/t/acme/")
    assert page.locator("h1").inner_text() == "Acme"
    assert tenant.webhook_url in page.content()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_shows_an_error_for_a_wrong_password(page):
    get_user_model().objects.create_user("lead", password="lead-pass-123")

    sign_in(page, "lead", "wrong")

    assert "/accounts/login/" in page.url
    assert "enter a correct username and password" in page.content()
