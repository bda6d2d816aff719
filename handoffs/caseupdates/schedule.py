"""The every-minute fan-out: one case-change poll per tenant that sends case updates.

The schedule itself (django-q2, named below) is created by the migrations.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef

from handoffs import tasks
from handoffs.models import HandoffSession, Tenant

SCHEDULE_NAME = "handoffs: follow case changes"


def tenants_to_poll():
    """Tenants with case updates on, a callback URL, a connection and at least one case."""
    with_cases = HandoffSession.objects.filter(
        tenant=OuterRef("pk"), dynamics365_incident_id__isnull=False
    )
    return (
        Tenant.objects.filter(case_updates_enabled=True, connection__isnull=False)
        .exclude(callback_url="")
        .filter(Exists(with_cases))
    )


def fan_out() -> int:
    """Queue one poll per tenant to poll; return how many were queued."""
    from django_q.tasks import async_task

    queued = 0
    for tenant_pk in tenants_to_poll().values_list("pk", flat=True):
        async_task(tasks.poll_case_changes, tenant_pk, group="case-updates")
        queued += 1
    return queued
