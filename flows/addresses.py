"""Only public addresses are fetched, unless the topic allows others (issue 15).

A feed, a GDELT answer or a redirect can name any host: `localhost`, `0.0.0.0`, a decimal
address (`2130706433`), `[::1]`, a private range, or the link-local cloud metadata service.
A name is refused when none of the addresses it resolves to is public or listed in
`[fetch] allow_internal`. The check is made twice: on every request, redirect hops
included (so the error names the URL, and a proxy cannot hide the target), and when a
connection is opened, to the very address that was checked, so that a name resolving to a
public address first and an internal one later (DNS rebinding) gains nothing.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import Any

import httpcore
import httpx

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class InternalAddress(Exception):
    """A destination that resolves to no address drainwatch may fetch."""

    def __init__(self, host: str, addresses: Sequence[str]) -> None:
        self.host, self.addresses = host, tuple(addresses)
        shown = "" if self.addresses == (host,) else f" ({', '.join(self.addresses)})"
        super().__init__(f"{host}{shown} is not a public address; [fetch] allow_internal can allow it")


def networks(allowed: Iterable[str]) -> tuple[Network, ...]:
    """`allow_internal` entries (addresses or CIDR networks) as networks; ValueError if one is neither."""
    return tuple(ipaddress.ip_network(a, strict=False) for a in allowed)


def permitted(address: str, allowed: Sequence[Network]) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # a scoped IPv6 address: fe80::1%eth0
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    if any(ip in net for net in allowed):
        return True
    return ip.is_global and not ip.is_multicast


async def resolve(host: str, port: int) -> list[str]:
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


async def usable_address(host: str, port: int, allowed: Sequence[Network]) -> str:
    """The first address of `host` that may be fetched; raises InternalAddress when none."""
    addresses = await resolve(host, port)
    for address in addresses:
        if permitted(address, allowed):
            return address
    raise InternalAddress(host, addresses)


def request_guard(allowed: Sequence[Network]) -> Callable[[httpx.Request], Awaitable[None]]:
    """An httpx request hook: run before every request, each redirect hop included."""

    async def guard(request: httpx.Request) -> None:
        port = request.url.port or (443 if request.url.scheme == "https" else 80)
        try:
            await usable_address(request.url.host, port, allowed)
        except OSError:
            return  # unresolvable: the connection attempt fails with its own error

    return guard


class PublicOnlyBackend(httpcore.AsyncNetworkBackend):
    """Connects only to a permitted address, the one just checked."""

    def __init__(self, inner: Any, allowed: Sequence[Network]) -> None:
        self.inner, self.allowed = inner, allowed

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            address = await usable_address(host, port, self.allowed)
        except OSError as exc:
            raise httpcore.ConnectError(str(exc)) from exc
        # TLS still names the host (server_hostname comes from the URL, not from here).
        stream: httpcore.AsyncNetworkStream = await self.inner.connect_tcp(
            address, port, timeout=timeout, local_address=local_address, socket_options=socket_options
        )
        return stream

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.AsyncNetworkStream:
        raise InternalAddress(path, ["a unix socket"])

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


def guarded_transport(allowed: Sequence[Network], limits: httpx.Limits) -> httpx.AsyncHTTPTransport:
    transport = httpx.AsyncHTTPTransport(limits=limits)
    # httpx has no parameter for httpcore's network backend; its pool keeps it here.
    pool = transport._pool
    pool._network_backend = PublicOnlyBackend(pool._network_backend, allowed)
    return transport
