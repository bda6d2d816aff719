"""manage.py create_tenant <slug>: prints {"tenant", "webhook_url", "webhook_secret"}.

With --sandbox the tenant is connected to a sandbox org named after it, live chat included.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_slug
from django.db import transaction

from handoffs.models import Tenant
from handoffs.tenancy import sandbox, tenants
from handoffs.tenancy.connection_input import ConnectionInputError, normalise_connection


class Command(BaseCommand):
    help = "Create a tenant (optionally connected to Dynamics 365 or the sandbox)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("slug")
        parser.add_argument("--name", default="")
        parser.add_argument("--sandbox", action="store_true", help="connect to a new sandbox org")
        parser.add_argument("--environment-url")
        parser.add_argument("--azure-tenant-id")
        parser.add_argument("--client-id")
        parser.add_argument(
            "--client-secret",
            help="the secret's Value; write --client-secret=VALUE when it begins with -",
        )
        parser.add_argument("--authority-host")
        parser.add_argument("--admin", help="existing username to make the tenant's admin")

    def handle(self, *args, **options) -> None:
        slug = options["slug"]
        try:
            validate_slug(slug)
        except ValidationError:
            raise CommandError(
                f"{slug!r} is not a valid slug: use letters, digits, hyphens and underscores."
            ) from None
        if Tenant.objects.filter(slug=slug).exists():
            raise CommandError(f"A tenant with slug {slug!r} already exists.")
        if (
            options["admin"]
            and not get_user_model().objects.filter(username=options["admin"]).exists()
        ):
            raise CommandError(
                f"No user {options['admin']!r}: create it first with manage.py createsuperuser."
            )
        connection = self._connection_fields(options)
        if options["sandbox"] and not settings.DATAVERSE_SANDBOX:
            raise CommandError("--sandbox needs DATAVERSE_SANDBOX on (development only).")
        with transaction.atomic():
            tenant = tenants.create_tenant(slug, options["name"])
            if options["sandbox"]:
                sandbox.connect_to_sandbox(tenant)
            elif connection:
                tenants.connect(tenant, **connection)
            if options["admin"]:
                tenants.add_member(tenant, options["admin"])
        self.stdout.write(
            json.dumps(
                {
                    "tenant": tenant.slug,
                    "webhook_url": tenant.webhook_url,
                    "webhook_secret": tenant.webhook_secret,
                }
            )
        )

    def _connection_fields(self, options: dict) -> dict | None:
        names = ["environment_url", "azure_tenant_id", "client_id", "client_secret"]
        # --authority-host alone would be silently ignored: it counts as asking to connect.
        given = [n for n in [*names, "authority_host"] if options[n]]
        if options["sandbox"]:
            if given:
                raise CommandError("Use either --sandbox or the Dynamics credentials, not both.")
            return None
        if not given:
            return None
        missing = [n for n in names if not options[n]]
        if missing:
            flags = ", ".join("--" + n.replace("_", "-") for n in missing)
            raise CommandError(f"Connecting to Dynamics 365 also needs {flags}.")
        raw = {n: options[n] for n in names}
        if options["authority_host"]:
            raw["authority_host"] = options["authority_host"]
        try:
            return normalise_connection(raw)
        except ConnectionInputError as exc:
            raise CommandError(str(exc)) from None
