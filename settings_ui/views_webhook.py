"""The webhook panel: URL, signing secret rotation, callback URL and the test handoff."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from handoffs.caseupdates.status import status_of
from handoffs.channels import sample_handoff
from handoffs.inbound.intake import accept
from handoffs.inbound.status import status_document
from handoffs.models import HandoffSession, Tenant
from handoffs.tenancy.webhook_secrets import ROTATION_GRACE, rotate_webhook_secret
from settings_ui.access import tenant_view
from settings_ui.forms_routing import CallbackForm, TestHandoffForm

TEST_PREFIX = "test-"


def rotation_token(tenant: Tenant) -> str:
    """Which secret the rotate button was shown for, so a resubmitted form cannot rotate twice."""
    return tenant.webhook_secret_set_at.isoformat() if tenant.webhook_secret_set_at else ""


def _panel(
    request: HttpRequest, *, callback_form: CallbackForm | None = None, new_secret: str = ""
) -> HttpResponse:
    tenant = request.tenant
    recent_tests = tenant.sessions.filter(session_id__startswith=TEST_PREFIX).order_by(
        "-received_at", "-id"
    )[:5]
    context = {
        "tenant": tenant,
        "callback_form": callback_form
        or CallbackForm(
            initial={
                "callback_url": tenant.callback_url,
                "case_updates_enabled": tenant.case_updates_enabled,
            }
        ),
        "case_updates": status_of(tenant),
        "test_form": TestHandoffForm(),
        "recent_tests": recent_tests,
        "new_secret": new_secret,
        "grace_hours": int(ROTATION_GRACE.total_seconds() // 3600),
        "rotation_token": rotation_token(tenant),
        "in_grace": tenant.previous_webhook_secret_until is not None
        and tenant.previous_webhook_secret_until > timezone.now(),
        "section": "webhook",
    }
    return render(request, "settings_ui/settings/webhook.html", context)


@require_GET
@tenant_view(admin=True)
def webhook_panel(request: HttpRequest, slug: str) -> HttpResponse:
    """Where OpenCX sends handoffs, how they are signed, and where results go back."""
    return _panel(request)


@never_cache
@require_POST
@tenant_view(admin=True)
def rotate_secret(request: HttpRequest, slug: str) -> HttpResponse:
    """A new signing secret, shown on this one response only; the old one keeps working a while."""
    shown_for = request.POST.get("rotating", "")
    if shown_for and shown_for != rotation_token(request.tenant):
        # A reloaded or double-clicked form: rotating again would end the old secret's grace.
        messages.warning(
            request,
            "Not rotated again: the signing secret was already rotated at "
            f"{request.tenant.webhook_secret_set_at:%Y-%m-%d %H:%M} UTC (the form was sent twice). "
            "If you did not copy the new secret, rotate once more.",
        )
        return redirect("settings_ui:settings_webhook", slug=slug)
    secret = rotate_webhook_secret(request.tenant)
    # Rendered, not redirected: the secret must not travel through the session or a message.
    return _panel(request, new_secret=secret)


@require_POST
@tenant_view(admin=True)
def save_callback(request: HttpRequest, slug: str) -> HttpResponse:
    """Store (or clear) the callback URL, and whether case updates go there."""
    form = CallbackForm(request.POST)
    if not form.is_valid():
        return _panel(request, callback_form=form)
    tenant = request.tenant
    tenant.callback_url = form.cleaned_data["callback_url"]
    turned_on = form.cleaned_data["case_updates_enabled"] and not tenant.case_updates_enabled
    tenant.case_updates_enabled = form.cleaned_data["case_updates_enabled"]
    if turned_on:
        # Cases finished while updates were off are not reported when they are first seen.
        tenant.case_updates_since = timezone.now()
    tenant.save(update_fields=["callback_url", "case_updates_enabled", "case_updates_since"])
    messages.success(
        request,
        "Callback URL saved." if form.cleaned_data["callback_url"] else "Callback URL cleared.",
    )
    return redirect("settings_ui:settings_webhook", slug=slug)


@require_POST
@tenant_view(admin=True)
def send_test_handoff(request: HttpRequest, slug: str) -> HttpResponse:
    """Accept a sample handoff exactly as the webhook would; the worker delivers it."""
    form = TestHandoffForm(request.POST)
    channel = form.cleaned_data["channel"] if form.is_valid() else "phone"
    body = sample_handoff(channel)
    session, _ = accept(request.tenant, body, remote_addr="settings page test")
    return redirect("settings_ui:settings_test_result", slug=slug, pk=session.pk)


@require_GET
@tenant_view(admin=True)
def test_result(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Where a test handoff stands now; refresh to follow it."""
    session = get_object_or_404(HandoffSession, pk=pk, tenant=request.tenant)
    context = {
        "tenant": request.tenant,
        "session": session,
        "status": status_document(session),
        "finished": session.status in (HandoffSession.Status.DONE, HandoffSession.Status.FAILED),
        "section": "webhook",
    }
    return render(request, "settings_ui/settings/test_result.html", context)
