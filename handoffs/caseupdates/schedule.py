"""The fan-out: one case-change poll per tenant that sends case updates, every 30 or 60 s.

The every-minute schedule (django-q2, named below) is created by the migrations. With
CASE_UPDATES_POLL_SECONDS at 30, each minute's run also leaves a one-off run half a minute
later, so a change reaches OpenCX within the minute.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils import timezone

from handoffs import tasks
from handoffs.lifecycle.queueing import task_path
from handoffs.models import HandoffSession, Tenant

SCHEDULE_NAME = "handoffs: follow case changes"
HALF_MINUTE_NAME = "handoffs: follow case changes (half a minute later)"


def tenants_to_poll():
    """Tenants with case updates on, a callback URL, a connection and at least one case.

    A tenant whose Dynamics is in an outage is left alone: only its once-a-minute probe calls
    Dynamics until it answers (handoffs.lifecycle.outage).
    """
    with_cases = HandoffSession.objects.filter(
        tenant=OuterRef("pk"), dynamics365_incident_id__isnull=False
    )
    return (
        Tenant.objects.filter(
            case_updates_enabled=True,
            connection__isnull=False,
            connection__unavailable_since__isnull=True,
        )
        .exclude(callback_url="")
        .filter(Exists(with_cases))
    )


# The scheduler looks every ~30 s: a one-off due a little sooner runs at its next look, half a
# minute after this run, rather than together with the next minute's run.
HALF_MINUTE = timedelta(seconds=20)


def _half_minute_later() -> None:
    """A one-off run of the fan-out at the scheduler's next look (deleted once it ran)."""
    from django_q.models import Schedule

    Schedule.objects.get_or_create(
        name=HALF_MINUTE_NAME,
        defaults={
            "func": task_path(tasks.follow_case_changes),
            "kwargs": "{'half_minute': True}",
            "schedule_type": Schedule.ONCE,
            "repeats": -1,
            "next_run": timezone.now() + HALF_MINUTE,
        },
    )


def fan_out(*, half_minute: bool = False) -> int:
    """Queue one poll per tenant to poll; return how many were queued."""
    from django_q.tasks import async_task

    queued = 0
    for tenant_pk in tenants_to_poll().values_list("pk", flat=True):
        async_task(tasks.poll_case_changes, tenant_pk, group="case-updates")
        queued += 1
    if not half_minute and settings.CASE_UPDATES_POLL_SECONDS == 30:
        _half_minute_later()
    return queued
