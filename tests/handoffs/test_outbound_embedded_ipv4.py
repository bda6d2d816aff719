"""IPv6 spellings that reach an IPv4 host are judged by that IPv4 host."""

from __future__ import annotations

import ipaddress

import pytest

from handoffs.outbound.policy import is_internal_address, is_internal_host


@pytest.mark.parametrize(
    "address",
    [
        "64:ff9b::7f00:1",  # NAT64 well-known prefix → 127.0.0.1
        "64:ff9b::a00:5",  # → 10.0.0.5
        "64:ff9b:1::a9fe:a9fe",  # local-use NAT64 prefix → 169.254.169.254
        "::127.0.0.1",  # IPv4-compatible
        "::10.0.0.5",
        "::ffff:192.168.0.1",  # IPv4-mapped
    ],
)
def test_it_treats_an_embedded_internal_ipv4_address_as_internal(address):
    assert is_internal_address(ipaddress.ip_address(address))
    assert is_internal_host(f"[{address}]")


@pytest.mark.parametrize("address", ["64:ff9b::808:808", "::8.8.8.8", "2606:4700::1111"])
def test_it_lets_a_public_address_through(address):
    assert not is_internal_address(ipaddress.ip_address(address))
