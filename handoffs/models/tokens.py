"""Access tokens shared by every worker process and machine (encrypted, like the secrets)."""

from __future__ import annotations

from django.db import models

from handoffs.tenancy.fields import EncryptedTextField


class SharedTokenCache(models.Model):
    """One app registration's msal token cache, so a token is fetched once, not per process.

    `key` identifies the credentials (a hash; never the secret). `refreshing_until` lets one
    process fetch a new token while the others wait a moment for it.
    """

    key = models.CharField(max_length=64, unique=True)
    blob = EncryptedTextField(blank=True, default="")
    refreshing_until = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"token cache {self.key[:8]}…"
