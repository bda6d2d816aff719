"""Fixtures for the domain tests."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client


@pytest.fixture
def operator(db) -> Client:
    """A platform operator signed in to the Django admin."""
    get_user_model().objects.create_superuser("ops", "ops@example.com", "ops-pass-123")
    client = Client()
    client.login(username="ops", password="ops-pass-123")
    return client
