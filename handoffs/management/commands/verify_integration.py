"""manage.py verify_integration <slug>: print the checklist; exit 0 only when every line passes."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError

from handoffs.models import DynamicsConnection, Tenant
from handoffs.verification.checklist import FAIL
from handoffs.verification.runner import verify_connection

MARKS = {"pass": "PASS", "warn": "WARN", "fail": "FAIL", "skip": "SKIP"}


class Command(BaseCommand):
    help = (
        "Check a tenant's Dynamics 365 connection (token, application user, privileges, "
        "Omnichannel, defaults, ticket properties). Exit status: 0 all pass, 1 something "
        "failed, 2 warnings only."
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
        for check in checklist.checks:
            self.stdout.write(f"[{MARKS[check.status]}] {check.title}")
            self.stdout.write(f"       {check.detail}")
            if check.fix and check.status != "pass":
                self.stdout.write(f"       Fix: {check.fix}")
            if check.docs and check.status != "pass":
                self.stdout.write(f"       See: {check.docs}")
        if checklist.all_pass:
            self.stdout.write("All checks passed.")
            return
        failed = any(c.status == FAIL for c in checklist.checks)
        self.stdout.write("Some checks failed." if failed else "Passed with warnings.")
        sys.exit(1 if failed else 2)
