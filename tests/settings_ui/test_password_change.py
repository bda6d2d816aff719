"""A signed-in user changes their password; a refused one says why next to the field."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.settings_ui.conftest import PASSWORD

pytestmark = pytest.mark.django_db
URL = "/accounts/password/"


def change(client, new: str):
    return client.post(
        URL,
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
        follow=True,
    )


def test_it_says_why_a_new_password_is_refused(lead_client):
    page = change(lead_client, "short").content.decode()

    assert "This password is too short. It must contain at least 8 characters." in page
    assert "Password changed" not in page


def test_it_changes_the_password_and_keeps_the_session(lead_client):
    page = change(lead_client, "a-much-longer-pass-2026").content.decode()

    assert "Password changed" in page
    assert lead_client.get("/t/acme/").status_code == 200
    assert Client().login(username="lee", password="a-much-longer-pass-2026")
