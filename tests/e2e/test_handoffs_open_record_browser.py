"""A person sends a handoff, opens it from the history and reads it "in Dynamics"."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from handoffs.channels import sample_handoff
from handoffs.tenancy import tenants
from tests.browser import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_opens_the_delivered_case_from_the_history(page, qcluster, sandbox_tenant):
    get_user_model().objects.create_user("lead", password="lead-pass-123")
    tenants.add_member(sandbox_tenant.tenant, "lead", role="lead")
    sandbox_tenant.send(sample_handoff("phone", "e2e-browser"))
    session = sandbox_tenant.wait("e2e-browser")

    sign_in(page, "lead", "lead-pass-123")
    page.goto(f"/t/{sandbox_tenant.tenant.slug}/sessions/{session.pk}/")
    with page.expect_popup() as popup:
        page.click("#open-in-dynamics")
    record = popup.value
    record.wait_for_load_state()

    text = record.inner_text("main")
    assert session.dynamics365_ticket_number in text
    assert "Channel: Phone\nClassification: Billing\nSentiment: Negative" in text
    assert "Maria Keller" in text  # the linked contact
    assert "Note: OpenCX transcript e2e-browser" in text
    assert "In queue: Customer Service Tier 1" in text
