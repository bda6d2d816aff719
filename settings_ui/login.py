"""Sign-in with a per username + address limit on failed attempts (counted in the database)."""

from __future__ import annotations

import hashlib
import ipaddress
import unicodedata
from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse

from settings_ui import attempts
from settings_ui.attempts import Lockout


def lockout_message(lockout: Lockout) -> str:
    """What the sign-in form says while its username+address is locked out."""
    return (
        "Too many failed sign-ins for this username from your address. "
        f"{lockout.retry_hint}, or ask an operator to reset your password."
    )


def _key(username: str, address: str) -> str:
    # The form signs in NFKC-normalised usernames ("ａｄｍｉｎ" is "admin"), so the counter must
    # use the same spelling or each variant would get its own five guesses. Hashed so an
    # arbitrary username never becomes part of a key verbatim.
    name = unicodedata.normalize("NFKC", username).strip().casefold()
    raw = f"{name}|{address}".encode()
    return "sign-in:" + hashlib.sha256(raw).hexdigest()


def lockout_for(username: str, address: str) -> Lockout | None:
    """The current lockout for this username from this address, if any."""
    return attempts.lockout_for(_key(username, address))


def record_failure(username: str, address: str) -> None:
    """Count one failed attempt; the window starts at the first failure."""
    attempts.record_failure(_key(username, address))


def failures(username: str, address: str) -> int:
    """Failed attempts counted for this username from this address."""
    return attempts.failures(_key(username, address))


def clear_failures(username: str, address: str) -> None:
    """Forget failures after a successful sign-in."""
    attempts.clear(_key(username, address))


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
            raise ValidationError(lockout_message(self.lockout), code="rate_limited")
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
            form.add_error(None, lockout_message(lockout))
        return super().form_invalid(form)

    def form_valid(self, form: RateLimitedAuthenticationForm) -> HttpResponse:
        clear_failures(form.get_user().get_username(), client_address(self.request))
        return super().form_valid(form)
