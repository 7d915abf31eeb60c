"""Address guard: http(s) only, and no loopback/private/link-local/metadata targets after DNS resolution."""
from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from scanner.errors import InputError

ALLOWED_SCHEMES = {"http", "https"}
# Cloud metadata endpoints stay blocked even for allow_private sources.
METADATA = {
    ipaddress.ip_address("169.254.169.254"),
    ipaddress.ip_address("100.100.100.200"),
    ipaddress.ip_address("fd00:ec2::254"),
}


class BlockedURL(InputError):
    """A URL the harvester refuses to fetch."""


def _addresses(host: str, port: int) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise BlockedURL(f"cannot resolve {host}: {exc}") from None
    found = []
    for info in infos:
        addr = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped:
            addr = addr.ipv4_mapped
        found.append(addr)
    return found


NAT64 = ipaddress.ip_network("64:ff9b::/96")
NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")  # local-use prefix (RFC 8215): a private network
IPV4_COMPATIBLE = ipaddress.ip_network("::/96")


def embedded_ipv4(addr: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries and reaches: IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible
    (::a.b.c.d), NAT64 (64:ff9b::a.b.c.d, 64:ff9b:1::/48) or 6to4 (2002:AABB:CCDD::)."""
    if addr.ipv4_mapped:
        return addr.ipv4_mapped
    if addr.sixtofour:
        return addr.sixtofour
    if addr in NAT64 or (addr in IPV4_COMPATIBLE and int(addr) > 1):
        return ipaddress.IPv4Address(int(addr) & 0xFFFFFFFF)
    return None


def address_problem(addr: ipaddress.IPv4Address | ipaddress.IPv6Address, allow_private: bool) -> str | None:
    """Why this address may not be contacted, or None (IPv6 forms carrying an IPv4 address judge that one)."""
    if isinstance(addr, ipaddress.IPv6Address) and addr not in NAT64_LOCAL:
        inner = embedded_ipv4(addr)
        if inner is not None:
            problem = address_problem(inner, allow_private)
            return f"{problem} ({inner} inside {addr})" if problem else None
    if addr in METADATA:
        return "cloud metadata address"
    if addr.is_link_local:
        return "link-local address"
    if addr.is_multicast or addr.is_unspecified:
        return "multicast/unspecified address"
    if allow_private:
        return None
    if addr in NAT64_LOCAL:
        return "private/reserved address (local-use NAT64)"
    if addr.is_loopback:
        return "loopback address"
    if not addr.is_global:
        return "private/reserved address"
    return None


def check_url(url: str, allow_private: bool = False) -> None:
    """Raise BlockedURL unless url is http(s) and every address its host resolves to is allowed."""
    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    except ValueError as exc:
        raise BlockedURL(f"invalid URL {url!r}: {exc}") from None
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        raise BlockedURL(f"scheme not allowed: {url[:80]}")
    if not parts.hostname:
        raise BlockedURL(f"no host in URL: {url[:80]}")
    for addr in _addresses(parts.hostname, port):
        problem = address_problem(addr, allow_private)
        if problem:
            raise BlockedURL(f"refused {parts.hostname} ({addr}): {problem}")
