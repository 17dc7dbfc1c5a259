"""Which hosts a fetch may reach, and an httpx transport that connects only to what it checked.

A URL from a user, a feed or a redirect can name any host: `localhost`, `10.0.0.5`, the cloud
metadata service on 169.254.169.254, `0x7f000001`, or a public-looking name whose DNS answer
points inside the network. So every connection resolves its host once, refuses the answer
unless every address in it is public (or inside a network the operator allowed), and then
connects to exactly those addresses. The name stays in the Host header and in TLS (SNI and the
certificate check), and no second lookup happens, so a DNS answer that changes between the
check and the connect (DNS rebinding) cannot send the request elsewhere.
"""

import re
import socket
import time
from collections.abc import Callable, Iterable, Sequence
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address, ip_network
from urllib.parse import urlsplit

import httpcore
import httpx

from config.errors import IngestError

IPAddress = IPv4Address | IPv6Address
Network = IPv4Network | IPv6Network
Resolver = Callable[[str, int], list[IPAddress]]
"""Host and port -> every address the name resolves to (the test seam for DNS)."""

WEB_SCHEMES = frozenset({"http", "https"})
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")
_NUMERIC_HOST = re.compile(r"^[0-9a-fA-FxX.]+$")
_SHARED = ip_network("100.64.0.0/10")
_PRIVATE = tuple(
    ip_network(net) for net in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7")
)
_NAT64 = ip_network("64:ff9b::/96")
_IPV4_COMPATIBLE = ip_network("::/96")


class RefusedAddressError(IngestError):
    """The host is, or resolves to, an address that fetches must not reach."""


def url_scheme(text: str) -> str | None:
    """The scheme of anything written like a URL (`xyz://...`), lower-cased; None for paths."""
    match = _SCHEME.match(text.strip())
    return match[1].lower() if match else None


def _embedded_ipv4(address: IPv6Address) -> IPv4Address | None:
    """The IPv4 address an IPv6 address stands for: IPv4-mapped, NAT64, 6to4, IPv4-compatible.
    Traffic to these ends at that IPv4 host, so it is the one to judge."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address in _NAT64 or (address in _IPV4_COMPATIBLE and int(address) > 0xFFFF):
        return IPv4Address(int(address) & 0xFFFF_FFFF)
    return address.sixtofour


def _kind(address: IPAddress) -> str | None:
    """What makes `address` unfit for fetching, as words; None for a public unicast address."""
    if address.is_unspecified:
        return "an unspecified address"
    if address.is_loopback:
        return "a loopback address"
    if address.is_link_local:
        return "a link-local address"
    if address.is_multicast:
        return "a multicast address"
    if address in _SHARED:
        return "a shared (carrier-grade NAT) address"
    if any(address in net for net in _PRIVATE) or getattr(address, "is_site_local", False):
        return "a private address"
    if address.is_reserved or not address.is_global:
        return "a reserved, non-public address"
    return None


def refusal(address: IPAddress, allowed: Sequence[Network] = ()) -> str | None:
    """Why `address` may not be fetched ("a loopback address"), or None when it may:
    it is public, or inside one of the `allowed` networks."""
    if any(address in net for net in allowed):
        return None
    if isinstance(address, IPv6Address) and not (address.is_loopback or address.is_unspecified):
        embedded = _embedded_ipv4(address)
        if embedded is not None:
            reason = refusal(embedded, allowed)
            return None if reason is None else f"{reason} (it embeds {embedded})"
    return _kind(address)


def literal_address(host: str) -> IPAddress | None:
    """The address a host names without DNS: dotted or bracketed IPs, and the numeric IPv4
    spellings resolvers accept (`2130706433`, `0x7f000001`, `0177.0.0.1`, `127.1`)."""
    host = host.strip("[]")
    try:
        return ip_address(host)
    except ValueError:
        pass
    if _NUMERIC_HOST.match(host):
        try:
            return IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


def check_url(url: str, allowed: Sequence[Network] = ()) -> None:
    """Refuse what can be refused before any network traffic: a scheme other than http(s), a
    missing host, or a host written as a non-public address (`RefusedAddressError`, whose
    message says what the host is). Names are checked when connecting."""
    scheme = url_scheme(url)
    if scheme not in WEB_SCHEMES:
        shown = f"{scheme!r}" if scheme else "(none)"
        raise IngestError(f"unsupported URL scheme {shown} in {url} (only http and https)")
    host = urlsplit(url.strip()).hostname
    if not host:
        raise IngestError(f"no host in URL {url}")
    address = literal_address(host)
    if address is not None:
        reason = refusal(address, allowed)
        if reason is not None:
            spelled_out = _NUMERIC_HOST.match(host) and str(address) != host
            shown = f"{host} ({address})" if spelled_out else host
            raise RefusedAddressError(f"{shown} is {reason}")


def resolve_host(host: str, port: int) -> list[IPAddress]:
    """Every address the system resolver gives for `host`, in its order of preference."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise IngestError(f"cannot resolve host {host} ({exc.strerror})") from None
    addresses: list[IPAddress] = []
    for info in infos:
        address = ip_address(info[4][0])
        if address not in addresses:
            addresses.append(address)
    return addresses


def vet_host(
    host: str, port: int, allowed: Sequence[Network], resolver: Resolver
) -> list[IPAddress]:
    """The addresses to connect to; refused when any of them is not public, since a name that
    mixes public and internal answers is more likely an attack than a news site."""
    addresses = resolver(host, port)
    if not addresses:
        raise IngestError(f"cannot resolve host {host} (no addresses)")
    for address in addresses:
        reason = refusal(address, allowed)
        if reason is not None:
            if literal_address(host) is not None:
                raise RefusedAddressError(f"{host} is {reason}")
            raise RefusedAddressError(f"{host} resolves to {address}, {reason}")
    return addresses


class _VettedBackend(httpcore.NetworkBackend):
    """httpcore's socket backend, connecting only to vetted addresses of the requested host."""

    def __init__(self, allowed: Sequence[Network], resolver: Resolver) -> None:
        self._allowed = tuple(allowed)
        self._resolver = resolver
        self._sockets = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        options = list(socket_options or [])
        failure: httpcore.ConnectError | None = None
        for address in vet_host(host, port, self._allowed, self._resolver):
            try:
                return self._sockets.connect_tcp(
                    str(address), port, timeout, local_address, options
                )
            except httpcore.ConnectError as exc:
                failure = exc
        assert failure is not None
        raise failure

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        raise RefusedAddressError("Unix sockets are never fetched")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class VettedTransport(httpx.HTTPTransport):
    """httpx's own HTTP transport over a connection pool whose every connection is vetted.
    No proxy is used: a proxy would resolve the name itself, past the check."""

    def __init__(self, allowed: Sequence[Network] = (), resolver: Resolver = resolve_host) -> None:
        super().__init__(trust_env=False)
        # httpx takes no network backend of its own; its request and error mapping stay in use,
        # only the pool it hands requests to is ours (tests/test_url_safety.py pins this).
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            keepalive_expiry=5.0,
            network_backend=_VettedBackend(allowed, resolver),
        )
