"""Repeated failed sign-ins lock that username from that address for a while."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tests.settings_ui.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def attempt(client: Client, password: str, addr: str = "10.0.0.1", username: str = "ada"):
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=addr
    )


@pytest.fixture
def user():
    return get_user_model().objects.create_user("ada", password=PASSWORD)


def test_it_locks_out_after_five_failures_with_a_retry_time(user, client):
    for _ in range(4):
        assert attempt(client, "wrong").status_code == 200

    fifth = attempt(client, "wrong")

    assert "Too many failed sign-ins" in fifth.content.decode()
    assert "Try again in 15 minute(s)" in fifth.content.decode()


def test_it_refuses_even_the_right_password_while_locked_out(user, client):
    for _ in range(5):
        attempt(client, "wrong")

    response = attempt(client, PASSWORD)

    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_does_not_lock_out_the_same_user_from_another_address(user, client):
    for _ in range(5):
        attempt(client, "wrong", addr="10.0.0.1")

    response = attempt(client, PASSWORD, addr="10.0.0.2")

    assert response.status_code == 302


def test_it_unlocks_once_the_window_has_passed(user, client, monkeypatch):
    import time as time_module

    for _ in range(5):
        attempt(client, "wrong")
    later = time_module.time() + 15 * 60 + 1
    monkeypatch.setattr("settings_ui.attempts.time.time", lambda: later)

    response = attempt(client, PASSWORD)

    assert response.status_code == 302


def test_it_forgets_earlier_failures_after_a_successful_sign_in(user, client):
    for _ in range(4):
        attempt(client, "wrong")
    assert attempt(client, PASSWORD).status_code == 302
    client.logout()

    for _ in range(4):
        attempt(client, "wrong")
    response = attempt(client, PASSWORD)

    assert response.status_code == 302


def test_it_keeps_csrf_protection_on_the_login_form(user):
    client = Client(enforce_csrf_checks=True)

    response = attempt(client, PASSWORD)

    assert response.status_code == 403
