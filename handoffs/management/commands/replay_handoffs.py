"""manage.py replay_handoffs <slug> [--session ID | --failed]: run failed sessions again."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from handoffs.lifecycle.replay import replay
from handoffs.models import HandoffSession, Tenant


class Command(BaseCommand):
    help = (
        "Queue failed handoffs again: one with --session, else every failed one (--failed, "
        "the default). A replay never creates a second Dynamics record."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("slug")
        which = parser.add_mutually_exclusive_group()
        which.add_argument("--session", help="one session_id")
        which.add_argument(
            "--failed", action="store_true", help="every failed session (the default)"
        )

    def handle(self, *args, **options) -> None:
        tenant = Tenant.objects.filter(slug=options["slug"]).first()
        if tenant is None:
            raise CommandError(f"No tenant {options['slug']!r}.")
        sessions = HandoffSession.objects.filter(tenant=tenant)
        if options["session"]:
            session = sessions.filter(session_id=options["session"]).first()
            if session is None:
                raise CommandError(f"No session {options['session']!r} in {tenant.slug}.")
            if session.status != HandoffSession.Status.FAILED:
                # Not an error: a done session already has its record, a live one will finish.
                self.stdout.write(
                    f"Session {session.session_id!r} is {session.status}: nothing to replay "
                    "(only failed sessions are replayed)."
                )
                return
            targets = [session]
        else:
            targets = list(sessions.filter(status=HandoffSession.Status.FAILED))
        queued = sum(replay(s, actor="replay_handoffs") for s in targets)
        self.stdout.write(f"Queued {queued} session(s) for {tenant.slug}.")
