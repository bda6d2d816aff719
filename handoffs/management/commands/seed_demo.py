"""manage.py seed_demo: the demo tenant on a sandbox org (live chat included), and a login."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from handoffs.livechat import setup
from handoffs.models import Tenant
from handoffs.tenancy import sandbox, tenants

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
        # A demo made before live chat existed gains its channel too.
        if settings.DATAVERSE_SANDBOX and not setup.is_configured(tenant):
            sandbox.connect_to_sandbox(tenant)
        tenants.add_member(tenant, DEMO_USERNAME)
        self.stdout.write(
            "\n".join(
                [
                    "",
                    f"  Sign in at {settings.PUBLIC_BASE_URL}/ as {DEMO_USERNAME} / "
                    f"{DEMO_PASSWORD} (development only).",
                    "  Send a test handoff: .venv/bin/python manage.py send_test_handoff demo "
                    "--channel whatsapp",
                    f"  Chats wait for a rep at {settings.PUBLIC_BASE_URL}/sandbox/demo/workspace/",
                    "",
                ]
            )
        )
