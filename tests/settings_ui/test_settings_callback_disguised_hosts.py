"""In production the callback URL cannot reach inside through another spelling of the host."""

from __future__ import annotations

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db
URL = "/t/acme/settings/webhook/callback/"


@override_settings(DEBUG=False)
@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://2130706433/cb", "must be a public address"),  # 127.0.0.1 as one number
        ("https://0177.0.0.1/cb", "must be a public address"),  # octal
        ("https://0x7f000001/cb", "must be a public address"),  # hex
        ("https://127.1/cb", "must be a public address"),  # short form
        ("https://0/cb", "must be a public address"),
        ("https://localhost./cb", "must be a public address"),  # trailing root dot
        ("https://metadata.internal./cb", "must be a public address"),
        ("https://[::ffff:169.254.169.254]/cb", "must be a public address"),
        ("https://[2002:7f00:1::]/cb", "must be a public address"),  # 6to4 of 127.0.0.1
        ("https://example.com\\@127.0.0.1/cb", "Leave user names and passwords out"),
        ("https://opencx.example.com;.evil/cb", "must be a plain name"),
        ("https://[::1/cb", "Enter a full URL"),
        ("https://opencx.example.com:99999/cb", "Enter a full URL"),
    ],
)
def test_it_refuses_internal_hosts_in_disguise(admin_client_, tenant, url, expected):
    response = admin_client_.post(URL, {"callback_url": url})

    assert response.status_code == 200
    assert expected in response.content.decode()
    tenant.refresh_from_db()
    assert tenant.callback_url == ""


@override_settings(DEBUG=False)
def test_it_still_accepts_a_public_name_with_a_root_dot(admin_client_, tenant):
    admin_client_.post(URL, {"callback_url": "https://api.open.cx./hooks/d365"})

    tenant.refresh_from_db()
    assert tenant.callback_url == "https://api.open.cx./hooks/d365"
