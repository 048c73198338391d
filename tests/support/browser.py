"""The browser of the end-to-end tests (tests/e2e/ and tests/proxy_e2e/): one
Chromium for the whole run, shared by both (Playwright's sync API allows one).

Playwright drives Debian's Chromium (``/usr/bin/chromium``, or ``$CHROMIUM_PATH``);
its own browser download is not needed. Without a browser the tests are
skipped with the reason, except in CI (``CI=true``) where they must run.

Each step saves a screenshot in ``tests/screenshots/`` (git-ignored).
"""

import os

# Playwright's sync API runs an event loop in this thread, which makes Django
# refuse ORM calls "from an async context". The tests' own ORM calls (database
# setup, factories) are ordinary synchronous code: allow them. This must be set
# before pytest-django sets up the database, hence at import time.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import shutil
from pathlib import Path

import pytest

SCREENSHOTS = Path(__file__).resolve().parents[1] / "screenshots"
DEFAULT_TIMEOUT_MS = 10_000
# A page load waits for every image, some drawn or signed on first request: on a
# loaded CI machine (2 cores, the proxy and gunicorn beside the browser) that can
# outlast the assertions' 10 s without anything being wrong.
NAVIGATION_TIMEOUT_MS = 30_000
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def _unavailable(reason: str):
    """Skip on a laptop without a browser; in CI the e2e tests must run."""
    message = f"End-to-end tests need Chromium and Playwright: {reason}"
    if _in_ci():
        pytest.fail(f"{message} (CI=true, so they may not be skipped)", pytrace=False)
    pytest.skip(f"{message} (install Debian's chromium package, or set CHROMIUM_PATH)")


def _chromium_path() -> str | None:
    configured = os.environ.get("CHROMIUM_PATH")
    if configured:
        return configured if os.access(configured, os.X_OK) else None
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import Error, expect, sync_playwright
    except ImportError as err:
        _unavailable(f"the playwright package is not installed ({err}).")
    executable = _chromium_path()
    if not executable:
        _unavailable("no chromium executable found on PATH.")
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
    except Error as err:
        playwright.stop()
        _unavailable(f"{executable} failed to start: {err.message.splitlines()[0]}")
    expect.set_options(timeout=DEFAULT_TIMEOUT_MS)
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture(scope="session")
def screenshots_dir() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for old in SCREENSHOTS.glob("*.png"):
        old.unlink()
    return SCREENSHOTS


@pytest.fixture
def shot(screenshots_dir):
    """``shot(page, "03-manager-badge-created")`` saves a full-page PNG."""

    def take(page, name: str) -> Path:
        path = screenshots_dir / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
