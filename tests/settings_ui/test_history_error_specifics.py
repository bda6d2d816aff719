"""A failed session's page names what Dataverse named (e.g. the missing privilege)."""

from __future__ import annotations

import json

from handoffs.dynamics.classify import from_response
from tests.settings_ui.history_helpers import make_session

DENIED = json.dumps(
    {
        "error": {
            "code": "0x80040220",
            "message": "Principal user (Id=1f0c…) is missing prvCreateIncident privilege "
            "(Id=…) on OTC=112 for entity 'incident'.",
        }
    }
)


def failed_session(tenant):
    error = from_response(403, DENIED, "/api/data/v9.2/incidents")
    return make_session(
        tenant,
        "sess_denied",
        status="failed",
        last_error_code=error.code,
        last_error_message=error.readable,
    )


def test_it_names_the_missing_privilege_above_the_fix(lead_client, tenant):
    session = failed_session(tenant)

    error = lead_client.get(f"/t/acme/sessions/{session.pk}/").context["error"]

    assert "prvCreateIncident on incident" in error.message
    assert "privilege named above" in error.hint


def test_it_keeps_the_failure_summary_generic_across_sessions(lead_client, tenant):
    failed_session(tenant)

    response = lead_client.get("/t/acme/sessions/?date_from=2026-11-19&date_to=2026-11-21")

    (group,) = response.context["summary"].failures
    assert group.code == "dataverse_missing_privilege"
    assert "prvCreateIncident" not in group.meaning
