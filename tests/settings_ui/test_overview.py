"""The tenant's front page links each recent handoff to its history page."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from handoffs.channels import sample_handoff
from handoffs.inbound.intake import accept
from handoffs.tenancy import tenants


def test_it_links_recent_handoffs_to_their_pages(client, tenant):
    get_user_model().objects.create_user("lead", password="lead-pass-123")
    tenants.add_member(tenant, "lead", role="lead")
    session, _ = accept(tenant, sample_handoff("email", "sess-email-9"))
    client.login(username="lead", password="lead-pass-123")

    html = client.get("/t/acme/").content.decode()

    assert f'href="/t/acme/sessions/{session.pk}/"' in html
    assert 'href="/t/acme/sessions/"' in html
