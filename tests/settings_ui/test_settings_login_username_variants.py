"""Spelling the username another way does not reset the failed sign-in count."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from tests.settings_ui.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def attempt(client, username: str, password: str):
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR="10.0.0.7"
    )


@pytest.mark.parametrize(
    "variant",
    [
        "ＡＤＡ",  # fullwidth letters: Django signs this in as "ada"
        "ａｄａ",
        "𝐚𝐝𝐚",  # mathematical bold letters normalise to "ada" too
        " ADA ",
    ],
)
def test_it_keeps_the_lockout_for_other_spellings_of_the_username(client, variant):
    get_user_model().objects.create_user("ada", password=PASSWORD)
    for _ in range(5):
        attempt(client, "ada", "wrong")

    response = attempt(client, variant, PASSWORD)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_it_counts_failures_of_all_spellings_together(client):
    get_user_model().objects.create_user("ada", password=PASSWORD)
    for variant in ("ada", "ADA", "ａｄａ", "𝐚𝐝𝐚", "Ada"):
        attempt(client, variant, "wrong")

    assert attempt(client, "ada", PASSWORD).status_code == 429
