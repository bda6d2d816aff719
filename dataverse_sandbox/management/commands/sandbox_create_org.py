"""manage.py sandbox_create_org <slug>: prints the DynamicsConnection fields for that org."""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import validate_slug

from dataverse_sandbox import provisioning
from dataverse_sandbox.messaging import channel


class Command(BaseCommand):
    help = (
        "Create (or reuse) a sandbox organization with an app registration, an application "
        "user holding a full role, a default queue and a system user; print the connection "
        "fields as one JSON object."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("slug")
        parser.add_argument("--name", default="")
        parser.add_argument("--base-url", default=None, help="default: PUBLIC_BASE_URL")
        parser.add_argument(
            "--without-omnichannel",
            action="store_true",
            help="an org without the Omnichannel solution (no msdyn_ocliveworkitems)",
        )
        parser.add_argument(
            "--column-max-length",
            action="append",
            default=[],
            metavar="TABLE.COLUMN=N",
            help="customise a text column's MaxLength, e.g. incident.description=4000 (repeatable)",
        )
        parser.add_argument(
            "--change-tracking-off",
            action="append",
            default=[],
            metavar="TABLE",
            help="turn change tracking off for a table, e.g. incident (repeatable)",
        )
        parser.add_argument(
            "--live-chat-webhook-url",
            default=None,
            help="configure the org's Messaging API channel with this webhook URL and add its "
            'fields under "live_chat" (run again to change the URL)',
        )

    def handle(self, *args, **options) -> None:
        slug = options["slug"]
        try:
            validate_slug(slug)
        except ValidationError:
            raise CommandError(
                f"{slug!r} is not a valid slug: use letters, digits, hyphens and underscores."
            ) from None
        lengths = [_column_length(text) for text in options["column_max_length"]]
        org = provisioning.create_org(
            slug, name=options["name"], omnichannel=not options["without_omnichannel"]
        )
        try:
            for table, column, length in lengths:
                provisioning.set_column_max_length(org, table, column, length)
            for table in options["change_tracking_off"]:
                provisioning.set_change_tracking(org, table, False)
        except ValueError as error:
            raise CommandError(str(error)) from None
        fields = provisioning.connection_fields(org, options["base_url"])
        webhook_url = options["live_chat_webhook_url"]
        if webhook_url is not None:
            try:
                channel.configure(org, webhook_url=webhook_url, base_url=options["base_url"])
            except channel.ChannelSetupError as exc:
                raise CommandError(str(exc)) from None
            fields["live_chat"] = channel.live_chat_fields(org, options["base_url"])
        self.stdout.write(json.dumps(fields, cls=DjangoJSONEncoder))


def _column_length(text: str) -> tuple[str, str, int]:
    """'incident.description=4000' → ("incident", "description", 4000), or CommandError."""
    name, _, number = text.partition("=")
    table, _, column = name.partition(".")
    if not (table and column and number.strip().isdigit()):
        raise CommandError(
            f"--column-max-length {text!r}: write TABLE.COLUMN=N, e.g. incident.description=4000."
        )
    return table.strip(), column.strip(), int(number)
