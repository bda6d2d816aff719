"""An expired or refused delta link starts a full read that reports nothing twice."""

from __future__ import annotations

from handoffs.models import CaseTracking
from handoffs.tasks import poll_case_changes
from tests.handoffs.caseupdates.conftest import EXPIRED, case, handed_off, resolved, updates
from tests.handoffs.dynamics.fakes import dataverse_error


def test_it_reads_every_case_again_when_the_delta_token_expired_and_reports_only_news(feed, tenant):
    reported, fresh = handed_off(tenant, "sess-reported"), handed_off(tenant, "sess-fresh")
    ids = [str(reported.dynamics365_incident_id), str(fresh.dynamics365_incident_id)]
    feed.texts.update({ids[0]: "Refund issued", ids[1]: "Replaced the router"})
    feed.serve("", [case(ids[0]), case(ids[1])], delta="1!x")
    poll_case_changes(tenant.pk)
    feed.serve("1!x", [resolved(ids[0])], delta="2!x")
    poll_case_changes(tenant.pk)

    feed.refuse("2!x", 400, EXPIRED)
    feed.serve("", [resolved(ids[0]), resolved(ids[1])], delta="9!x")  # the full read
    poll_case_changes(tenant.pk)

    assert feed.tokens() == ["", "1!x", "2!x", ""]
    assert [u["resolution"] for u in updates(reported)] == ["Refund issued"]
    assert [u["resolution"] for u in updates(fresh)] == ["Replaced the router"]
    tracking = CaseTracking.objects.get(tenant=tenant)
    assert tracking.delta_link.endswith("9%21x")
    assert tracking.full_syncs == 1
    assert tracking.last_error_code == ""


def test_it_also_starts_afresh_when_dataverse_refuses_a_mangled_link(feed, tenant):
    session = handed_off(tenant, "sess-1")
    feed.serve("", [case(str(session.dynamics365_incident_id))], delta="1!x")
    poll_case_changes(tenant.pk)
    feed.refuse("1!x", 400, dataverse_error("0x80040203", "The delta token is not valid."))
    feed.serve("", [case(str(session.dynamics365_incident_id))], delta="2!x")

    poll_case_changes(tenant.pk)

    assert feed.tokens() == ["", "1!x", ""]
    assert updates(session) == []


def test_it_keeps_its_place_and_says_why_when_dynamics_is_down(feed, tenant):
    session = handed_off(tenant, "sess-1")
    feed.serve("", [case(str(session.dynamics365_incident_id))], delta="1!x")
    poll_case_changes(tenant.pk)
    feed.refuse("1!x", 503, dataverse_error("0x80040216", "An unexpected error occurred."))

    poll_case_changes(tenant.pk)

    tracking = CaseTracking.objects.get(tenant=tenant)
    assert tracking.delta_link.endswith("1%21x")
    assert tracking.full_syncs == 0
    assert tracking.last_error_code == "dataverse_unavailable"
    assert tracking.polling_until is None


def test_it_explains_a_table_whose_change_tracking_is_off(feed, tenant):
    handed_off(tenant, "sess-1")
    feed.refuse(
        "", 400, dataverse_error("0x80072491", "Entity incident isn't enabled for change tracking.")
    )

    poll_case_changes(tenant.pk)

    tracking = CaseTracking.objects.get(tenant=tenant)
    assert tracking.last_error_code == "change_tracking_disabled"
    assert "Track changes" in tracking.last_error_message
