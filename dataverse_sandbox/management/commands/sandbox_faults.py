"""manage.py sandbox_faults <slug> [...]: inject latency, throttling, outages into an org."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from dataverse_sandbox import provisioning
from dataverse_sandbox.messaging import channel
from dataverse_sandbox.messaging import faults as messaging_faults
from dataverse_sandbox.models import Org

# Messaging API faults: option --messaging-<field> (or --webhook-duplicates) → field.
MESSAGING_OPTIONS = {f"messaging_{name}": name for name in messaging_faults.FIELDS}
MESSAGING_OPTIONS["webhook_duplicates"] = MESSAGING_OPTIONS.pop("messaging_duplicate_deliveries")


def share(value: str) -> float:
    number = float(value)
    if not 0.0 <= number <= 1.0:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = (
        "Set (or --reset) the faults a sandbox org's Web API and Messaging API inject; prints "
        "the result."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("slug")
        parser.add_argument("--reset", action="store_true", help="remove every fault first")
        parser.add_argument("--latency-ms", type=int, help="added to every API answer")
        parser.add_argument("--throttle-share", type=share, help="0..1 of requests get 429")
        parser.add_argument("--throttle-burst", type=int, help="the next N requests get 429")
        parser.add_argument("--retry-after", type=int, help="seconds in Retry-After (default 1)")
        parser.add_argument("--unavailable-share", type=share, help="0..1 of requests get 503")
        parser.add_argument(
            "--drop-share",
            type=share,
            help="0..1 of requests are carried out but lose their answer (connection cut after)",
        )
        parser.add_argument(
            "--cut-share",
            type=share,
            help="0..1 of requests are dropped unhandled (connection cut before)",
        )
        parser.add_argument("--slow-share", type=share, help="0..1 of answers are delayed")
        parser.add_argument("--slow-ms", type=int, help="the delay of a slow answer (2000)")
        parser.add_argument(
            "--max-concurrent", type=int, help="concurrent requests beyond this get 429 (0: off)"
        )
        parser.add_argument(
            "--expire-delta-tokens",
            action="store_true",
            help="expire every change tracking delta link handed out so far",
        )
        self._add_messaging_arguments(parser)

    def _add_messaging_arguments(self, parser) -> None:
        group = parser.add_argument_group("Messaging API (live chat)")
        group.add_argument("--messaging-throttle-share", type=share, help="0..1 get 429")
        group.add_argument("--messaging-throttle-burst", type=int, help="the next N get 429")
        group.add_argument("--messaging-retry-after", type=int, help="seconds in Retry-After")
        group.add_argument("--messaging-error-share", type=share, help="0..1 get 500")
        group.add_argument("--messaging-unavailable-share", type=share, help="0..1 get 503")
        group.add_argument(
            "--messaging-context-lag-reads",
            type=int,
            help="each conversation's context reads empty this many times first",
        )
        group.add_argument(
            "--webhook-duplicates",
            type=lambda v: v.lower() in ("1", "true", "yes", "on"),
            metavar="on|off",
            help="post every webhook activity twice (same id), to test de-duplication",
        )

    def handle(self, *args, **options) -> None:
        org = Org.objects.filter(slug=options["slug"]).first()
        if org is None:
            raise CommandError(
                f"No sandbox org {options['slug']!r}: create it with manage.py sandbox_create_org."
            )
        if options["reset"]:
            provisioning.reset_faults(org)
        if options["expire_delta_tokens"]:
            provisioning.expire_delta_tokens(org)
            self.stdout.write(f"{org.slug}: every delta link handed out so far has expired")
        values = {
            name: options[name]
            for name in provisioning.FAULT_FIELDS
            if options.get(name) is not None
        }
        if any(v < 0 for v in values.values()):
            raise CommandError("Fault settings cannot be negative.")
        faults = provisioning.set_faults(org, **values) if values else org.faults
        summary = ", ".join(f"{n}={getattr(faults, n)}" for n in provisioning.FAULT_FIELDS)
        self.stdout.write(f"{org.slug}: {summary}")
        self.stdout.write(f"{org.slug} messaging: {self._messaging(org, options)}")

    def _messaging(self, org: Org, options: dict) -> str:
        found = channel.faults_for(org)
        if options["reset"]:
            found.delete()
            found = channel.faults_for(org)
        values = {
            field: options[option]
            for option, field in MESSAGING_OPTIONS.items()
            if options.get(option) is not None
        }
        if any(v < 0 for v in values.values()):
            raise CommandError("Fault settings cannot be negative.")
        if values:
            messaging_faults.set_faults(found, **values)
        return ", ".join(f"{n}={getattr(found, n)}" for n in messaging_faults.FIELDS)
