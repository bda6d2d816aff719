"""A claimed session comes as the ORM would load it, with its tenant and the tenant's connection.

The claim runs SQL compiled once per process (lifecycle.compiled) and builds the instances
itself: what a handoff reads from them must be what a fresh ORM read gives, decrypted secrets
and JSON payloads included, with no further query to reach the tenant or its connection.
"""

from __future__ import annotations

from django.db import connection as db
from django.test.utils import CaptureQueriesContext

from handoffs.channels import sample_handoff
from handoffs.inbound.intake import accept
from handoffs.lifecycle.claim import claim_next
from handoffs.models import DynamicsConnection, HandoffSession


def fields(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}


def test_the_claimed_session_its_tenant_and_connection_match_an_orm_read(connection):
    accept(connection.tenant, sample_handoff("email", "loaded"))

    taken = claim_next()

    fresh = HandoffSession.objects.select_related("tenant__connection").get(pk=taken.pk)
    assert fields(taken) == fields(fresh)
    assert isinstance(taken.payload, dict)
    with CaptureQueriesContext(db) as reads:
        tenant, linked = taken.tenant, taken.tenant.connection
    assert reads.captured_queries == []
    assert fields(tenant) == fields(fresh.tenant)
    assert fields(linked) == fields(fresh.tenant.connection)
    assert linked.client_secret == connection.client_secret  # decrypted, as the ORM gives it
    assert linked.tenant is tenant


def test_a_tenant_without_a_connection_says_so_without_a_query(tenant):
    accept(tenant, sample_handoff("phone", "unconnected"))

    taken = claim_next()

    with CaptureQueriesContext(db) as reads:
        try:
            taken.tenant.connection  # noqa: B018 - reading it is the test
            found = True
        except DynamicsConnection.DoesNotExist:
            found = False
    assert found is False
    assert reads.captured_queries == []


def test_a_claim_after_a_change_of_cap_counts_against_the_new_cap(tenant, settings):
    first, second = (accept(tenant, sample_handoff("phone", f"cap-{i}"))[0] for i in range(2))
    assert claim_next().pk == first.pk  # compiled with the default cap

    settings.TENANT_MAX_CONCURRENT_HANDOFFS = 1

    assert claim_next() is None
    assert HandoffSession.objects.get(pk=second.pk).status == "queued"
