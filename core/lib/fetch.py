"""Fetching other issuers' documents without letting them aim us at our own network.

Every request is bounded: http(s) only, a size limit, a redirect limit, a
timeout per socket operation (``OPENBADGES_FETCH_TIMEOUT``) and one deadline
(``OPENBADGES_FETCH_TOTAL_TIMEOUT``) shared by every hop, every document of
one import and the reading of every body, so neither slow redirect chains nor
a server trickling bytes can hold a worker longer than that. Redirects are
followed here, one hop at a time, and each hop's host is resolved and every
address it resolves to is checked before connecting; the connection then goes
to the checked address (with the original Host header and TLS server name),
so a second DNS answer cannot swap in a private address (DNS rebinding).

Private, loopback, link-local and reserved addresses are refused, including
IPv6 forms that carry such an IPv4 address (mapped, compatible, NAT64, 6to4,
Teredo), unless ``OPENBADGES_ALLOW_PRIVATE_FETCH`` is on or the address is in
one of the networks of ``OPENBADGES_FETCH_ALLOWED_NETWORKS`` (an intranet
issuer), or it is a loopback address in development with
``OPENBADGES_FETCH_LOOPBACK`` (the demo issuer on the development server).
Public addresses are fetched only on ``OPENBADGES_FETCH_ALLOWED_PORTS`` (80 and
443 by default); an allowed private address may use any port.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import threading
import time
from contextvars import ContextVar
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import urllib3
from django.conf import settings
from django.utils.translation import gettext as _

USER_AGENT = "badgeapp-openbadges/1.0 (+https://w3id.org/openbadges/v2)"
JSON_ACCEPT = "application/ld+json, application/json;q=0.9, */*;q=0.1"
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
DEFAULT_PORTS = {"http": 80, "https": 443}
CHUNK_BYTES = 64 * 1024


class FetchError(Exception):
    """Why a document could not be fetched, in words a user can act on."""


class FetchRefused(FetchError):
    """We will not make this request: scheme, address or redirect limit."""


class FetchUnreachable(FetchError):
    """The server could not be reached, answered too slowly, or the connection broke."""


class FetchTooLarge(FetchError):
    """The answer is bigger than the size limit."""


class _ConnectFailed(Exception):
    """This address refused the connection; the host's next address may not."""


@dataclass(frozen=True)
class FetchedDocument:
    url: str  # the final URL, after redirects
    status: int
    content_type: str
    body: bytes


IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# IPv6 ranges whose last 32 bits are the IPv4 address actually reached.
_IPV4_IN_LAST_32_BITS = [
    ipaddress.IPv6Network("::/96"),  # IPv4-compatible (deprecated), also :: and ::1
    ipaddress.IPv6Network("::ffff:0:0/96"),  # IPv4-mapped
    ipaddress.IPv6Network("::ffff:0:0:0/96"),  # IPv4-translated (SIIT)
    ipaddress.IPv6Network("64:ff9b::/96"),  # NAT64, well-known prefix
]
_NEVER_PUBLIC_V6 = [
    ipaddress.IPv6Network("64:ff9b:1::/48"),  # NAT64, local use
    ipaddress.IPv6Network("fec0::/10"),  # site-local (deprecated, still private)
]


def _effective(address: IPAddress) -> IPAddress:
    """The IPv4 address an IPv6 address really reaches when it embeds one (mapped, NAT64...)."""
    if isinstance(address, ipaddress.IPv6Address) and any(
        address in network for network in _IPV4_IN_LAST_32_BITS
    ):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address


def _plainly_public(address: IPAddress) -> bool:
    return address.is_global and not (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_unspecified
        or address.is_reserved
    )


def _is_public(address: IPAddress) -> bool:
    address = _effective(address)
    if isinstance(address, ipaddress.IPv4Address):
        return _plainly_public(address)
    if address.is_site_local or any(address in network for network in _NEVER_PUBLIC_V6):
        return False
    tunnelled = [address.sixtofour] if address.sixtofour else []  # 2002::/16
    tunnelled += list(address.teredo or ())  # 2001::/32: server and client
    return all(_plainly_public(ipv4) for ipv4 in tunnelled) and _plainly_public(address)


def _allowed_networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(net, strict=False) for net in settings.OPENBADGES_FETCH_ALLOWED_NETWORKS]


