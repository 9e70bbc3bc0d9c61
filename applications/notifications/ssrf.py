"""Refuse webhook and robot URLs that point inside our network.

Checked when a channel is saved and again before every send (DNS can change between the two).
The sender connects to the address checked here, never resolving the name a second time, so a
name cannot pass the check and then resolve to 127.0.0.1 for the connection.
"""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

# Cloud metadata services; link-local covers the IPv4 one, these are named for clarity.
METADATA_ADDRESSES = {
    ipaddress.ip_address("169.254.169.254"),
    ipaddress.ip_address("fd00:ec2::254"),
    ipaddress.ip_address("100.100.100.200"),
}  # the last: Alibaba Cloud ECS metadata


class UnsafeTarget(ValueError):
    """The URL is not allowed; the message says why and is safe to show."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str  # path and query
    address: str  # the checked IP to connect to


def _refusal(ip) -> str:
    if ip in METADATA_ADDRESSES:
        return "a cloud metadata address"
    if ip.is_loopback:
        return "a loopback address"
    if ip.is_link_local:
        return "a link-local address"
    if ip.is_private:
        return "a private address"
    if not ip.is_global:
        return "not a public address"
    return ""


def check_address(address: str, *, allow_private: bool) -> None:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if getattr(ip, "ipv4_mapped", None):
        ip = ip.ipv4_mapped
    reason = "a cloud metadata address" if ip in METADATA_ADDRESSES else ("" if allow_private else _refusal(ip))
    if reason:
        raise UnsafeTarget(f"the address {ip} is {reason}")


def resolve_target(url: str, *, allow_private: bool = False, resolver=socket.getaddrinfo) -> Target:
    """Parse and resolve ``url``; raise UnsafeTarget unless every address it resolves to is allowed.

    ``allow_private`` (a setting, for local receivers and the tests) also allows plain http; the
    metadata addresses are refused regardless.
    """
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise UnsafeTarget("not a valid URL") from None
    allowed_schemes = {"https", "http"} if allow_private else {"https"}
    if parts.scheme not in allowed_schemes:
        raise UnsafeTarget("the URL must start with https://")
    if not parts.hostname:
        raise UnsafeTarget("the URL has no host")
    if parts.username or parts.password:
        raise UnsafeTarget("credentials in the URL are not allowed")
    port = port or (443 if parts.scheme == "https" else 80)
    try:
        infos = resolver(parts.hostname, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise UnsafeTarget(f"the host name does not resolve ({exc.__class__.__name__})") from None
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not addresses:
        raise UnsafeTarget("the host name does not resolve")
    for address in addresses:
        check_address(address, allow_private=allow_private)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(parts.scheme, parts.hostname, port, path, addresses[0])
