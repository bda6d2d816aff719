"""Every page works in Chromium under the Content-Security-Policy: nothing it needs is refused."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from handoffs.channels import sample_handoff
from handoffs.inbound.intake import accept
from handoffs.models import HandoffSession
from handoffs.tenancy import tenants
from tests.browser import sign_in
from tests.e2e.conftest import connect_to_sandbox

PASSWORD = "csp-pass-123"


def on_console(page, problems: list[str]):
    """Record console errors; the browser's own favicon probe is no page's resource."""

    def record(message) -> None:
        if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
            problems.append(f"{page.url}: {message.text}")

    return record


def visit(page, path: str, problems: list[str]) -> None:
    """Open a page; a missing policy header counts as a problem like a refused resource."""
    response = page.goto(path)
    page.wait_for_load_state("load")
    assert response is not None and response.status == 200, path
    if "content-security-policy" not in response.headers:
        problems.append(f"{path}: no Content-Security-Policy header")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_shows_every_page_without_a_policy_violation(page, live_server):
    sandbox = connect_to_sandbox(live_server.url, "acme")
    get_user_model().objects.create_superuser("ops", "ops@example.com", PASSWORD)
    tenants.add_member(sandbox.tenant, "ops", role="admin")
    session, _ = accept(sandbox.tenant, sample_handoff("phone", "csp-1"))
    session = HandoffSession.objects.get(pk=session.pk)
    assert session.status == "done", session.last_error_message
    problems: list[str] = []
    page.on("console", on_console(page, problems))
    page.on("pageerror", lambda e: problems.append(f"{page.url}: {e}"))

    visit(page, "/accounts/login/", problems)
    sign_in(page, "ops", PASSWORD)
    for path in [
        "/t/acme/",
        "/t/acme/sessions/",
        f"/t/acme/sessions/{session.pk}/",
        "/t/acme/settings/",
        "/t/acme/settings/connection/",
        "/t/acme/settings/defaults/",
        "/t/acme/settings/ticket-properties/",
        "/t/acme/settings/webhook/",
        "/help/setup/",
        "/accounts/password/",
        "/sandbox/",
        "/sandbox/acme-org/",
        "/sandbox/acme-org/workspace/",
        session.record_url.removeprefix(live_server.url),
        "/admin/",
        "/admin/handoffs/handoffsession/",
        f"/admin/handoffs/tenant/{sandbox.tenant.pk}/change/",
    ]:
        visit(page, path, problems)

    assert problems == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_it_draws_the_chart_legend_in_the_channel_colours(page, live_server):
    sandbox = connect_to_sandbox(live_server.url, "acme")
    get_user_model().objects.create_user("lee", password=PASSWORD)
    tenants.add_member(sandbox.tenant, "lee", role="lead")
    sign_in(page, "lee", PASSWORD)

    page.goto("/t/acme/sessions/")
    swatch = page.locator(".legend .swatch").first
    box = swatch.bounding_box()

    assert swatch.locator("rect").get_attribute("fill") == "#0f62fe"
    assert box is not None and round(box["width"]) == 10 and round(box["height"]) == 10
