"""A Dynamics connection and a `responses` mock of Entra ID + Dataverse at the HTTP boundary."""

from __future__ import annotations

import pytest
import responses

from handoffs.dynamics.client import DynamicsClient, client_for, forget_client
from handoffs.models import DynamicsConnection, Tenant
from tests.handoffs.dynamics.fakes import (
    AZURE_TENANT,
    CLIENT_ID,
    CLIENT_SECRET,
    ENVIRONMENT,
    FakeDynamics,
)


@pytest.fixture
def connection(tenant: Tenant) -> DynamicsConnection:
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


@pytest.fixture
def dynamics() -> FakeDynamics:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield FakeDynamics(mock)


@pytest.fixture
def client(connection: DynamicsConnection, dynamics: FakeDynamics) -> DynamicsClient:
    return client_for(connection)
