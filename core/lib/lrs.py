"""Reading a Learning Record Store's Statement API (xAPI 1.0.3), one page at a time.

``GET <endpoint>statements?since=...&ascending=true&limit=N`` with HTTP Basic and
``X-Experience-API-Version: 1.0.3``, then the ``more`` link of each page until an
empty one (xAPI-Communication 2.1.3; xAPI-Data 2.5). Memory stays bounded by one
page: each answer is read up to a byte limit, then handed over before the next is
asked for.

The ``more`` link is relative to the LRS's origin ("excluding scheme, host, and
port"); an absolute one is followed only to the same origin, so the credentials
never leave for another host. Nothing here filters statements by verb or activity:
LRSs differ there (Ralph's filesystem backend matches nothing), so the caller reads
what it needs itself.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode, urljoin, urlsplit

import urllib3

XAPI_VERSION = "1.0.3"
USER_AGENT = "badgeapp-learning/1.0 (xAPI 1.0.3)"
CHUNK_BYTES = 64 * 1024


class LRSError(Exception):
    """The LRS could not be read: unreachable, refused, or an answer that is not a statement page."""


@dataclass(frozen=True)
class StatementPage:
    statements: list[dict]
    url: str  # where this page came from (logged when something goes wrong)
    more: str | None  # the absolute URL of the next page, or None


class LRSClient:
    def __init__(
        self,
        endpoint: str,
        username: str,
        password: str,
        *,
        timeout: float = 30.0,
        max_page_bytes: int = 32 * 1024 * 1024,
        page_size: int = 500,
    ) -> None:
        if urlsplit(endpoint).scheme not in ("http", "https"):
            raise LRSError(f"LRS_ENDPOINT must be an http(s) URL, not {endpoint!r}")
        self.endpoint = endpoint if endpoint.endswith("/") else f"{endpoint}/"
        self.origin = _origin(self.endpoint)
        token = base64.b64encode(f"{username}:{password}".encode()).decode("ascii")
        self.headers = {
            "Authorization": f"Basic {token}",
            "X-Experience-API-Version": XAPI_VERSION,
            "Accept": "application/json",
            "User-Agent": USER_AGENT,
        }
        self.max_page_bytes = max_page_bytes
        self.page_size = page_size
        self.http = urllib3.PoolManager(
            timeout=urllib3.Timeout(connect=timeout, read=timeout),
            retries=urllib3.Retry(total=2, connect=2, read=0, redirect=0, backoff_factor=0.5),
        )

    def first_page_url(self, since: datetime | None) -> str:
        params = {"ascending": "true", "limit": str(self.page_size), "format": "exact"}
        if since is not None:
            params["since"] = since.isoformat()
        return f"{self.endpoint}statements?{urlencode(params)}"

    def pages(
        self, since: datetime | None = None, *, start_url: str | None = None
    ) -> Iterator[StatementPage]:
        """Every page from ``since`` on (or from ``start_url``, a ``more`` link kept from before)."""
        url: str | None = start_url or self.first_page_url(since)
        seen: set[str] = set()
        while url:
            if url in seen:  # an LRS that sends us round in circles
                raise LRSError(f"the LRS sent the same page link twice: {url}")
            seen.add(url)
            page = self.get_page(url)
            yield page
            url = page.more if page.statements else None

    def get_page(self, url: str) -> StatementPage:
        try:
            response = self.http.request("GET", url, headers=self.headers, preload_content=False)
        except urllib3.exceptions.HTTPError as err:
            raise LRSError(f"the LRS could not be reached at {url}: {err}") from err
        try:
            body = _read_limited(response, self.max_page_bytes)
        finally:
            response.release_conn()
        if response.status != 200:
            raise LRSError(f"the LRS answered {response.status} to {url}: {body[:300]!r}")
        try:
            document = json.loads(body)
        except ValueError as err:
            raise LRSError(f"the LRS answered something that is not JSON at {url}") from err
        if not isinstance(document, dict) or not isinstance(document.get("statements"), list):
            raise LRSError(f"the LRS answer at {url} is not a StatementResult")
        return StatementPage(
            statements=document["statements"], url=url, more=self._more(document.get("more"))
        )

    def _more(self, more: object) -> str | None:
        if not more:  # absent, or "" when there is nothing more (xAPI-Data 2.5)
            return None
        if not isinstance(more, str):
            raise LRSError("the LRS sent a 'more' link that is not a string")
        url = urljoin(self.origin, more)
        if _origin(url) != self.origin:
            raise LRSError(f"the LRS sent a 'more' link to another server: {more}")
        return url


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/"


def _read_limited(response: urllib3.BaseHTTPResponse, limit: int) -> bytes:
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:
        raise LRSError(f"an LRS page is larger than {limit} bytes: lower LRS_PAGE_SIZE")
    body = bytearray()
    for chunk in response.stream(CHUNK_BYTES):
        body += chunk
        if len(body) > limit:
            raise LRSError(f"an LRS page is larger than {limit} bytes: lower LRS_PAGE_SIZE")
    return bytes(body)
