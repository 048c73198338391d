"""A foreign Open Badges issuer on a local HTTP server, for the import tests.

``FakeIssuer`` serves an issuer profile, a badge class, its image and any
assertions a test adds, on 127.0.0.1 at a random port. Tests can also add raw
routes: slow answers, answers trickled a byte at a time, huge answers,
redirects, HTML pages. ``other_host`` is a second one on another port, so
another origin: a forger, or a host an issuer allows.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from core.domain.openbadges.baking import bake_png, bake_svg
from tests.support.factories import SVG, png_bytes

CONTEXT = "https://w3id.org/openbadges/v2"


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    content_type: str = "application/ld+json"
    headers: dict = field(default_factory=dict)
    delay: float = 0.0
    trickle: float = 0.0  # seconds between bytes of the body (or the whole answer: trickle_all)
    trickle_all: bool = False


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self):
        self.server.requests.append(self.path)
        route = self.server.routes.get(self.path)
        if route is None:
            route = Route(404, b"not found", "text/plain")
        if route.delay:
            time.sleep(route.delay)
        if route.trickle and route.trickle_all:
            return self._trickle(self._raw_answer(route), route.trickle)
        try:
            self.send_response(route.status)
            self.send_header("Content-Type", route.content_type)
            self.send_header("Content-Length", str(len(route.body)))
            for name, value in route.headers.items():
                self.send_header(name, value)
            self.end_headers()
            if route.trickle:
                return self._trickle(route.body, route.trickle)
            self.wfile.write(route.body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout test): nothing to tell it

    def _raw_answer(self, route: Route) -> bytes:
        head = [f"HTTP/1.0 {route.status} Slow", f"Content-Type: {route.content_type}"]
        head += [f"Content-Length: {len(route.body)}"] + [f"{k}: {v}" for k, v in route.headers.items()]
        return ("\r\n".join(head) + "\r\n\r\n").encode() + route.body

    def _trickle(self, data: bytes, pause: float) -> None:
        """Send ``data`` a byte at a time, each well within a read timeout, until the client leaves."""
        try:
            for index in range(len(data)):
                self.wfile.write(data[index : index + 1])
                self.wfile.flush()
                time.sleep(pause)
        except OSError:
            pass  # the client gave up: the point of the test

    def log_message(self, format, *args):  # keep the test output clean
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    routes: dict[str, Route]
    requests: list[str]


def _hashed(email: str, salt: str) -> str:
    return "sha256$" + hashlib.sha256((email + salt).encode()).hexdigest()


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).replace(microsecond=0).isoformat()


class FakeIssuer:
    def __init__(self):
        self.server = _Server(("127.0.0.1", 0), _Handler)
        self.server.routes, self.server.requests = {}, []
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()
        self.image = png_bytes(color="#aa3300")
        self.json("/issuer", {
            "@context": CONTEXT, "type": "Issuer", "id": self.url("/issuer"),
            "name": "Globex Academy", "url": "https://globex.example", "email": "badges@globex.example",
        })  # fmt: skip
        self.json("/badges/python", {
            "@context": CONTEXT, "type": "BadgeClass", "id": self.url("/badges/python"),
            "name": "Python Programming", "description": "Writes idiomatic Python.",
            "image": self.url("/badges/python/image.png"),
            "criteria": {"narrative": "Passed the exam."}, "issuer": self.url("/issuer"),
        })  # fmt: skip
        self.route("/badges/python/image.png", body=self.image, content_type="image/png")

    @property
    def requests(self) -> list[str]:
        return self.server.requests

    def url(self, path: str) -> str:
        return f"{self.base}{path}"

    def route(self, path: str, **answer) -> str:
        """Answer GET ``path`` with a ``Route(**answer)``: status, body, content_type, headers, delay."""
        self.server.routes[path] = Route(**answer)
        return self.url(path)

    def json(self, path: str, document: dict, status: int = 200) -> str:
        return self.route(path, status=status, body=json.dumps(document).encode())

    def assertion(
        self,
        name: str,
        email: str,
        *,
        hashed: bool = True,
        issued: datetime | None = None,
        expires: datetime | None = None,
        **extra,
    ) -> dict:
        """Host an assertion of the Python badge at /assertions/<name>; return its document."""
        salt = f"salt-{name}"
        recipient = (
            {"type": "email", "hashed": True, "salt": salt, "identity": _hashed(email, salt)}
            if hashed
            else {"type": "email", "hashed": False, "identity": email}
        )
        document = {
            "@context": CONTEXT,
            "type": "Assertion",
            "id": self.url(f"/assertions/{name}"),
            "recipient": recipient,
            "badge": self.url("/badges/python"),
            "verification": {"type": "HostedBadge"},
            "issuedOn": _iso(issued or datetime.now(UTC) - timedelta(days=30)),
            **extra,
        }
        if expires:
            document["expires"] = _iso(expires)
        self.json(f"/assertions/{name}", document)
        return document

    def revoke(self, name: str, reason: str = "Issued in error") -> None:
        self.json(
            f"/assertions/{name}",
            {
                "@context": CONTEXT,
                "id": self.url(f"/assertions/{name}"),
                "revoked": True,
                "revocationReason": reason,
            },
            status=410,
        )

    def baked_png(self, document: dict) -> bytes:
        return bake_png(self.image, json.dumps(document))

    def baked_svg(self, document: dict) -> bytes:
        return bake_svg(SVG, json.dumps(document))

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def other_host(fake_issuer):
    """A second server, on another port: another origin than ``fake_issuer``'s."""
    other = FakeIssuer()
    yield other
    other.close()


@pytest.fixture
def fake_issuer(settings):
    """A foreign issuer on 127.0.0.1; private addresses are allowed, and timeouts short."""
    settings.OPENBADGES_ALLOW_PRIVATE_FETCH = True
    settings.OPENBADGES_FETCH_TIMEOUT = 0.5
    issuer = FakeIssuer()
    yield issuer
    issuer.close()
