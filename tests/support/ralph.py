"""A real Learning Record Store for the suite: Ralph (``ralph-malph`` 5.1.0) on a free port.

Ralph's pins are not ours, so it runs from its own virtualenv (``.venv-ralph``,
``make ralph``, from ``requirements-ralph.txt``) as ``uvicorn ralph.api:app``
with its filesystem backend (``RALPH_RUNSERVER_BACKEND=fs``) and HTTP Basic
credentials written by ``ralph auth ... -w``.

What its filesystem backend does (checked against 5.1.0; tests must not lean on more):

- it keeps only the **first batch** written to a data directory: the file exists
  afterwards and any later ``POST`` answers 500. So each server gets a fresh
  directory, and a test writes its statements in one batch (:meth:`RalphLRS.post`);
- it honours the ``agent`` and ``since`` filters, but ``since`` compares the
  statements' ``timestamp`` (the spec says ``stored``), and ``verb`` and ``activity``
  match nothing at all: the app must filter for itself;
- it returns statements in the order they were written, ``limit`` at most
  ``RALPH_RUNSERVER_MAX_SEARCH_HITS_COUNT`` (100 by default), with a ``more`` link
  (``search_after`` the last id) whenever a page is full; ``ascending=true`` only
  reverses each page, so the pages come oldest first but not the statements in one.
"""

from __future__ import annotations

import base64
import json
import os
import re
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
RALPH_BIN = ROOT / ".venv-ralph" / "bin"
XAPI_VERSION = "1.0.3"
STARTUP_SECONDS = 90  # a patience limit: a loaded machine (suites beside it) took over 30 s
LISTENING_RE = re.compile(r"Uvicorn running on (http://127\.0\.0\.1:\d+)")


def ralph_installed() -> bool:
    return (RALPH_BIN / "uvicorn").exists() and (RALPH_BIN / "ralph").exists()


@dataclass(frozen=True)
class Credentials:
    username: str
    password: str
    auth_file: Path


def write_credentials(directory: Path, username: str, password: str) -> Credentials:
    """Basic credentials in a Ralph auth file, written by Ralph's own ``ralph auth -w``."""
    auth_file = directory / "auth.json"
    subprocess.run(
        [
            str(RALPH_BIN / "ralph"),
            "auth",
            "--username", username,
            "--password", password,
            "--scope", "all",
            "--agent-ifi-mbox", f"mailto:{username}@lrs.cowork.net",
            "--write-to-disk",
        ],
        env={**_base_env(directory), "RALPH_AUTH_FILE": str(auth_file)},
        check=True,
        capture_output=True,
        timeout=60,
    )  # fmt: skip
    return Credentials(username, password, auth_file)


@dataclass
class RalphLRS:
    """A running Ralph: its xAPI endpoint, credentials, and a client for tests."""

    origin: str  # http://127.0.0.1:PORT
    credentials: Credentials
    data_dir: Path
    log_file: Path

    @property
    def endpoint(self) -> str:
        """The xAPI base, as ``LRS_ENDPOINT`` takes it."""
        return f"{self.origin}/xAPI/"

    def request(self, method: str, path: str, body: Any = None, *, auth: tuple[str, str] | None = None):
        """One request; returns (status, decoded JSON or None). HTTP errors are returned, not raised."""
        username, password = auth or (self.credentials.username, self.credentials.password)
        token = base64.b64encode(f"{username}:{password}".encode()).decode()
        headers = {"Authorization": f"Basic {token}", "X-Experience-API-Version": XAPI_VERSION}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        req = urllib.request.Request(f"{self.origin}{path}", data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(req, timeout=30) as response:
                payload = response.read()
                status = response.status
        except urllib.error.HTTPError as error:
            payload, status = error.read(), error.code
        return status, (json.loads(payload) if payload else None)

    def post(self, statements: list[dict]) -> list[str]:
        """Store statements, all in one batch (the filesystem backend keeps only the first one)."""
        status, ids = self.request("POST", "/xAPI/statements", statements)
        if status != 200:
            raise AssertionError(f"Ralph refused the statements ({status}): {ids}")
        return ids

    def statements(self, **params: str) -> dict:
        status, page = self.request("GET", f"/xAPI/statements?{urlencode(params)}")
        if status != 200:
            raise AssertionError(f"Ralph did not list statements ({status}): {page}")
        return page


def _base_env(directory: Path) -> dict[str, str]:
    # Only what Ralph needs: nothing of the app's environment (DATABASE_URL...) leaks in.
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(directory),
        "RALPH_APP_DIR": str(directory / "app"),
        "LC_ALL": "C.UTF-8",
        # The CLI loads the server's backend too, and only the filesystem one is installed.
        "RALPH_RUNSERVER_BACKEND": "fs",
    }


