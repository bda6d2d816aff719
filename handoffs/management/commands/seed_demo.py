"""manage.py seed_demo: the demo tenant, connected to a sandbox org, with a printed login."""

from __future__ import annotations

import io
import json

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand

from handoffs.models import Tenant
from handoffs.tenancy import tenants

DEMO_USERNAME = "admin"
DEMO_PASSWORD = "opencx-demo"  # noqa: S105 - printed on purpose; development only


class Command(BaseCommand):
    help = "Create (once) the demo tenant, its sandbox org and an admin login; print them."

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            self.stderr.write("seed_demo is for development (DEBUG on); nothing done.")
            return
        user_model = get_user_model()
        user = user_model.objects.filter(username=DEMO_USERNAME).first()
        if user is None:
            user = user_model.objects.create_superuser(
                DEMO_USERNAME, "admin@example.com", DEMO_PASSWORD
            )
        tenant = Tenant.objects.filter(slug="demo").first()
        if tenant is None:
            tenant = tenants.create_tenant("demo", "Demo (sandbox)")
            if settings.DATAVERSE_SANDBOX:
                out = io.StringIO()
                call_command("sandbox_create_org", "demo", stdout=out)
                tenants.connect(tenant, **json.loads(out.getvalue()))
        tenants.add_member(tenant, DEMO_USERNAME)
        self.stdout.write(
            "\n".join(
                [
                    "",
                    f"  Sign in at {settings.PUBLIC_BASE_URL}/ as {DEMO_USERNAME} / "
                    f"{DEMO_PASSWORD} (development only).",
                    "  Send a test handoff: .venv/bin/python manage.py send_test_handoff demo "
                    "--channel phone",
                    "",
                ]
            )
        )
