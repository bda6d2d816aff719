"""Where the service may send a request: the whole outbound address policy, in one place.

A tenant types URLs the service will call (its Dynamics environment, its Entra authority, its
OpenCX callback), so each is judged here before it is saved and again just before it is used:
- Dynamics and Entra URLs must be plain Microsoft host names over https (loopback stand-ins only
  while ALLOW_LOOPBACK_DYNAMICS_URLS is on, in development and tests);
- callback URLs must be public https addresses in production.
Resolvers accept more spellings of an address than `ipaddress` does ("2130706433", "0177.0.0.1",
"127.1", "0x7f000001" are all 127.0.0.1), and a public-looking name may resolve inside, so a host
is judged by its literal form, by what it resolves to, and finally by the connected socket
(handoffs.outbound.http).
"""

from __future__ import annotations

import ipaddress
import re
import socket
from urllib.parse import SplitResult, urlsplit

from django.conf import settings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
INTERNAL_SUFFIXES = (".local", ".internal", ".localhost", ".lan", ".home.arpa")
HOST_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\Z")
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
# NAT64 prefixes translate to the IPv4 address in their last 32 bits (RFC 6052, RFC 8215).
NAT64_NETWORKS = (
    ipaddress.IPv6Network("64:ff9b::/96"),
    ipaddress.IPv6Network("64:ff9b:1::/48"),
)
IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")  # deprecated ::a.b.c.d (RFC 4291 §2.5.5.1)

# Dynamics 365 environment hosts by cloud.
# Reference: https://learn.microsoft.com/en-us/power-platform/admin/new-datacenter-regions
# Reference: https://learn.microsoft.com/en-us/power-platform/admin/powerapps-us-government
DYNAMICS_HOST_SUFFIXES = (
    ".dynamics.com",  # commercial (crm, crm2 … crm21) and GCC (crm9)
    ".crm.microsoftdynamics.us",  # GCC High
    ".crm.appsplatform.us",  # DoD
    ".dynamics.cn",  # China (21Vianet)
    ".crm.microsoftdynamics.de",
)
# The Contact Center Messaging API's hosts: https://m-{org id}.{geo}.omnichannelengagementhub.com
# Reference: https://learn.microsoft.com/en-us/dynamics365/contact-center/extend/intro-messaging-apis
MESSAGING_HOST_SUFFIXES = (".omnichannelengagementhub.com",)
# Microsoft Entra authority hosts by cloud.
# Reference: https://learn.microsoft.com/en-us/entra/identity-platform/authentication-national-cloud
AUTHORITY_HOSTS = (
    "login.microsoftonline.com",
    "login.microsoftonline.us",
    "login.partner.microsoftonline.cn",
    "login.chinacloudapi.cn",
)


class RefusedUrl(ValueError):
    """A URL the service must not call; the message says what to change."""


def bare(host: str) -> str:
    """The host in lower case, without IPv6 brackets and without one trailing (root) dot."""
    return host.strip().lower().strip("[]").removesuffix(".")


def literal_address(host: str) -> IPAddress | None:
    """The address `host` spells, in any form a resolver accepts, else None."""
    host = bare(host)
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    try:
        # inet_aton takes the legacy decimal, octal, hex and short forms getaddrinfo also takes.
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except (OSError, UnicodeError):
        return None


def is_dns_name(host: str) -> bool:
    """A plain DNS name: dot-separated labels of letters, digits and inner hyphens."""
    host = bare(host)
    if not host or len(host) > 253 or literal_address(host) is not None:
        return False
    return all(HOST_LABEL.match(label) for label in host.split("."))


def embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 host an IPv6 address reaches: mapped, 6to4, Teredo, NAT64 or IPv4-compatible."""
    embedded = address.ipv4_mapped or address.sixtofour or (address.teredo or (None, None))[1]
    if embedded is not None:
        return embedded
    low32 = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if any(address in network for network in NAT64_NETWORKS):
        return low32
    if address in IPV4_COMPATIBLE and int(address) > 1:  # not :: or ::1 (judged as IPv6)
        return low32
    return None


def is_internal_address(address: IPAddress) -> bool:
    """True for loopback, private, link-local, reserved and multicast addresses."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = embedded_ipv4(address)
        if embedded is not None:
            return is_internal_address(embedded)
    return not address.is_global or address.is_multicast


def is_internal_host(host: str) -> bool:
    """True when the host, as written, names this machine or a private network."""
    name = bare(host)
    if name == "localhost" or name.endswith(INTERNAL_SUFFIXES):
        return True
    address = literal_address(name)
    return address is not None and is_internal_address(address)