@contextmanager
def running_ralph(
    directory: Path, credentials: Credentials, *, page_size: int = 100, forward_to: dict | None = None
) -> Iterator[RalphLRS]:
    """Start Ralph on a free port with a fresh data directory under ``directory``; stop it after.

    ``forward_to`` (``{"url", "username", "password"}``) makes Ralph forward every statement
    it stores to that xAPI endpoint (its ``RALPH_XAPI_FORWARDINGS``), as an LRS pushes to us.
    """
    data_dir = directory / "lrs-data"
    data_dir.mkdir(parents=True)
    log_file = directory / "ralph.log"
    env = {
        **_base_env(directory),
        "RALPH_AUTH_FILE": str(credentials.auth_file),
        "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(data_dir),
        "RALPH_RUNSERVER_MAX_SEARCH_HITS_COUNT": str(page_size),
    }
    if forward_to:
        env["RALPH_XAPI_FORWARDINGS"] = json.dumps(
            [
                {
                    "url": forward_to["url"],
                    "is_active": True,
                    "basic_username": forward_to["username"],
                    "basic_password": forward_to["password"],
                    "max_retries": 1,
                    "timeout": 10,
                }
            ]
        )
    with log_file.open("wb") as log:
        # Port 0: the system picks a free port, which uvicorn then logs.
        process = subprocess.Popen(
            [str(RALPH_BIN / "uvicorn"), "ralph.api:app", "--host", "127.0.0.1", "--port", "0"],
            cwd=directory,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        origin = _wait_until_listening(process, log_file)
        lrs = RalphLRS(origin=origin, credentials=credentials, data_dir=data_dir, log_file=log_file)
        _wait_until_answering(process, lrs)
        yield lrs
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _wait_until_listening(process: subprocess.Popen, log_file: Path) -> str:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        match = LISTENING_RE.search(log_file.read_text(errors="replace"))
        if match:
            return match.group(1)
        if process.poll() is not None:
            break
        time.sleep(0.1)
    raise RuntimeError(f"Ralph did not start:\n{log_file.read_text(errors='replace')[-3000:]}")


def _wait_until_answering(process: subprocess.Popen, lrs: RalphLRS) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{lrs.origin}/__heartbeat__", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if process.poll() is not None:
            break
        time.sleep(0.1)
    raise RuntimeError(f"Ralph does not answer:\n{lrs.log_file.read_text(errors='replace')[-3000:]}")


# --- pytest fixtures (tests/conftest.py makes them available to the whole suite) --------------


@pytest.fixture(scope="session")
def ralph_credentials(tmp_path_factory) -> Credentials:
    """One auth file for the session: ``ralph auth`` hashes with bcrypt, which takes a while."""
    if not ralph_installed():
        if os.environ.get("CI") == "true":
            raise RuntimeError(f"{RALPH_BIN} is missing: CI must test against Ralph (make ralph).")
        pytest.skip("Ralph (the Learning Record Store) is not installed: run `make ralph`")
    return write_credentials(tmp_path_factory.mktemp("ralph-auth"), "badgeapp", "lrs-secret")


@pytest.fixture
def start_ralph(ralph_credentials, tmp_path_factory):
    """``start_ralph(page_size=10, forward_to=...)``: a fresh Ralph, stopped at the end of the test."""
    with ExitStack() as stack:

        def start(*, page_size: int = 100, forward_to: dict | None = None) -> RalphLRS:
            directory = tmp_path_factory.mktemp("ralph")
            return stack.enter_context(
                running_ralph(directory, ralph_credentials, page_size=page_size, forward_to=forward_to)
            )

        yield start


@pytest.fixture
def ralph_lrs(start_ralph) -> RalphLRS:
    """A fresh Ralph with an empty store."""
    return start_ralph()
