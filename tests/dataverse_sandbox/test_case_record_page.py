"""A person resolves, cancels or assigns a case from its record page in the sandbox."""

from __future__ import annotations

from dataverse_sandbox import cases
from dataverse_sandbox.pages import record_url
from tests.dataverse_sandbox.case_helpers import new_case


def act(client, case, action: str, **form):
    url = f"/sandbox/contoso/cases/{case.record_id}/{action}/"
    return client.post(url, form, follow=True)


def test_it_offers_the_rep_actions_on_an_active_case(client, dataverse):
    case = new_case(dataverse)

    page = client.get(record_url(dataverse.org, "incident", case.record_id)).content.decode()

    assert "Resolve case" in page and "Cancel case" in page
    assert "Avery Agent" in page  # someone to assign it to


def test_it_resolves_with_the_text_typed_and_shows_the_resolution(client, dataverse):
    case = new_case(dataverse)

    page = act(client, case, "resolve", status="5", resolution="Refund issued").content.decode()

    case.refresh_from_db()
    assert case.data["statecode"] == 1
    assert "Case resolved." in page
    assert "Refund issued" in page
    assert "resolved and cancelled cases are read-only" in page


def test_it_says_why_when_the_case_cannot_be_resolved(client, dataverse):
    case = new_case(dataverse)
    cases.cancel(cases.rep_caller(dataverse.org), case)

    page = act(client, case, "resolve", status="5", resolution="Too late").content.decode()

    assert "Only an active case can be resolved; this one is Cancelled." in page
