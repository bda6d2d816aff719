"""An operator editing a tenant in the Django admin meets the same callback URL policy."""

from __future__ import annotations

import pytest
from django.test import override_settings


def save_callback(operator, tenant, url: str):
    data = {
        "name": tenant.name,
        "slug": tenant.slug,
        "callback_url": url,
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
    }
    return operator.post(f"/admin/handoffs/tenant/{tenant.pk}/change/", data)


@override_settings(DEBUG=False)
@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://127.0.0.1/cb", "must be a public address"),
        ("https://[64:ff9b::7f00:1]/cb", "must be a public address"),
        ("http://api.open.cx/hooks", "must start with https://"),
        ("https://user:pw@api.open.cx/hooks", "Leave user names and passwords out"),
    ],
)
def test_it_refuses_a_callback_url_the_settings_page_refuses(operator, tenant, url, expected):
    response = save_callback(operator, tenant, url)

    assert response.status_code == 200
    assert expected in response.content.decode()
    tenant.refresh_from_db()
    assert tenant.callback_url == ""


@override_settings(DEBUG=False)
def test_it_saves_a_public_https_callback_url(operator, tenant):
    response = save_callback(operator, tenant, "https://api.open.cx/hooks/d365")

    assert response.status_code == 302
    tenant.refresh_from_db()
    assert tenant.callback_url == "https://api.open.cx/hooks/d365"
