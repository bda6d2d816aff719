"""manage.py sandbox_rep <org> --accept/--say/--end/--show/--resolve …: a scripted rep.

SESSION_ID is the conversation's customercontext.customerid (the product sends its session id
there); TICKET_NUMBER is a case number. Actions run in the order of ACTIONS, whatever the order
on the command line; each new action is one more Action row and one handler.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from django.core.management.base import BaseCommand, CommandError

from dataverse_sandbox import case_rep
from dataverse_sandbox.messaging import listing, rep, thread
from dataverse_sandbox.messaging.models import Conversation, Delivery, Message
from dataverse_sandbox.models import Org

SENDERS = {Message.START: "start", Message.CUSTOMER: "customer", Message.REP: "rep"}


@dataclass(frozen=True)
class Action:
    name: str
    metavars: tuple[str, ...]
    help: str
    # (command, org, this option's values, every option): other options (say a --resolution
    # that goes with a --resolve) are read from the last argument.
    run: Callable[[BaseCommand, Org, list[str], dict], None]


def _conversation(org: Org, session_id: str, *, live_only: bool) -> Conversation:
    found = Conversation.objects.filter(org=org, customer_id=session_id)
    if live_only:
        found = found.exclude(state=Conversation.CLOSED)
    conversation = found.order_by("-created_at").first()
    if conversation is None:
        which = "open " if live_only else ""
        raise CommandError(
            f"No {which}conversation for session {session_id!r} in org {org.slug!r} (the session "
            "id is the customercontext.customerid the conversation was created with)."
        )
    return conversation


def _acting(do: Callable[..., object], verb: str) -> Callable[..., None]:
    def run(command: BaseCommand, org: Org, values: list[str], options: dict) -> None:
        conversation = _conversation(org, values[0], live_only=True)
        before = Delivery.objects.filter(org=org).order_by("-id").values_list("id", flat=True)
        last_id = before.first() or 0
        try:
            do(conversation, *values[1:])
        except rep.RepActionError as exc:
            raise CommandError(f"Cannot {verb} session {values[0]!r}: {exc}") from None
        command.stdout.write(f"{verb}: session {values[0]} (conversation {conversation.id})")
        for delivery in Delivery.objects.filter(org=org, id__gt=last_id).order_by("id"):
            status = delivery.last_status or delivery.last_error or "not sent"
            command.stdout.write(
                f"  webhook {delivery.label}: {delivery.state} after {delivery.attempts} "
                f"attempt(s), last {status}"
            )

    return run


def _show(command: BaseCommand, org: Org, values: list[str], options: dict) -> None:
    conversation = _conversation(org, values[0], live_only=False)
    shown = [
        {
            "sender": SENDERS[m.kind],
            "name": m.from_name,
            "text": m.text,
            "timestamp": thread.timestamp(m.message_id),
            "message_id": str(m.message_id),
            "attachments": listing.message_body(m)["attachments"],
        }
        for m in thread.messages(conversation)
    ]
    command.stdout.write(json.dumps(shown, indent=2, ensure_ascii=False))


ACTIONS = (
    Action("accept", ("SESSION_ID",), "accept the waiting chat", _acting(rep.accept, "accepted")),
    Action("typing", ("SESSION_ID",), "send a typing signal", _acting(rep.typing, "typing")),
    Action("say", ("SESSION_ID", "TEXT"), "reply as the rep", _acting(rep.say, "said")),
    Action(
        "event",
        ("SESSION_ID", "NAME"),
        "send a documented event, e.g. TransferToQueueInitiated",
        _acting(rep.send_event, "event sent"),
    ),
    Action("end", ("SESSION_ID",), "end the chat (wrap-up)", _acting(rep.end, "ended")),
    Action("close", ("SESSION_ID",), "close the chat", _acting(rep.close, "closed")),
    Action("show", ("SESSION_ID",), "print the messages as JSON, oldest first", _show),
    Action(
        "resolve",
        ("TICKET_NUMBER",),
        "resolve the case (CloseIncident), with --resolution TEXT as its resolution",
        case_rep.resolve,
    ),
    Action("cancel", ("TICKET_NUMBER",), "cancel the case", case_rep.cancel),
    Action(
        "assign",
        ("TICKET_NUMBER", "USER"),
        "assign the case to a user (name or email)",
        case_rep.assign,
    ),
)


class Command(BaseCommand):
    help = "Act as the rep of a sandbox org's live chats (see docs/sandbox.md)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("org")
        for action in ACTIONS:
            parser.add_argument(
                f"--{action.name}",
                nargs=len(action.metavars),
                metavar=action.metavars,
                help=action.help,
            )
        parser.add_argument("--resolution", metavar="TEXT", help="the text of a --resolve")

    def handle(self, *args, **options) -> None:
        org = Org.objects.filter(slug=options["org"]).first()
        if org is None:
            raise CommandError(
                f"No sandbox org {options['org']!r}: create it with manage.py sandbox_create_org."
            )
        chosen = [a for a in ACTIONS if options.get(a.name) is not None]
        if not chosen:
            names = ", ".join(f"--{a.name}" for a in ACTIONS)
            raise CommandError(f"Say what to do: one or more of {names}.")
        for action in chosen:
            action.run(self, org, options[action.name], options)
