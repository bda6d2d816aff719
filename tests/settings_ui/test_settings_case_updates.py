"""The webhook page's "Send case updates to OpenCX": on by default, explained, and its status."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from handoffs.models import CaseTracking

pytestmark = pytest.mark.django_db
URL = "/t/acme/settings/webhook/"
CALLBACK = "https://api.open.cx/hooks/d365"


def test_it_offers_case_updates_switched_on_with_one_line_of_explanation(admin_client_):
    page = admin_client_.get(URL).content.decode()

    assert 'id="id_case_updates_enabled" checked' in page
    assert 'id="id_case_updates_enabled_helptext"' in page
    assert "Send case updates to OpenCX" in page
    assert "resolves, cancels or reassigns a case" in page
    assert "waiting for a callback URL" in page


def test_it_turns_updates_off_and_on_again_from_now(admin_client_, tenant):
    admin_client_.post(URL + "callback/", {"callback_url": CALLBACK})
    tenant.refresh_from_db()
    assert tenant.case_updates_enabled is False
    before = timezone.now()

    admin_client_.post(URL + "callback/", {"callback_url": CALLBACK, "case_updates_enabled": "on"})

    tenant.refresh_from_db()
    assert tenant.case_updates_enabled is True
    assert tenant.case_updates_since >= before


def test_it_says_when_cases_were_last_checked_and_why_it_failed(admin_client_, tenant):
    tenant.callback_url = CALLBACK
    tenant.save()
    tracking = CaseTracking.objects.create(
        tenant=tenant,
        last_polled_at=timezone.now() - timedelta(seconds=30),
        last_requests=1,
        last_changes=2,
    )
    ok = admin_client_.get(URL).content.decode()
    tracking.last_error_code = "change_tracking_disabled"
    tracking.last_error_message = "Change tracking is off for the Case table. Fix: …"
    tracking.save()

    failing = admin_client_.get(URL).content.decode()

    assert "(1 request to Dynamics, 2 updates sent)" in ok
    assert "the last check" in failing and "failed" in failing
    assert "/help/troubleshooting/#change_tracking_disabled" in failing
