"""Sign-in with a per username + address limit on failed attempts.

Counters live in Django's cache (CACHE_URL). With several web processes, point CACHE_URL at a
shared cache (database or Redis) so the limit holds across processes.
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
import time
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse


def _limit() -> int:
    return int(getattr(settings, "LOGIN_FAILURE_LIMIT", 5))


def _window() -> int:
    return int(getattr(settings, "LOGIN_FAILURE_WINDOW_SECONDS", 15 * 60))


@dataclass(frozen=True)
class Lockout:
    """The sign-in is blocked until `until` (unix seconds)."""

    until: float

    @property
    def minutes_left(self) -> int:
        return max(1, math.ceil((self.until - time.time()) / 60))

    @property
    def message(self) -> str:
        until = time.strftime("%H:%M", time.gmtime(self.until))
        return (
            f"Too many failed sign-ins for this username from your address. "
            f"Try again in {self.minutes_left} minute(s), after {until} UTC, or ask an "
            f"operator to reset your password."
        )


def _key(username: str, address: str) -> str:
    # The form signs in NFKC-normalised usernames ("ａｄｍｉｎ" is "admin"), so the counter must
    # use the same spelling or each variant would get its own five guesses. Hashed so an
    # arbitrary username never becomes part of a cache key verbatim.
    name = unicodedata.normalize("NFKC", username).strip().casefold()
    raw = f"{name}|{address}".encode()
    return "login-failures:" + hashlib.sha256(raw).hexdigest()


def lockout_for(username: str, address: str) -> Lockout | None:
    """The current lockout for this username from this address, if any."""
    state = cache.get(_key(username, address))
    if not state or state["count"] < _limit():
        return None
    until = state["first"] + _window()
    return Lockout(until) if until > time.time() else None


def record_failure(username: str, address: str) -> None:
    """Count one failed attempt; the window starts at the first failure."""
    key = _key(username, address)
    now = time.time()
    state = cache.get(key)
    if not state or state["first"] + _window() <= now:
        state = {"count": 0, "first": now}
    state["count"] += 1
    cache.set(key, state, timeout=int(state["first"] + _window() - now) + 1)


def clear_failures(username: str, address: str) -> None:
    """Forget failures after a successful sign-in."""
    cache.delete(_key(username, address))


def client_address(request: HttpRequest) -> str:
    """The address failures are counted under: an IPv6 client counts as its whole /64."""
    address = request.META.get("REMOTE_ADDR", "")
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address) and parsed.ipv4_mapped is None:
        # One IPv6 subscriber gets a whole /64 and can pick a fresh address per guess.
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return address


class RateLimitedAuthenticationForm(AuthenticationForm):
    """The login form, refusing up front while its username+address is locked out."""

    def __init__(self, request: HttpRequest | None = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(request, *args, **kwargs)
        self.lockout: Lockout | None = None
        if request is not None and self.is_bound:
            username = self.data.get("username", "")
            self.lockout = lockout_for(username, client_address(request))

    def clean(self) -> dict[str, Any]:
        if self.lockout is not None:
            # Refused before the password is checked, so guessing on gains nothing.
            raise ValidationError(self.lockout.message, code="rate_limited")
        return super().clean()


class RateLimitedLoginView(auth_views.LoginView):
    """Django's login view with RateLimitedAuthenticationForm; failures are counted."""

    form_class = RateLimitedAuthenticationForm

    def form_invalid(self, form: RateLimitedAuthenticationForm) -> HttpResponse:
        if form.lockout is not None:
            response = super().form_invalid(form)
            response.status_code = 429
            return response
        username = self.request.POST.get("username", "")
        record_failure(username, client_address(self.request))
        lockout = lockout_for(username, client_address(self.request))
        if lockout is not None:
            form.add_error(None, lockout.message)
        return super().form_invalid(form)

    def form_valid(self, form: RateLimitedAuthenticationForm) -> HttpResponse:
        clear_failures(form.get_user().get_username(), client_address(self.request))
        return super().form_valid(form)
