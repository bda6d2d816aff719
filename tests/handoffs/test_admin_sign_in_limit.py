"""The Django admin has no second, unlimited sign-in: it uses the app's rate-limited one."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache

pytestmark = pytest.mark.django_db
PASSWORD = "ops-pass-123"


@pytest.fixture(autouse=True)
def operator():
    cache.clear()
    yield get_user_model().objects.create_superuser("ops", "ops@example.com", PASSWORD)
    cache.clear()


def test_it_sends_the_admin_sign_in_to_the_app_sign_in(client):
    response = client.get("/admin/", follow=True)

    final = urlsplit(response.redirect_chain[-1][0])
    assert final.path == "/accounts/login/"
    assert parse_qs(final.query) == {"next": ["/admin/"]}


def test_it_accepts_no_password_guesses_at_the_admin_sign_in_url(client):
    response = client.post("/admin/login/", {"username": "ops", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session


def test_it_opens_the_admin_after_signing_in_past_the_limit_only_once_unlocked(client, monkeypatch):
    for _ in range(5):
        client.post("/accounts/login/?next=/admin/", {"username": "ops", "password": "wrong"})

    locked = client.post("/accounts/login/?next=/admin/", {"username": "ops", "password": PASSWORD})
    later = time.time() + 15 * 60 + 1  # the lockout window has passed
    monkeypatch.setattr("settings_ui.attempts.time.time", lambda: later)
    signed_in = client.post(
        "/accounts/login/?next=/admin/", {"username": "ops", "password": PASSWORD}, follow=True
    )

    assert locked.status_code == 429
    assert signed_in.redirect_chain[-1][0] == "/admin/"
    assert "Site administration" in signed_in.content.decode()
