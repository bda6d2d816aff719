"""Telling public hosts from internal ones, for every URL a tenant can make the service call.

Resolvers accept more spellings of an address than `ipaddress` does ("2130706433", "0177.0.0.1",
"127.1", "0x7f000001" are all 127.0.0.1), and a public-looking name may resolve inside, so a
host is judged by its literal form and, just before a request, by what it resolves to.
"""

from __future__ import annotations

import ipaddress
import re
import socket

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
INTERNAL_SUFFIXES = (".local", ".internal", ".localhost", ".lan", ".home.arpa")
HOST_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\Z")


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


def is_internal_address(address: IPAddress) -> bool:
    """True for loopback, private, link-local, reserved and multicast addresses."""
    if isinstance(address, ipaddress.IPv6Address):
        # IPv4 addresses wrapped in IPv6 reach the IPv4 host they embed.
        embedded = address.ipv4_mapped or address.sixtofour or (address.teredo or (None, None))[1]
        if embedded is not None and is_internal_address(embedded):
            return True
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
