"""manage.py rotate_encryption_keys: re-encrypt every stored secret under the newest key."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from handoffs.models import DynamicsConnection, LiveChatChannel, Tenant
from handoffs.tenancy import crypto

# (table, primary key, encrypted columns), read raw so we rotate the tokens themselves.
ENCRYPTED_COLUMNS = [
    (Tenant._meta.db_table, ["webhook_secret", "previous_webhook_secret"]),
    (DynamicsConnection._meta.db_table, ["client_secret"]),
    (LiveChatChannel._meta.db_table, ["client_secret"]),
]


class Command(BaseCommand):
    help = "Re-encrypt stored secrets under the first key of FIELD_ENCRYPTION_KEYS."

    def handle(self, *args, **options) -> None:
        rotated = 0
        try:
            with transaction.atomic():
                for table, columns in ENCRYPTED_COLUMNS:
                    rotated += self._rotate_table(table, columns)
        except crypto.SecretUnreadable as exc:
            raise CommandError(f"{exc} Nothing was changed.") from None
        self.stdout.write(f"Re-encrypted {rotated} secret(s) under the newest key.")

    def _rotate_table(self, table: str, columns: list[str]) -> int:
        quote = connection.ops.quote_name
        rotated = 0
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id, {', '.join(map(quote, columns))} FROM {quote(table)}")  # noqa: S608
            rows = cursor.fetchall()
            for pk, *tokens in rows:
                updates = {c: crypto.rotate(t) for c, t in zip(columns, tokens, strict=True) if t}
                if not updates:
                    continue
                assignments = ", ".join(f"{quote(c)} = %s" for c in updates)
                cursor.execute(
                    f"UPDATE {quote(table)} SET {assignments} WHERE id = %s",  # noqa: S608
                    [*updates.values(), pk],
                )
                rotated += len(updates)
        return rotated
