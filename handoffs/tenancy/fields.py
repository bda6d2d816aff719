"""A text field stored encrypted at rest."""

from __future__ import annotations

from typing import Any

from django.db import models

from handoffs.tenancy import crypto


class EncryptedTextField(models.TextField):
    """Holds plaintext in Python and a Fernet token in the database; "" stays ""."""

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if not value:
            return value
        return crypto.decrypt(value)

    def get_prep_value(self, value: Any) -> str | None:
        value = super().get_prep_value(value)
        if not value:
            return value
        return crypto.encrypt(value)
