"""manage.py recount_history: rebuild the history's per-day totals from the sessions."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from handoffs.models import HandoffSession
from handoffs.models.rollups import rebuild


class Command(BaseCommand):
    help = (
        "Recount the history summary's per-day totals from the sessions (after restoring "
        "sessions from a backup, or loading them by hand). Safe to run at any time."
    )

    def handle(self, *args, **options) -> None:
        cells = rebuild(HandoffSession.objects.all())
        self.stdout.write(
            f"Recounted {HandoffSession.objects.count()} sessions into {cells} totals."
        )
