"""Fixtures for the settings pages: users with a role in a tenant, a clean cache."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client

from handoffs import tenants
from handoffs.models import Tenant

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def _clean_cache():
    # Login counters and metadata live in the process-wide cache; tests must not share them.
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


@pytest.fixture
def dynamics():
    """Entra ID and Dataverse answers at the HTTP boundary (see tests/handoffs/org_answers.py)."""
    import responses

    from tests.handoffs.dynamics.fakes import FakeDynamics

    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield FakeDynamics(mock)


@pytest.fixture
def connection(tenant: Tenant):
    from handoffs.dynamics.client import forget_client
    from handoffs.models import DynamicsConnection
    from tests.handoffs.dynamics.fakes import AZURE_TENANT, CLIENT_ID, CLIENT_SECRET, ENVIRONMENT

    connection = DynamicsConnection.objects.create(
        tenant=tenant,
        azure_tenant_id=AZURE_TENANT,
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        environment_url=ENVIRONMENT,
    )
    forget_client(connection.pk)
    yield connection
    forget_client(connection.pk)
