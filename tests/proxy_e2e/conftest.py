"""Fixtures of the journey through the DjaoDjin test proxy (tests/djaodjin_proxy/).

One stack for the whole run (badgeapp under gunicorn, the proxy in front of it,
an SMTP server); each mode (cookie, JWT) reconfigures the proxy as an operator
would. Chromium is Debian's, launched as tests/e2e/ does; it trusts the proxy's
self-signed certificate. Without the proxy's virtualenv or a browser the
journey is skipped locally and fails in CI (CI=true).
"""

import os
import shutil
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.proxy_e2e import servers
from tests.support.browser import DEFAULT_TIMEOUT_MS, DESKTOP, NAVIGATION_TIMEOUT_MS

PEOPLE = Path(__file__).with_name("people.json")
# What README "On the DjaoDjin side" tells an operator to forward without a login.
PUBLIC_PREFIXES = ["/awards/", "/ob/", "/xapi/", "/i18n/", "/static/", "/media/"]
KEEP_WORKDIR = os.environ.get("PROXY_E2E_KEEP", "").lower() == "true"


def _missing(reason: str):
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true, so the proxy journey may not be skipped)", pytrace=False)
    pytest.skip(reason)


def _throwaway_database(workdir: Path):
    """A fresh database for the run: a SQLite file, or a new PostgreSQL database
    beside the suite's own when DATABASE_URL names PostgreSQL."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return f"sqlite:///{workdir / 'badgeapp.sqlite3'}", lambda: None
    import psycopg2

    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/') or 'badgeapp'}_proxy_e2e"[:63]
    admin = urlunsplit(parts._replace(path="/postgres"))

    def execute(sql: str) -> None:
        connection = psycopg2.connect(admin)
        connection.autocommit = True
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql)
        finally:
            connection.close()

    execute(f'DROP DATABASE IF EXISTS "{name}"')
    execute(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")
    return urlunsplit(parts._replace(path=f"/{name}")), lambda: execute(f'DROP DATABASE IF EXISTS "{name}"')


@pytest.fixture(scope="session")
def stack():
    if not (servers.PROXY_VENV / "bin" / "python").exists():
        _missing(f"The DjaoDjin proxy journey needs {servers.PROXY_VENV}: run `make djaodjin-proxy`.")
    if not shutil.which("openssl"):
        _missing("The DjaoDjin proxy journey needs openssl (the proxy's TLS certificate).")
    workdir = Path(tempfile.mkdtemp(prefix="badgeapp-proxy-e2e-"))
    database_url, drop_database = _throwaway_database(workdir)
    try:
        running = servers.start_stack(
            workdir=workdir, database_url=database_url, people_file=PEOPLE, public_prefixes=PUBLIC_PREFIXES
        )
    except Exception:
        drop_database()
        raise
    yield running
    servers.stop_stack(running)
    drop_database()
    if KEEP_WORKDIR:
        print(f"proxy journey logs kept in {workdir}")
    else:
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(params=["cookie", "jwt"])
def proxy(request, stack):
    """The stack, with the proxy forwarding sessions in this mode."""
    stack.configure_proxy(session_backend=request.param)
    stack.mode = request.param
    return stack


@pytest.fixture
def js_errors() -> list[str]:
    return []


@pytest.fixture
def new_page(browser, proxy, js_errors):
    """``new_page()``: a page in a fresh browser context (no cookies), on the proxy."""
    contexts = []

    def make(viewport=DESKTOP):
        context = browser.new_context(
            base_url=proxy.proxy.url, viewport=viewport, locale="en-GB", ignore_https_errors=True
        )
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda err: js_errors.append(f"{page.url}: {err}"))
        return page

    yield make
    for context in contexts:
        context.close()
