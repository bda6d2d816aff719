"""Checking a tenant's callback URL: the service POSTs to it, so it must not reach inside."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

INTERNAL_SUFFIXES = (".local", ".internal", ".localhost", ".lan", ".home.arpa")


class CallbackUrlError(ValueError):
    """The callback URL is refused; the message says what to change."""


def _internal_ip(host: str) -> bool:
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return not address.is_global


def check_callback_url(value: str, *, production: bool) -> str:
    """The callback URL, or CallbackUrlError when OpenCX could not be the one receiving it."""
    parts = urlsplit(value.strip())
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("https", "http") or not host:
        raise CallbackUrlError("Enter a full URL like https://example.com/opencx/callback.")
    if parts.username or parts.password:
        raise CallbackUrlError("Leave user names and passwords out of the callback URL.")
    if not production:
        return value.strip()
    if parts.scheme != "https":
        raise CallbackUrlError(
            "The callback URL must start with https:// (it carries signed data)."
        )
    if host == "localhost" or host.endswith(INTERNAL_SUFFIXES) or _internal_ip(host):
        raise CallbackUrlError(
            "The callback URL must be a public address: internal and loopback hosts are refused."
        )
    return value.strip()
