"""An IPv6 client cannot dodge the sign-in limit by changing addresses inside its /64."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from tests.settings_ui.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def attempt(client, address: str, password: str):
    return client.post(
        "/accounts/login/", {"username": "ada", "password": password}, REMOTE_ADDR=address
    )


@pytest.fixture(autouse=True)
def user():
    return get_user_model().objects.create_user("ada", password=PASSWORD)


def test_it_locks_out_the_whole_64_after_failures_from_different_addresses(client):
    for host in range(1, 6):
        attempt(client, f"2001:db8:1:2::{host:x}", "wrong")

    response = attempt(client, "2001:db8:1:2:ffff::9", PASSWORD)

    assert response.status_code == 429


def test_it_leaves_a_neighbouring_64_alone(client):
    for host in range(1, 6):
        attempt(client, f"2001:db8:1:2::{host:x}", "wrong")

    response = attempt(client, "2001:db8:1:3::1", PASSWORD)

    assert response.status_code == 302


def test_it_keeps_counting_ipv4_clients_per_address(client):
    for _ in range(5):
        attempt(client, "192.0.2.10", "wrong")

    assert attempt(client, "192.0.2.10", PASSWORD).status_code == 429
    assert attempt(client, "192.0.2.11", PASSWORD).status_code == 302