def _trusted(ip: IPAddress) -> bool:
    """A private address the settings allow: any of them, or one of the allowed networks."""
    if settings.OPENBADGES_ALLOW_PRIVATE_FETCH:
        return True
    if settings.DEBUG and settings.OPENBADGES_FETCH_LOOPBACK and ip.is_loopback:
        return True  # development's own server (checked again here: never in production)
    candidates = {ip, _effective(ip)}
    return any(candidate in network for candidate in candidates for network in _allowed_networks())


def check_address(address: str, port: int | None = None) -> None:
    """Raise FetchRefused unless we may connect to this IP address (and port, if given)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone id
    if _trusted(ip):
        return
    if not _is_public(ip):
        raise FetchRefused(_("it points to a private or reserved network address"))
    allowed_ports = [int(p) for p in settings.OPENBADGES_FETCH_ALLOWED_PORTS]
    if port is not None and port not in allowed_ports:
        ports = ", ".join(str(p) for p in allowed_ports) or "-"
        raise FetchRefused(
            _("it uses port %(port)s, and only ports %(ports)s are fetched") % {"port": port, "ports": ports}
        )


def _resolve(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as err:
        raise FetchUnreachable(_("the host name %(host)s could not be found") % {"host": host}) from err
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not addresses:
        raise FetchUnreachable(_("the host name %(host)s could not be found") % {"host": host})
    for address in addresses:  # every answer, so a mixed answer cannot slip through
        check_address(address, port)
    return addresses


@dataclass(frozen=True)
class _Target:
    scheme: str
    host: str
    port: int
    host_header: str
    path: str


def _parse(url: str) -> _Target:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as err:
        raise FetchRefused(_("it is not a valid address")) from err
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise FetchRefused(_("only http and https addresses can be fetched"))
    if not parts.hostname:
        raise FetchRefused(_("it has no host name"))
    if parts.username is not None or parts.password is not None:
        raise FetchRefused(_("addresses with a user name or password are not fetched"))
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return _Target(scheme, parts.hostname, port or DEFAULT_PORTS[scheme], parts.netloc, path)


class _Watchdog:
    """Cuts a request's connection when the deadline passes, whatever it is waiting for.

    Socket timeouts bound each read, not their sum: a server sending a byte
    at a time (during the TLS handshake, the headers or the body) would never
    trip them. The watchdog holds a duplicate of each socket the request opens
    and shuts it down at the deadline, which ends any blocked read at once.
    """

    def __init__(self, deadline: float):
        self.fired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(max(0.0, deadline - time.monotonic()), self._fire)
        self._timer.daemon = True

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            copy = sock.dup()  # the TLS layer takes over (detaches) the original
            self._sockets.append(copy)
            if self.fired:
                _shut(copy)

    def _fire(self) -> None:
        with self._lock:
            self.fired = True
            for sock in self._sockets:
                _shut(sock)

    def __enter__(self) -> _Watchdog:
        self._token = _WATCHDOG.set(self)
        self._timer.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._timer.cancel()
        _WATCHDOG.reset(self._token)
        with self._lock:
            for sock in self._sockets:
                sock.close()
            self._sockets.clear()


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed by the other end
        sock.shutdown(socket.SHUT_RDWR)


_WATCHDOG: ContextVar[_Watchdog | None] = ContextVar("openbadges_fetch_watchdog", default=None)


class _WatchedConnection:
    """Hands each new socket to the current request's watchdog."""

    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()
        watchdog = _WATCHDOG.get()
        if watchdog is not None:
            watchdog.watch(sock)
        return sock


class _HTTPConnection(_WatchedConnection, urllib3.connection.HTTPConnection):
    pass


class _HTTPSConnection(_WatchedConnection, urllib3.connection.HTTPSConnection):
    pass


class _HTTPPool(urllib3.HTTPConnectionPool):
    ConnectionCls = _HTTPConnection


class _HTTPSPool(urllib3.HTTPSConnectionPool):
    ConnectionCls = _HTTPSConnection


def _pool(target: _Target, address: str, timeout: urllib3.Timeout) -> urllib3.HTTPConnectionPool:
    """A one-connection pool to the checked address, speaking to the original host name."""
    if target.scheme == "https":
        return _HTTPSPool(
            address,
            target.port,
            timeout=timeout,
            retries=False,
            maxsize=1,
            cert_reqs="CERT_REQUIRED",
            server_hostname=target.host,
            assert_hostname=target.host,
        )
    return _HTTPPool(address, target.port, timeout=timeout, retries=False, maxsize=1)


