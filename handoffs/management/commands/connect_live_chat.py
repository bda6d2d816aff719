"""manage.py connect_live_chat <slug> --base-url U --org-id O --channel-id C [app options].

Verifies the channel like the settings page's "Save & verify", saves it (making chats live chats)
only when no line fails, prints the lines, then one JSON line {"dynamics_webhook_url": "…"}.
Exit status as verify_integration: 0 all pass, 1 a failure, 2 warnings only.
"""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from handoffs.livechat import setup
from handoffs.livechat.channel_input import ConnectionInputError, normalise_channel
from handoffs.models import Tenant
from handoffs.verification.report import exit_status, report_lines, summary

APP_OPTIONS = ("azure_tenant_id", "client_id", "client_secret")


class Command(BaseCommand):
    help = (
        "Connect a tenant's chats to a Dynamics 365 Contact Center messaging channel (Messaging "
        "API). Without the app options the tenant's Dataverse app calls the API."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("slug")
        parser.add_argument("--base-url", required=True, help="https://m-<org id>.<geo>.…")
        parser.add_argument("--org-id", required=True, help="the organization ID (a GUID)")
        parser.add_argument("--channel-id", required=True, help="the channel record's id")
        parser.add_argument("--azure-tenant-id")
        parser.add_argument("--client-id")
        parser.add_argument(
            "--client-secret",
            help="the secret's Value; write --client-secret=VALUE when it begins with -",
        )
        parser.add_argument("--authority-host")
        parser.add_argument("--zone", default="", help="only when the environment URL has none")

    def handle(self, *args, **options) -> None:
        tenant = Tenant.objects.filter(slug=options["slug"]).first()
        if tenant is None:
            raise CommandError(f"No tenant {options['slug']!r}: create it with create_tenant.")
        fields = self._fields(options, tenant)
        try:
            checklist, saved = setup.verify_and_save(tenant, fields)
        except setup.NotConnected as exc:
            raise CommandError(str(exc)) from None
        for line in report_lines(checklist):
            self.stdout.write(line)
        self.stdout.write(
            summary(checklist) if saved else f"{summary(checklist)} Nothing was saved."
        )
        url = setup.channel_for(tenant).webhook_url
        self.stdout.write(json.dumps({"dynamics_webhook_url": url}))
        if exit_status(checklist):
            sys.exit(exit_status(checklist))

    def _fields(self, options: dict, tenant: Tenant) -> dict:
        given = [name for name in (*APP_OPTIONS, "authority_host") if options[name]]
        missing = [name for name in APP_OPTIONS if not options[name]]
        if given and missing:
            flags = ", ".join("--" + name.replace("_", "-") for name in missing)
            raise CommandError(f"The channel's own app also needs {flags}.")
        raw = {
            "base_url": options["base_url"],
            "organization_id": options["org_id"],
            "channel_id": options["channel_id"],
            "zone": options["zone"],
            "own_app": bool(given),
            **{name: options[name] or "" for name in (*APP_OPTIONS, "authority_host")},
        }
        try:
            return normalise_channel(raw)
        except ConnectionInputError as exc:
            raise CommandError(str(exc)) from None
