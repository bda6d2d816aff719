"""A client for the `connection` fixture, answered by the `dynamics` mock (tests/conftest.py)."""

from __future__ import annotations

import pytest

from handoffs.dynamics.client import DynamicsClient, client_for
from handoffs.models import DynamicsConnection
from tests.handoffs.dynamics.fakes import FakeDynamics


@pytest.fixture
def client(connection: DynamicsConnection, dynamics: FakeDynamics) -> DynamicsClient:
    return client_for(connection)