def new_deadline() -> float:
    """The ``time.monotonic()`` by which one whole import must have fetched everything."""
    return time.monotonic() + float(settings.OPENBADGES_FETCH_TOTAL_TIMEOUT)


def _too_slow() -> FetchUnreachable:
    return FetchUnreachable(_("the server did not answer in time"))


def _remaining(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise _too_slow()
    return left


def _read_limited(response, limit: int) -> bytes:
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:
        raise FetchTooLarge(_("it is larger than the %(kb)s KB limit") % {"kb": limit // 1024})
    body = bytearray()
    while chunk := response.read1(CHUNK_BYTES):  # what arrived, not a full chunk
        body += chunk
        if len(body) > limit:
            raise FetchTooLarge(_("it is larger than the %(kb)s KB limit") % {"kb": limit // 1024})
    return bytes(body)


def _get_once(url: str, *, accept: str, limit: int, deadline: float) -> tuple[int, dict, bytes]:
    target = _parse(url)
    addresses = _resolve(target.host, target.port)
    for address in addresses[:-1]:  # a host with several addresses: the first that accepts
        try:
            return _request(target, address, accept=accept, limit=limit, deadline=deadline)
        except _ConnectFailed:
            continue
    try:
        return _request(target, addresses[-1], accept=accept, limit=limit, deadline=deadline)
    except _ConnectFailed as err:
        raise FetchUnreachable(_("the server could not be reached")) from err


def _failure(err: Exception, watchdog: _Watchdog) -> FetchUnreachable:
    if watchdog.fired or isinstance(err, urllib3.exceptions.TimeoutError | TimeoutError):
        return _too_slow()
    if isinstance(err, urllib3.exceptions.SSLError):
        return FetchUnreachable(_("its secure connection (TLS certificate) could not be verified"))
    return FetchUnreachable(_("the server could not be reached"))


def _request(target: _Target, address: str, *, accept: str, limit: int, deadline: float):
    seconds = min(float(settings.OPENBADGES_FETCH_TIMEOUT), _remaining(deadline))
    pool = _pool(target, address, urllib3.Timeout(connect=seconds, read=seconds))
    with _Watchdog(deadline) as watchdog:
        try:
            response = pool.urlopen(
                "GET",
                target.path,
                headers={
                    "Host": target.host_header,
                    "User-Agent": USER_AGENT,
                    "Accept": accept,
                    "Accept-Encoding": "identity",
                },
                redirect=False,
                retries=False,
                preload_content=False,
                assert_same_host=False,
            )
            try:
                headers = {key.lower(): value for key, value in response.headers.items()}
                body = b"" if response.status in REDIRECT_STATUSES else _read_limited(response, limit)
            finally:
                response.release_conn()
        except urllib3.exceptions.NewConnectionError as err:  # refused: another address may answer
            if watchdog.fired:
                raise _too_slow() from err
            raise _ConnectFailed() from err
        except (urllib3.exceptions.HTTPError, OSError) as err:
            raise _failure(err, watchdog) from err
        finally:
            pool.close()
        if watchdog.fired:  # cut off: what was read may be only part of the answer
            raise _too_slow()
    return response.status, headers, body


def fetch(
    url: str, *, accept: str = JSON_ACCEPT, max_bytes: int | None = None, deadline: float | None = None
) -> FetchedDocument:
    """GET ``url`` within the limits; any final status is returned, redirects are followed.

    ``deadline``: a ``time.monotonic()`` value (see ``new_deadline``) shared by
    every fetch of one import; by default this fetch gets a whole one to itself.
    Raises FetchRefused, FetchUnreachable or FetchTooLarge.
    """
    limit = max_bytes or settings.OPENBADGES_FETCH_MAX_BYTES
    deadline = new_deadline() if deadline is None else deadline
    for _hop in range(settings.OPENBADGES_FETCH_MAX_REDIRECTS + 1):
        status, headers, body = _get_once(url, accept=accept, limit=limit, deadline=deadline)
        if status in REDIRECT_STATUSES and headers.get("location"):
            url = urljoin(url, headers["location"].strip())
            continue
        content_type = headers.get("content-type", "").split(";", 1)[0].strip().lower()
        return FetchedDocument(url=url, status=status, content_type=content_type, body=body)
    raise FetchRefused(
        _("it redirects more than %(count)s times") % {"count": settings.OPENBADGES_FETCH_MAX_REDIRECTS}
    )
