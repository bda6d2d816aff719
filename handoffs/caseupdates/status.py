"""Where a tenant's case updates stand, in words for the settings page."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from handoffs.models import CaseTracking, Tenant


@dataclass(frozen=True)
class UpdatesStatus:
    """One line for the page, and the last error (code and readable text) when there is one."""

    text: str
    error_code: str = ""
    error_text: str = ""


def status_of(tenant: Tenant) -> UpdatesStatus:
    """What an admin needs to know about the tenant's case updates right now."""
    if not tenant.case_updates_enabled:
        return UpdatesStatus("Off: OpenCX hears nothing when reps change cases.")
    if not tenant.callback_url:
        return UpdatesStatus("On, but waiting for a callback URL to send them to.")
    tracking = CaseTracking.objects.filter(tenant=tenant).first()
    if tracking is None or tracking.last_polled_at is None:
        every = settings.CASE_UPDATES_POLL_SECONDS
        return UpdatesStatus(f"On: cases are checked every {every} s once a handoff made one.")
    when = f"{tracking.last_polled_at:%Y-%m-%d %H:%M} UTC"
    if tracking.last_error_code:
        return UpdatesStatus(
            f"On, but the last check ({when}) failed.",
            tracking.last_error_code,
            tracking.last_error_message,
        )
    calls = f"{tracking.last_requests} request{'s' if tracking.last_requests != 1 else ''}"
    sent = f"{tracking.last_changes} update{'s' if tracking.last_changes != 1 else ''} sent"
    return UpdatesStatus(f"On: last checked {when} ({calls} to Dynamics, {sent}).")
