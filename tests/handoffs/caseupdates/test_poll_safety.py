"""A poll never follows a link out of the environment, never runs twice at once, waits when told."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from handoffs.models import CaseTracking
from handoffs.tasks import poll_case_changes
from tests.handoffs.caseupdates.conftest import case, handed_off
from tests.handoffs.dynamics.fakes import dataverse_error


def test_it_never_sends_the_token_to_a_next_link_outside_the_environment(feed, tenant):
    session = handed_off(tenant, "sess-1")
    feed.serve("", [case(str(session.dynamics365_incident_id))], next_page="p2")
    _, body, _ = feed.answers[""]
    body["@odata.nextLink"] = "https://collector.example.net/api/data/v9.2/incidents?$skiptoken=p2"

    poll_case_changes(tenant.pk)

    assert all("collector.example.net" not in c.request.url for c in feed.dynamics.mock.calls)
    tracking = CaseTracking.objects.get(tenant=tenant)
    assert tracking.last_error_code == "dataverse_unexpected_response"
    assert "does not point into this environment" in tracking.last_error_message
    assert tracking.next_link == tracking.delta_link == ""


def test_it_leaves_a_tenant_alone_while_another_poll_holds_it(feed, tenant):
    handed_off(tenant, "sess-1")
    CaseTracking.objects.create(tenant=tenant, polling_until=timezone.now() + timedelta(minutes=1))

    assert poll_case_changes(tenant.pk) == 0
    assert feed.requests() == []


def test_it_waits_as_long_as_dataverse_asks_when_throttled(feed, tenant):
    handed_off(tenant, "sess-1")
    limit = dataverse_error("0x80072322", "Number of requests exceeded the limit.")
    feed.refuse("", 429, limit, **{"Retry-After": "120"})

    poll_case_changes(tenant.pk)
    poll_case_changes(tenant.pk)

    tracking = CaseTracking.objects.get(tenant=tenant)
    assert tracking.last_error_code == "rate_limited"
    assert tracking.not_before > timezone.now() + timedelta(seconds=100)
    assert len(feed.requests()) == 1  # the second poll did not ask before Retry-After
