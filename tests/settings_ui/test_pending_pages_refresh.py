"""Pages showing a handoff the worker has not finished refresh themselves; finished ones do not."""

from __future__ import annotations

import pytest

from tests.settings_ui.history_helpers import make_session

pytestmark = pytest.mark.django_db
REFRESH = '<meta http-equiv="refresh"'


@pytest.mark.parametrize(
    ("status", "refreshes"),
    [("queued", True), ("processing", True), ("retrying", False), ("done", False)],
)
def test_it_refreshes_the_session_page_only_while_the_worker_is_on_it(
    admin_client_, tenant, status, refreshes
):
    session = make_session(tenant, f"sess_{status}", status=status)

    page = admin_client_.get(f"/t/acme/sessions/{session.pk}/").content.decode()

    assert (REFRESH in page) is refreshes


@pytest.mark.parametrize(("status", "refreshes"), [("queued", True), ("failed", False)])
def test_it_refreshes_the_test_handoff_result_until_it_is_finished(
    admin_client_, tenant, status, refreshes
):
    session = make_session(tenant, f"test-phone-{status}", status=status)

    page = admin_client_.get(f"/t/acme/settings/webhook/test/{session.pk}/").content.decode()

    assert (REFRESH in page) is refreshes
