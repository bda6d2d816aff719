"""The rep workspace: waiting and active chats, one chat's thread, and the rep's buttons.

Development pages without sign-in, like the rest of the sandbox. Actions are plain forms
(POST, CSRF-protected) that redirect back; a few lines of script reload the page while the rep
is not typing, so customer messages show up.
"""

from __future__ import annotations

from django.contrib import messages as flash
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from dataverse_sandbox.messaging import channel, records, rep, thread
from dataverse_sandbox.messaging.models import Conversation, Delivery, Message
from dataverse_sandbox.models import Org

RECENT = 20
ACTIONS = {"accept": rep.accept, "typing": rep.typing, "end": rep.end, "close": rep.close}


def _context_rows(conversation: Conversation) -> list[dict]:
    rows = []
    for name, value in conversation.context:
        shown = value.get("value") if isinstance(value, dict) and "value" in value else value
        displayable = isinstance(value, dict) and value.get("isDisplayable") is True
        rows.append({"name": name, "value": shown, "displayable": displayable})
    return rows


def _summary(conversation: Conversation) -> dict:
    context = {row["name"].lower(): row["value"] for row in _context_rows(conversation)}
    last = conversation.items.filter(kind=Message.CUSTOMER).order_by("-message_id").first()
    return {
        "conversation": conversation,
        "name": records.display_name(conversation),
        "channel": context.get("channel", ""),
        "state": rep.STATE_LABELS[conversation.state],
        "last_text": last.text if last else "",
        "url": reverse(
            "dataverse_sandbox:workspace_chat", args=[conversation.org.slug, conversation.id]
        ),
    }


def _deliveries(rows) -> list[dict]:
    return [{"delivery": d, "tries": list(d.tries.all())} for d in rows[:RECENT]]


@require_GET
def index(request: HttpRequest, org: str) -> HttpResponse:
    """Waiting, active and wrap-up chats of the org, and the last webhook deliveries."""
    sandbox_org = get_object_or_404(Org, slug=org)
    chats = Conversation.objects.filter(org=sandbox_org).select_related("org")
    sections = [
        ("Waiting", chats.filter(state=Conversation.OPEN).order_by("created_at")),
        ("Active", chats.filter(state=Conversation.ACTIVE).order_by("accepted_at")),
        ("Wrap-up", chats.filter(state=Conversation.WRAPUP).order_by("-ended_at")),
        ("Recently closed", chats.filter(state=Conversation.CLOSED).order_by("-closed_at")[:5]),
    ]
    deliveries = Delivery.objects.filter(org=sandbox_org).order_by("-id")
    context = {
        "org": sandbox_org,
        "has_channel": bool(channel.channels(sandbox_org)),
        "sections": [(title, [_summary(c) for c in rows]) for title, rows in sections],
        "deliveries": _deliveries(deliveries),
    }
    return render(request, "dataverse_sandbox/workspace.html", context)


def _thread_rows(conversation: Conversation) -> list[dict]:
    return [
        {"item": item, "timestamp": thread.timestamp(item.message_id)}
        for item in conversation.items.exclude(kind=Message.SIGNAL, name="typing").order_by(
            "message_id"
        )
    ]


@require_GET
def detail(request: HttpRequest, org: str, conversation: object) -> HttpResponse:
    """One chat: customer, start message, context variables, thread, reply box, deliveries."""
    found = get_object_or_404(Conversation, org__slug=org, id=conversation)
    context = {
        "org": found.org,
        "chat": _summary(found),
        "customer": found.customer,
        "context_rows": _context_rows(found),
        "thread": _thread_rows(found),
        "deliveries": _deliveries(found.deliveries.order_by("-id")),
    }
    return render(request, "dataverse_sandbox/workspace_chat.html", context)


@require_POST
def act(request: HttpRequest, org: str, conversation: object, action: str) -> HttpResponse:
    """accept, reply, typing, end or close; back to the chat with what went wrong, if anything."""
    found = get_object_or_404(Conversation, org__slug=org, id=conversation)
    try:
        if action == "reply":
            rep.say(found, request.POST.get("text", ""))
        elif action in ACTIONS:
            ACTIONS[action](found)
        else:
            raise Http404(f"No workspace action {action!r}.")
    except rep.RepActionError as exc:
        flash.error(request, str(exc))
    url = reverse("dataverse_sandbox:workspace_chat", args=[org, found.id])
    return redirect(f"{url}#reply")
