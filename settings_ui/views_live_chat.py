"""Live chat settings: the Contact Center messaging channel, its app, and its checklist."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from handoffs import channels
from handoffs.livechat import setup
from handoffs.models import DynamicsConnection
from handoffs.verification.checklist import Checklist
from settings_ui.access import tenant_view
from settings_ui.forms_live_chat import LiveChatForm


def _connected(request: HttpRequest) -> DynamicsConnection | None:
    try:
        return setup.connection_of(request.tenant)
    except setup.NotConnected:
        return None


@require_http_methods(["GET", "POST"])
@tenant_view(admin=True)
def edit_live_chat(request: HttpRequest, slug: str) -> HttpResponse:
    """The channel form; "Save & verify" stores the values only when no line fails."""
    channel = setup.channel_for(request.tenant)
    connection = _connected(request)
    suggested = ""
    if request.method == "GET" and connection and not channel.organization_id:
        suggested = setup.suggested_organization_id(request.tenant)
    form = LiveChatForm(request.POST or None, channel=channel, suggested_org_id=suggested)
    checklist, refused = Checklist.from_dict(channel.last_verification), False
    if request.method == "POST" and connection is None:
        messages.error(request, "Connect Dynamics 365 first (Dynamics connection tab).")
    elif request.method == "POST" and form.is_valid():
        checklist, saved = setup.verify_and_save(request.tenant, form.channel_fields())
        if saved:
            messages.success(request, "Live chat saved and verified: chats now go to reps.")
            return redirect("settings_ui:settings_live_chat", slug=slug)
        refused = True
        form.secret_not_kept()
    context = {
        "tenant": request.tenant,
        "channel": channel,
        "connection": connection,
        "scope": setup.token_scope(channel, request.tenant),
        "form": form,
        "checklist": checklist,
        "refused": refused,
        "section": "live_chat",
        "chat_labels": channels.chat_labels(),
    }
    return render(request, "settings_ui/settings/live_chat.html", context)


@require_POST
@tenant_view(admin=True)
def verify_live_chat(request: HttpRequest, slug: str) -> HttpResponse:
    """Run the live-chat lines on the stored channel and keep the result."""
    channel = setup.channel_for(request.tenant)
    if not channel.is_complete or _connected(request) is None:
        messages.error(request, "There is no live chat channel to verify yet: fill in the form.")
        return redirect("settings_ui:settings_live_chat", slug=slug)
    checklist = setup.verify_saved(request.tenant)
    if checklist.all_pass:
        messages.success(request, "Every live chat check passed.")
    elif checklist.ok:
        messages.warning(request, "Verified with warnings: read the checklist below.")
    else:
        messages.error(request, "Some checks failed: each line below says how to fix it.")
    return redirect("settings_ui:settings_live_chat", slug=slug)
