"""Fetching other issuers' documents without letting them aim us at our own network.

Every request is bounded: http(s) only, a timeout per hop and overall, a size
limit, a redirect limit. Redirects are followed here, one hop at a time, and
each hop's host is resolved and every address it resolves to is checked
before connecting; the connection then goes to the checked address (with the
original Host header and TLS server name), so a second DNS answer cannot
swap in a private address (DNS rebinding).

Private, loopback, link-local and reserved addresses are refused unless
``OPENBADGES_ALLOW_PRIVATE_FETCH`` is on, or the address is in one of the
networks of ``OPENBADGES_FETCH_ALLOWED_NETWORKS`` (an intranet issuer).
"""

from __future__ import annotations

import ipaddress
import socket
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import urllib3
from django.conf import settings

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


def _is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def _allowed_networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(net, strict=False) for net in settings.OPENBADGES_FETCH_ALLOWED_NETWORKS]


def check_address(address: str) -> None:
    """Raise FetchRefused unless we may connect to this IP address."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone id
    if _is_public(ip) or settings.OPENBADGES_ALLOW_PRIVATE_FETCH:
        return
    if any(ip in network for network in _allowed_networks()):
        return
    raise FetchRefused(f"it points to a private or reserved network address ({ip})")


def _resolve(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as err:
        raise FetchUnreachable(f"the host name {host} could not be found") from err
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not addresses:
        raise FetchUnreachable(f"the host name {host} could not be found")
    for address in addresses:  # every answer, so a mixed answer cannot slip through
        check_address(address)
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
        raise FetchRefused("it is not a valid address") from err
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise FetchRefused("only http and https addresses can be fetched")
    if not parts.hostname:
        raise FetchRefused("it has no host name")
    if parts.username is not None or parts.password is not None:
        raise FetchRefused("addresses with a user name or password are not fetched")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return _Target(scheme, parts.hostname, port or DEFAULT_PORTS[scheme], parts.netloc, path)


def _pool(target: _Target, address: str, timeout: urllib3.Timeout) -> urllib3.HTTPConnectionPool:
    """A one-connection pool to the checked address, speaking to the original host name."""
    if target.scheme == "https":
        return urllib3.HTTPSConnectionPool(
            address,
            target.port,
            timeout=timeout,
            retries=False,
            maxsize=1,
            cert_reqs="CERT_REQUIRED",
            server_hostname=target.host,
            assert_hostname=target.host,
        )
    return urllib3.HTTPConnectionPool(address, target.port, timeout=timeout, retries=False, maxsize=1)


def _read_limited(response, limit: int, deadline: float) -> bytes:
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:
        raise FetchTooLarge(f"it is larger than the {limit // 1024} KB limit")
    body = bytearray()
    for chunk in response.stream(CHUNK_BYTES):
        body += chunk
        if len(body) > limit:
            raise FetchTooLarge(f"it is larger than the {limit // 1024} KB limit")
        if time.monotonic() > deadline:
            raise FetchUnreachable("the server answered too slowly")
    return bytes(body)


def _get_once(url: str, *, accept: str, limit: int) -> tuple[int, dict, bytes]:
    target = _parse(url)
    addresses = _resolve(target.host, target.port)
    seconds = float(settings.OPENBADGES_FETCH_TIMEOUT)
    deadline = time.monotonic() + 2 * seconds
    for address in addresses[:-1]:  # a host with several addresses: the first that accepts
        try:
            return _request(target, address, seconds, accept=accept, limit=limit, deadline=deadline)
        except _ConnectFailed:
            continue
    try:
        return _request(target, addresses[-1], seconds, accept=accept, limit=limit, deadline=deadline)
    except _ConnectFailed as err:
        raise FetchUnreachable("the server could not be reached") from err


def _request(target: _Target, address: str, seconds: float, *, accept: str, limit: int, deadline: float):
    pool = _pool(target, address, urllib3.Timeout(connect=seconds, read=seconds))
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
            body = b"" if response.status in REDIRECT_STATUSES else _read_limited(response, limit, deadline)
        finally:
            response.release_conn()
    except urllib3.exceptions.NewConnectionError as err:  # refused: another address may answer
        raise _ConnectFailed() from err
    except (urllib3.exceptions.TimeoutError, TimeoutError) as err:
        raise FetchUnreachable("the server did not answer in time") from err
    except urllib3.exceptions.SSLError as err:
        raise FetchUnreachable("its secure connection (TLS certificate) could not be verified") from err
    except (urllib3.exceptions.HTTPError, OSError) as err:
        raise FetchUnreachable("the server could not be reached") from err
    finally:
        pool.close()
    return response.status, headers, body


def fetch(url: str, *, accept: str = JSON_ACCEPT, max_bytes: int | None = None) -> FetchedDocument:
    """GET ``url`` within the limits; any final status is returned, redirects are followed.

    Raises FetchRefused, FetchUnreachable or FetchTooLarge.
    """
    limit = max_bytes or settings.OPENBADGES_FETCH_MAX_BYTES
    for _hop in range(settings.OPENBADGES_FETCH_MAX_REDIRECTS + 1):
        status, headers, body = _get_once(url, accept=accept, limit=limit)
        if status in REDIRECT_STATUSES and headers.get("location"):
            url = urljoin(url, headers["location"].strip())
            continue
        content_type = headers.get("content-type", "").split(";", 1)[0].strip().lower()
        return FetchedDocument(url=url, status=status, content_type=content_type, body=body)
    raise FetchRefused(f"it redirects more than {settings.OPENBADGES_FETCH_MAX_REDIRECTS} times")
