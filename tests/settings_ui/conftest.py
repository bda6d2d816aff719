"""Fixtures for the settings pages: users with a role in a tenant, a clean cache."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client

from handoffs.models import Tenant
from handoffs.tenancy import tenants

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def _clean_cache():
    # Dynamics metadata lives in the process-wide cache; tests must not share it.
    cache.clear()
    yield
    cache.clear()


def member_client(tenant: Tenant, username: str, role: str) -> Client:
    get_user_model().objects.create_user(username, password=PASSWORD)
    tenants.add_member(tenant, username, role=role)
    client = Client()
    client.login(username=username, password=PASSWORD)
    return client


@pytest.fixture
def admin_client_(tenant: Tenant) -> Client:
    return member_client(tenant, "ada", "admin")


@pytest.fixture
def lead_client(tenant: Tenant) -> Client:
    return member_client(tenant, "lee", "lead")
