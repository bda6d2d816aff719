"""msal's token cache, shared through the database by every process that uses the same app.

A worker that has no valid token first reads the shared cache; only when that holds none either
does one process (the one holding the `refreshing_until` lease) ask Entra ID, while the others
wait briefly for its token. Two connections cost two token requests however many processes run.
Reference: https://learn.microsoft.com/en-us/entra/msal/python/advanced/msal-python-token-cache-serialization
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any, TypeVar

from django.db.models import Q
from django.utils import timezone

from handoffs.models import SharedTokenCache

ACCESS_TOKEN = "AccessToken"  # noqa: S105 - msal.TokenCache.CredentialType.ACCESS_TOKEN
# msal itself refreshes a token five minutes before it expires; keep a little more.
FRESH_FOR = 330
REFRESH_LEASE = timedelta(seconds=15)
WAIT_SECONDS, WAIT_STEP = 5.0, 0.1
T = TypeVar("T")


def has_valid_token(cache: Any, scope: str) -> bool:
    """True when the in-memory cache holds a token for `scope` that msal will still use."""
    now = time.time()
    for item in cache.search(ACCESS_TOKEN):
        scopes = str(item.get("target", "")).lower().split()
        if scope.lower() in scopes and int(item.get("expires_on", 0)) - now > FRESH_FOR:
            return True
    return False


def load(cache: Any, key: str) -> None:
    """Replace the in-memory cache with the shared one (if there is one)."""
    blob = SharedTokenCache.objects.filter(key=key).values_list("blob", flat=True).first()
    if blob:
        cache.deserialize(blob)


def save(cache: Any, key: str) -> None:
    """Publish the in-memory cache after msal changed it, and free the refresh lease."""
    SharedTokenCache.objects.update_or_create(
        key=key, defaults={"blob": cache.serialize(), "refreshing_until": None}
    )


def _take_refresh(key: str) -> bool:
    SharedTokenCache.objects.get_or_create(key=key)
    now = timezone.now()
    free = Q(refreshing_until__isnull=True) | Q(refreshing_until__lt=now)
    return bool(
        SharedTokenCache.objects.filter(free, key=key).update(refreshing_until=now + REFRESH_LEASE)
    )


def acquire(cache: Any, key: str, scope: str, fetch: Callable[[], T]) -> T:
    """Run `fetch` (msal's acquire_token_for_client) so that at most one process hits Entra ID."""
    if not has_valid_token(cache, scope):
        load(cache, key)
        if not has_valid_token(cache, scope) and not _take_refresh(key):
            deadline = time.monotonic() + WAIT_SECONDS
            while time.monotonic() < deadline and not has_valid_token(cache, scope):
                time.sleep(WAIT_STEP)
                load(cache, key)
    result = fetch()
    if cache.has_state_changed:
        save(cache, key)
        cache.has_state_changed = False
    return result
