"""manage.py sandbox_create_org <slug>: prints the DynamicsConnection fields for that org."""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import validate_slug

from dataverse_sandbox import provisioning


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

    def handle(self, *args, **options) -> None:
        slug = options["slug"]
        try:
            validate_slug(slug)
        except ValidationError:
            raise CommandError(
                f"{slug!r} is not a valid slug: use letters, digits, hyphens and underscores."
            ) from None
        org = provisioning.create_org(
            slug, name=options["name"], omnichannel=not options["without_omnichannel"]
        )
        fields = provisioning.connection_fields(org, options["base_url"])
        self.stdout.write(json.dumps(fields, cls=DjangoJSONEncoder))
