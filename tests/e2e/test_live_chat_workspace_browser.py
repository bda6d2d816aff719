"""A rep opens the workspace in Chromium and finds the WhatsApp handoff waiting, transcript and
context included."""

from __future__ import annotations

import pytest

from handoffs.channels import sample_handoff
from handoffs.livechat import setup
from tests.e2e.conftest import SandboxTenant
from tests.handoffs.livechat.sandbox import sandbox_live_chat

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_shows_a_whatsapp_handoff_waiting_for_a_rep(page, qcluster, live_server, settings):
    settings.PUBLIC_BASE_URL = live_server.url
    found = sandbox_live_chat(live_server.url, "e2e")
    setup.configure(found.tenant, **found.options())
    sandbox = SandboxTenant(found.tenant, found.org, live_server.url)
    sandbox.send(sample_handoff("whatsapp", "e2e-wa-browser"))
    assert sandbox.wait("e2e-wa-browser").status == "done"

    page.goto(f"/sandbox/{found.org.slug}/workspace/")
    listed = page.inner_text("main")
    waiting = listed[listed.index("Waiting (1)") : listed.index("Active (0)")]
    assert "Kenji Watanabe" in waiting
    assert "Channel: WhatsApp" in waiting
    page.get_by_role("link", name="Kenji Watanabe").click()
    page.wait_for_load_state()

    main = page.inner_text("main")
    assert "Start message from OpenCX AI agent" in main
    assert "Customer: Hi, do you do volume pricing?" in main
    assert "AI agent: Yes, for 25 seats and above. How many do you need?" in main
    context = page.inner_text("table")
    assert "channel\tWhatsApp\tyes" in context
    assert "classification\tProduct question\tyes" in context
    assert "sentiment\tPositive\tyes" in context
    assert "opencx_session_id\te2e-wa-browser\tno" in context
    assert "skipped (skipdeflectionbot)" in main
    assert page.get_by_role("button", name="Accept").is_visible()
