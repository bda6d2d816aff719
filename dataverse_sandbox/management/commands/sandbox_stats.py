"""manage.py sandbox_stats <slug>: how many requests an org answered, by kind, method, status."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count

from dataverse_sandbox.models import Org, RequestLog


class Command(BaseCommand):
    help = "Print request counts for a sandbox org as JSON (--reset clears them)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("slug")
        parser.add_argument("--reset", action="store_true", help="clear the counts afterwards")

    def handle(self, *args, **options) -> None:
        org = Org.objects.filter(slug=options["slug"]).first()
        if org is None:
            raise CommandError(
                f"No sandbox org {options['slug']!r}: create it with manage.py sandbox_create_org."
            )
        rows = RequestLog.objects.filter(org=org)
        grouped = rows.values("kind", "method", "status", "fault").annotate(n=Count("id"))
        report = {
            "org": org.slug,
            "api_requests": rows.filter(kind="api").count(),
            "token_requests": rows.filter(kind="token").count(),
            "messaging_requests": rows.filter(kind="messaging").count(),
            "by_kind_method_status": [
                {k: g[k] for k in ("kind", "method", "status", "fault", "n")}
                for g in grouped.order_by("kind", "method", "status", "fault")
            ],
        }
        self.stdout.write(json.dumps(report, indent=2))
        if options["reset"]:
            rows.delete()
