"""manage.py sandbox_live_chat <slug>: configure an org's Messaging API channel and its switches."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from dataverse_sandbox.messaging import channel
from dataverse_sandbox.models import Org


def _choice(name: str) -> dict:
    values = channel.SWITCHES[name]
    return {"choices": list(values), "help": f"default {values[0]}"}


class Command(BaseCommand):
    help = (
        "Configure (or create) a sandbox org's Messaging API channel: webhook URL and how the "
        "emulation reads Microsoft's ambiguous docs. Prints the live-chat fields as JSON."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("slug")
        parser.add_argument("--webhook-url", help="msdyn_webhookurl: where activities are posted")
        parser.add_argument("--base-url", help="where the product reaches the sandbox")
        parser.add_argument("--event-type", **_choice("event_type"))
        parser.add_argument("--key-case", **_choice("key_case"))
        parser.add_argument("--event-names", **_choice("event_names"))
        parser.add_argument("--audience", **_choice("audience"))
        parser.add_argument("--token-version", type=int, **_choice("token_version"))
        parser.add_argument("--error-code-in", **_choice("error_code_in"))
        parser.add_argument("--webhook-attempts", type=int, help="1–10 POSTs per activity")
        parser.add_argument("--retry-backoff-ms", type=int, help="first wait between attempts")
        parser.add_argument("--unlink-workstream", action="store_true", help="answer 30014")

    def handle(self, *args, **options) -> None:
        org = Org.objects.filter(slug=options["slug"]).first()
        if org is None:
            raise CommandError(
                f"No sandbox org {options['slug']!r}: create it with manage.py sandbox_create_org."
            )
        names = (*channel.SWITCHES, *channel.NUMBERS)
        switches = {name: options[name] for name in names if options.get(name) is not None}
        try:
            channel.configure(
                org, webhook_url=options["webhook_url"], base_url=options["base_url"], **switches
            )
        except channel.ChannelSetupError as exc:
            raise CommandError(str(exc)) from None
        if options["unlink_workstream"]:
            channel.unlink_workstream(org)
        self.stdout.write(json.dumps(channel.live_chat_fields(org), indent=2))
