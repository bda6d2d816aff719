"""A poll follows Dataverse change tracking on cases: tracked query, pages, delta link."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from handoffs.models import CaseTracking
from handoffs.tasks import poll_case_changes
from tests.handoffs.caseupdates.conftest import case, handed_off, link, resolved, updates


def test_it_starts_with_a_tracked_query_and_keeps_the_delta_link(feed, tenant):
    session = handed_off(tenant, "sess-1")
    feed.serve("", [case(str(session.dynamics365_incident_id))], delta="919042!11/30/2026 10:00:00")

    poll_case_changes(tenant.pk)

    [first] = feed.requests()
    query = parse_qs(urlsplit(first.url).query)
    assert query["$select"] == ["statecode,statuscode,_ownerid_value,_createdby_value,modifiedon"]
    prefer = first.headers["Prefer"]
    assert "odata.track-changes" in prefer
    assert "odata.maxpagesize=1000" in prefer
    assert 'odata.include-annotations="OData.Community.Display.V1.FormattedValue"' in prefer
    tracking = CaseTracking.objects.get(tenant=tenant)
    assert tracking.delta_link == link("$deltatoken", "919042!11/30/2026 10:00:00")
    assert tracking.last_requests == 1
    assert updates(session) == []  # seen as the handoff created it: nothing to tell


def test_it_follows_next_links_then_asks_the_delta_link_for_changes(feed, tenant):
    sessions = [handed_off(tenant, f"sess-{n}") for n in range(3)]
    ids = [str(s.dynamics365_incident_id) for s in sessions]
    feed.serve("", [case(ids[0]), case(ids[1])], next_page="<cookie page 2>")
    feed.serve("<cookie page 2>", [case(ids[2])], delta="10!11/30/2026 10:00:00")
    feed.serve("10!11/30/2026 10:00:00", [resolved(ids[1])], delta="11!11/30/2026 10:01:00")
    feed.texts[ids[1]] = "Refund issued"

    poll_case_changes(tenant.pk)
    poll_case_changes(tenant.pk)

    assert feed.tokens() == ["", "<cookie page 2>", "10!11/30/2026 10:00:00"]
    second_page = feed.requests()[1]
    assert second_page.url == link("$skiptoken", "<cookie page 2>")
    assert "odata.track-changes" not in second_page.headers["Prefer"]
    assert "odata.maxpagesize=1000" in second_page.headers["Prefer"]
    assert [u["state"] for u in updates(sessions[1])] == ["resolved"]
    assert updates(sessions[0]) == updates(sessions[2]) == []
    assert CaseTracking.objects.get(tenant=tenant).delta_link.endswith(
        "11%2111%2F30%2F2026%2010%3A01%3A00"
    )


def test_it_costs_one_request_per_page_of_changes_whatever_the_number_of_open_cases(feed, tenant):
    open_cases = [handed_off(tenant, f"sess-{n}") for n in range(40)]
    feed.serve("", [case(str(s.dynamics365_incident_id)) for s in open_cases], delta="1!x")
    poll_case_changes(tenant.pk)
    assigned = case(str(open_cases[7].dynamics365_incident_id), owner=(AVERY_ID, "Avery Agent"))
    feed.serve("1!x", [assigned], delta="2!x")

    before = len(feed.requests())
    poll_case_changes(tenant.pk)

    assert len(feed.requests()) - before == 1
    assert CaseTracking.objects.get(tenant=tenant).last_requests == 1
    assert [u["owner"] for u in updates(open_cases[7])] == [{"name": "Avery Agent"}]


AVERY_ID = "a0a0a0a0-0000-4000-8000-000000000002"


def test_it_ignores_cases_the_service_did_not_create(feed, tenant):
    mine = handed_off(tenant, "sess-mine")
    other = "0c0c0c0c-0000-4000-8000-00000000000c"
    feed.serve("", [case(str(mine.dynamics365_incident_id))], delta="1!x")
    poll_case_changes(tenant.pk)
    feed.serve("1!x", [resolved(other)], delta="2!x")

    poll_case_changes(tenant.pk)

    assert [t for t in feed.tokens()] == ["", "1!x"]
    assert len(feed.requests()) == 2  # no resolution is fetched for someone else's case
    assert updates(mine) == []
