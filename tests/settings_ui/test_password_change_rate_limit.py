"""Wrong current passwords on the password change page are limited like failed sign-ins."""

from __future__ import annotations

import time

import pytest
from django.test import Client

from tests.settings_ui.conftest import PASSWORD

pytestmark = pytest.mark.django_db
URL = "/accounts/password/"
NEW = "a-much-longer-pass-2026"


def change(client, old: str, new: str = NEW, addr: str = "10.0.0.1"):
    return client.post(
        URL, {"old_password": old, "new_password1": new, "new_password2": new}, REMOTE_ADDR=addr
    )


def test_it_refuses_the_form_after_five_wrong_current_passwords(lead_client):
    for _ in range(4):
        page = change(lead_client, "guess").content.decode()
        assert "Your old password was entered incorrectly" in page

    fifth = change(lead_client, "guess").content.decode()

    assert "Too many wrong current passwords. Try again in 15 minute(s), after " in fifth


def test_it_refuses_even_the_right_current_password_while_locked_out(lead_client):
    for _ in range(5):
        change(lead_client, "guess")

    response = change(lead_client, PASSWORD)

    assert response.status_code == 429
    assert "Too many wrong current passwords" in response.content.decode()
    assert not Client().login(username="lee", password=NEW)


def test_it_counts_the_user_whatever_address_the_guesses_come_from(lead_client):
    for host in range(1, 6):
        change(lead_client, "guess", addr=f"203.0.113.{host}")

    assert change(lead_client, PASSWORD, addr="198.51.100.1").status_code == 429


def test_it_does_not_count_a_refused_new_password_as_a_guess(lead_client):
    for _ in range(5):
        change(lead_client, PASSWORD, new="short")

    page = change(lead_client, PASSWORD).content.decode()

    assert "Too many" not in page
    assert Client().login(username="lee", password=NEW)


def test_it_accepts_the_right_password_once_the_window_has_passed(lead_client, monkeypatch):
    for _ in range(5):
        change(lead_client, "guess")
    later = time.time() + 15 * 60 + 1
    monkeypatch.setattr("settings_ui.attempts.time.time", lambda: later)

    response = change(lead_client, PASSWORD)

    assert response.status_code == 302
    assert Client().login(username="lee", password=NEW)


def test_it_keeps_the_sign_in_of_the_same_user_open(lead_client):
    for _ in range(5):
        change(lead_client, "guess")

    response = Client().post(
        "/accounts/login/", {"username": "lee", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )

    assert response.status_code == 302
