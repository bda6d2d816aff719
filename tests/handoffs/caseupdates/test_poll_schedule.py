"""Every 30 or 60 seconds, one poll per tenant that sends case updates; nobody else is polled."""

from __future__ import annotations

from django_q.models import Schedule

from handoffs.caseupdates.schedule import HALF_MINUTE_NAME, SCHEDULE_NAME, tenants_to_poll
from handoffs.models import CaseTracking
from handoffs.tasks import follow_case_changes
from handoffs.tenancy import tenants
from tests.handoffs.caseupdates.conftest import case, handed_off


def test_it_has_a_schedule_running_the_fan_out_every_minute(db):
    schedule = Schedule.objects.get(name=SCHEDULE_NAME)

    assert schedule.func == "handoffs.tasks.follow_case_changes"
    assert (schedule.schedule_type, schedule.minutes, schedule.repeats) == ("I", 1, -1)


def test_it_polls_only_tenants_with_updates_on_a_callback_url_a_connection_and_a_case(feed, tenant):
    handed_off(tenant, "sess-1")
    no_callback = tenants.create_tenant("beta", "Beta")
    handed_off(no_callback, "sess-b")
    switched_off = tenants.create_tenant("gamma", "Gamma")
    switched_off.callback_url, switched_off.case_updates_enabled = "https://x.example/cb", False
    switched_off.save()
    handed_off(switched_off, "sess-g")
    feed.serve(
        "", [case(str(s.dynamics365_incident_id)) for s in tenant.sessions.all()], delta="1!x"
    )

    assert list(tenants_to_poll()) == [tenant]
    assert follow_case_changes() == 1  # queued (and, in tests, run at once)
    assert CaseTracking.objects.get(tenant=tenant).delta_link


def test_it_leaves_a_tenant_alone_while_its_dynamics_is_in_an_outage(feed, tenant):
    from django.utils import timezone

    from handoffs.models import DynamicsConnection

    handed_off(tenant, "sess-1")
    DynamicsConnection.objects.filter(tenant=tenant).update(unavailable_since=timezone.now())

    assert list(tenants_to_poll()) == []


def test_it_does_not_poll_a_tenant_before_its_first_case(feed, tenant):
    assert list(tenants_to_poll()) == []


def test_it_runs_again_half_a_minute_later_so_a_change_arrives_within_the_minute(db, settings):
    settings.CASE_UPDATES_POLL_SECONDS = 30

    follow_case_changes()
    follow_case_changes()  # the next minute, before the half-minute run happened

    [half] = Schedule.objects.filter(name=HALF_MINUTE_NAME)
    assert (half.func, half.schedule_type) == ("handoffs.tasks.follow_case_changes", "O")
    assert half.kwargs == "{'half_minute': True}"
    half.delete()
    follow_case_changes(half_minute=True)  # the half-minute run leaves no other behind
    assert not Schedule.objects.filter(name=HALF_MINUTE_NAME).exists()


def test_it_polls_once_a_minute_when_set_to_60_seconds(db, settings):
    settings.CASE_UPDATES_POLL_SECONDS = 60

    follow_case_changes()

    assert not Schedule.objects.filter(name=HALF_MINUTE_NAME).exists()
