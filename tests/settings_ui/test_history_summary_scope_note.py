"""With a search or status filter, the summary says it still counts every handoff of the dates."""

from __future__ import annotations

import pytest

from tests.settings_ui.history_helpers import make_session

pytestmark = pytest.mark.django_db
NOTE = 'id="glance-scope"'
DATES = "date_from=2026-11-19&date_to=2026-11-21"


@pytest.mark.parametrize(
    ("query", "noted"),
    [("q=maria.keller%40example.com", True), ("status=failed", True), ("channel=phone", False)],
)
def test_it_says_what_the_summary_counts_when_the_list_is_narrowed(
    lead_client, tenant, query, noted
):
    make_session(tenant, "sess_1", status="done")

    page = lead_client.get(f"/t/acme/sessions/?{DATES}&{query}").content.decode()

    assert (NOTE in page) is noted
