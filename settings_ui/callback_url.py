"""Checking a tenant's callback URL: the service POSTs to it, so it must not reach inside."""

from __future__ import annotations

from urllib.parse import SplitResult, urlsplit

from handoffs.public_hosts import is_dns_name, is_internal_host, literal_address


class CallbackUrlError(ValueError):
    """The callback URL is refused; the message says what to change."""


def _split(value: str) -> SplitResult:
    """The URL's parts, or CallbackUrlError when it is not a full http(s) URL."""
    try:
        parts = urlsplit(value.strip())
        valid = parts.scheme in ("https", "http") and parts.hostname and parts.port != 0
    except ValueError:  # a broken IPv6 literal or a port out of range
        valid = False
    if not valid:
        raise CallbackUrlError("Enter a full URL like https://example.com/opencx/callback.")
    return parts


def check_callback_url(value: str, *, production: bool) -> str:
    """The callback URL, or CallbackUrlError when OpenCX could not be the one receiving it."""
    parts = _split(value)
    host = (parts.hostname or "").lower()
    if parts.username or parts.password:
        raise CallbackUrlError("Leave user names and passwords out of the callback URL.")
    if not production:
        return value.strip()
    if parts.scheme != "https":
        raise CallbackUrlError(
            "The callback URL must start with https:// (it carries signed data)."
        )
    if is_internal_host(host):
        raise CallbackUrlError(
            "The callback URL must be a public address: internal and loopback hosts are refused."
        )
    if literal_address(host) is None and not is_dns_name(host):
        raise CallbackUrlError(
            "The callback URL's host must be a plain name like opencx.example.com "
            "(letters, digits, hyphens and dots) or a public IP address."
        )
    return value.strip()
