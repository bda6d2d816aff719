"""Integration settings: the summary page, the connection form, verify and disconnect."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from handoffs.livechat import setup
from handoffs.models import DynamicsConnection, Membership
from handoffs.tenancy import org
from handoffs.tenancy.connections import verify_and_save
from handoffs.verification.checklist import Checklist
from handoffs.verification.runner import verify_connection
from settings_ui.access import tenant_view
from settings_ui.forms import ConnectionForm


def connection_of(request: HttpRequest) -> DynamicsConnection | None:
    return DynamicsConnection.objects.filter(tenant=request.tenant).first()


def stored_checklist(connection: DynamicsConnection | None) -> Checklist | None:
    return Checklist.from_dict(connection.last_verification) if connection else None


@require_GET
@tenant_view()
def settings_home(request: HttpRequest, slug: str) -> HttpResponse:
    """What is set up and whether it works; leads read it, admins get the edit links."""
    connection = connection_of(request)
    context = {
        "tenant": request.tenant,
        "connection": connection,
        "checklist": stored_checklist(connection),
        "live_chat": setup.channel_of(request.tenant),
        "is_admin": request.membership.role == Membership.Role.ADMIN,
        "section": "overview",
    }
    return render(request, "settings_ui/settings/index.html", context)


@require_http_methods(["GET", "POST"])
@tenant_view(admin=True)
def edit_connection(request: HttpRequest, slug: str) -> HttpResponse:
    """The credentials form; "Save & verify" stores them only when the checklist passes."""
    connection = connection_of(request)
    form = ConnectionForm(request.POST or None, connection=connection)
    checklist, refused = stored_checklist(connection), False
    if request.method == "POST" and form.is_valid():
        checklist, saved = verify_and_save(request.tenant, form.connection_fields())
        if saved:
            for adjustment in form.adjustments:
                messages.info(request, adjustment)
            messages.success(request, "Connection saved and verified.")
            return redirect("settings_ui:settings_connection", slug=slug)
        refused = True
        form.secret_not_kept()
    context = {
        "tenant": request.tenant,
        "connection": connection,
        "form": form,
        "checklist": checklist,
        "refused": refused,
        "section": "connection",
    }
    return render(request, "settings_ui/settings/connection.html", context)


@require_POST
@tenant_view(admin=True)
def verify_now(request: HttpRequest, slug: str) -> HttpResponse:
    """Run the checklist on the stored connection and keep the result."""
    connection = connection_of(request)
    if connection is None:
        messages.error(request, "There is no connection to verify yet: fill in the form first.")
        return redirect("settings_ui:settings_connection", slug=slug)
    checklist = verify_connection(connection)
    if checklist.all_pass:
        messages.success(request, "Every check passed.")
    elif checklist.ok:
        messages.warning(request, "Verified with warnings: read the checklist below.")
    else:
        messages.error(request, "Some checks failed: each line below says how to fix it.")
    return redirect("settings_ui:settings_connection", slug=slug)


@require_http_methods(["GET", "POST"])
@tenant_view(admin=True)
def disconnect(request: HttpRequest, slug: str) -> HttpResponse:
    """Ask, then delete the credentials; handoff history stays."""
    connection = connection_of(request)
    if connection is None:
        messages.info(request, "Dynamics 365 is not connected.")
        return redirect("settings_ui:settings", slug=slug)
    if request.method == "POST":
        org.disconnect(connection)
        messages.success(
            request,
            "Disconnected: the credentials are deleted. Handoff history is kept; new handoffs "
            "wait as failed until you connect again. Records already in Dynamics stay there.",
        )
        return redirect("settings_ui:settings", slug=slug)
    context = {"tenant": request.tenant, "connection": connection, "section": "connection"}
    return render(request, "settings_ui/settings/disconnect.html", context)
