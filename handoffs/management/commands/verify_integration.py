"""manage.py verify_integration <slug>: print the checklist; exit 0 only when every line passes."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError

from handoffs.models import DynamicsConnection, Tenant
from handoffs.verification.report import exit_status, report_lines, summary
from handoffs.verification.runner import verify_connection


class Command(BaseCommand):
    help = (
        "Check a tenant's Dynamics 365 connection (token, application user, privileges, "
        "Omnichannel, defaults, ticket properties, live chat). Exit status: 0 all pass, 1 "
        "something failed, 2 warnings only."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("slug")

    def handle(self, *args, **options) -> None:
        tenant = Tenant.objects.filter(slug=options["slug"]).first()
        if tenant is None:
            raise CommandError(
                f"No tenant {options['slug']!r}: list them in Django admin or create one with "
                "manage.py create_tenant."
            )
        connection = DynamicsConnection.objects.filter(tenant=tenant).first()
        if connection is None or not connection.is_complete:
            raise CommandError(
                f"Tenant {tenant.slug!r} has no Dynamics 365 connection: an admin connects it "
                "under Settings → Dynamics connection (see docs/setup.md)."
            )
        checklist = verify_connection(connection)
        for line in report_lines(checklist):
            self.stdout.write(line)
        self.stdout.write(summary(checklist))
        if exit_status(checklist):
            sys.exit(exit_status(checklist))