def resolves_inside(host: str) -> bool:
    """True when any address the host resolves to right now is internal."""
    try:
        infos = socket.getaddrinfo(bare(host), None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return False  # unresolvable: the request itself fails, with its own message
    return any(is_internal_address(ipaddress.ip_address(info[4][0])) for info in infos)


def is_loopback(url: str) -> bool:
    return (urlsplit(url).hostname or "") in LOOPBACK_HOSTS


def loopback_allowed() -> bool:
    """Local stand-ins (the built-in sandbox) may be called: development and tests only."""
    return bool(getattr(settings, "ALLOW_LOOPBACK_DYNAMICS_URLS", False))


def microsoft_url(
    value: str, allowed: tuple[str, ...], label: str, example: str | None = None
) -> str:
    """`value` as a bare https origin on an allowed Microsoft host, or RefusedUrl.

    Entries of `allowed` starting with a dot are suffixes, the others whole host names.
    """
    raw = (value or "").strip()
    if not raw:
        raise RefusedUrl(f"{label} is required.")
    if "://" not in raw:
        raw = "https://" + raw
    example = example or "https://" + (
        "contoso.crm" + allowed[0] if allowed[0][0] == "." else allowed[0]
    )
    try:
        parts = urlsplit(raw)
        host, port = (parts.hostname or "").lower(), parts.port
    except ValueError:  # a broken IPv6 literal or a port out of range
        raise RefusedUrl(f"{label} must be a URL like {example}.") from None
    if not host:
        raise RefusedUrl(f"{label} must be a URL like {example}.")
    if is_loopback(raw) and loopback_allowed():
        # Local stand-ins (development and tests only) keep their scheme and path.
        return raw.rstrip("/")
    if parts.scheme not in ("https", "http"):
        raise RefusedUrl(f"{label} must start with https://.")
    if port not in (None, 443) or parts.username or parts.password:
        raise RefusedUrl(f"{label} takes no port and no user name.")
    # HTTP clients split hosts differently from urlsplit ("evil.com\\.crm.dynamics.com" reaches
    # evil.com), so only plain DNS names pass.
    suffixes = tuple(a for a in allowed if a.startswith("."))
    if not is_dns_name(host) or not (host in allowed or host.endswith(suffixes)):
        examples = ", ".join(a.lstrip(".") for a in allowed[:3])
        raise RefusedUrl(f"{label} must be a Microsoft host ({examples} …).")
    # Path, query and trailing slash are dropped: the scope and the API paths are built from
    # the bare origin, and a stray "/main.aspx" or "/" is the most common paste mistake.
    return f"https://{host}"


def _split_callback(value: str) -> SplitResult:
    try:
        parts = urlsplit(value.strip())
        valid = parts.scheme in ("https", "http") and parts.hostname and parts.port != 0
    except ValueError:  # a broken IPv6 literal or a port out of range
        valid = False
    if not valid:
        raise RefusedUrl("Enter a full URL like https://example.com/opencx/callback.")
    return parts


def check_callback_url(value: str, *, production: bool | None = None) -> str:
    """The callback URL, or RefusedUrl when OpenCX could not be the one receiving it."""
    production = not settings.DEBUG if production is None else production
    parts = _split_callback(value)
    host = (parts.hostname or "").lower()
    if parts.username or parts.password:
        raise RefusedUrl("Leave user names and passwords out of the callback URL.")
    if not production:
        return value.strip()
    if parts.scheme != "https":
        raise RefusedUrl("The callback URL must start with https:// (it carries signed data).")
    if is_internal_host(host):
        raise RefusedUrl(
            "The callback URL must be a public address: internal and loopback hosts are refused."
        )
    if literal_address(host) is None and not is_dns_name(host):
        raise RefusedUrl(
            "The callback URL's host must be a plain name like opencx.example.com "
            "(letters, digits, hyphens and dots) or a public IP address."
        )
    return value.strip()


def callback_refusal(url: str) -> str:
    """Why a stored callback URL must not be called right now (it would reach inside), else ''.

    Checked at send time as well: a stored URL may predate the form's checks, or name a host
    whose DNS now answers with an internal address.
    """
    host = urlsplit(url).hostname or ""
    if settings.DEBUG or not (is_internal_host(host) or resolves_inside(host)):
        return ""
    return (
        "The callback URL leads to an internal address, so it was not called: "
        "set a public https URL in Settings → Webhook."
    )


def callbacks_public_only() -> bool:
    """Callbacks connect to public addresses only, except in development."""
    return not settings.DEBUG
