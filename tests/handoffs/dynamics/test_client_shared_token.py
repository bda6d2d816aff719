"""A token is fetched once per app registration, however many worker processes use it."""

from __future__ import annotations

from django.db import connection as db_connection

from handoffs.dynamics.client import DynamicsClient, candidate_client, forget_client
from handoffs.models import DynamicsConnection, SharedTokenCache
from tests.handoffs.dynamics.fakes import ACCESS_TOKEN, CLIENT_SECRET


def another_process(connection: DynamicsConnection) -> DynamicsClient:
    """A fresh client and msal app, as a second worker process builds them: nothing in memory."""
    return candidate_client(connection)


def test_it_fetches_one_token_for_two_processes_of_one_connection(connection, dynamics):
    dynamics.add("GET", "WhoAmI", body={"UserId": "u", "BusinessUnitId": "b",
                                        "OrganizationId": "o"})  # fmt: skip

    another_process(connection).get("WhoAmI")
    another_process(connection).get("WhoAmI")

    assert len(dynamics.token_calls()) == 1
    assert len(dynamics.dataverse_calls()) == 2


def test_it_fetches_one_token_per_connection(connection, dynamics, tenant):
    from handoffs.tenancy.tenants import connect, create_tenant

    second = connect(
        create_tenant("globex"),
        azure_tenant_id=connection.azure_tenant_id,
        client_id="99999999-8888-7777-6666-555555555555",
        client_secret="another~secret",
        environment_url=connection.environment_url,
    )
    forget_client(second.pk)
    for _ in range(2):  # two processes each
        for each in (connection, second):
            another_process(each).token()

    assert len(dynamics.token_calls()) == 2


def test_it_stores_the_shared_token_encrypted(connection, dynamics):
    another_process(connection).token()

    stored = SharedTokenCache.objects.values_list("blob", flat=True).get()
    with db_connection.cursor() as cursor:
        cursor.execute(f"SELECT blob FROM {SharedTokenCache._meta.db_table}")  # noqa: S608
        (raw,) = cursor.fetchone()
    assert ACCESS_TOKEN in stored
    assert ACCESS_TOKEN not in raw
    assert CLIENT_SECRET not in stored
