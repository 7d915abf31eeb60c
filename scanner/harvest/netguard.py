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
        addr = ipaddress.ip_address(info[4][0].split("%", 1)[0])
        if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped:
            addr = addr.ipv4_mapped
        found.append(addr)
    return found


def address_problem(addr: ipaddress.IPv4Address | ipaddress.IPv6Address, allow_private: bool) -> str | None:
    """Why this address may not be contacted, or None."""
    if addr in METADATA:
        return "cloud metadata address"
    if addr.is_link_local:
        return "link-local address"
    if addr.is_multicast or addr.is_unspecified:
        return "multicast/unspecified address"
    if allow_private:
        return None
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
