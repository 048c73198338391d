"""Test personas, built from the shipped mockup sessions.

alice manages "cowork"; bob is her teammate (contributor, manages nothing);
hana manages "snakeoil" (an outsider to cowork, with an emoji in its name);
xia has only a personal profile.
"""

import shutil
import tempfile
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client, override_settings

from core.domain.mockups import load_mockup_sessions
from tests.support.sessions import mint_cookie, mint_jwt

# The foreign Open Badges issuers (``fake_issuer``, ``other_host``; 3.0) for the import tests;
# a local SMTP server; a real Learning Record Store (``ralph_lrs``, ``start_ralph``); the one
# Chromium of the end-to-end tests (``browser``, ``shot``).
pytest_plugins = [
    "tests.support.fake_issuer",
    "tests.support.fake_ob3_issuer",
    "tests.support.smtp",
    "tests.support.ralph",
    "tests.support.browser",
]


# The browser tests, one after another in one pytest-xdist worker (``make test``:
# ``-n 2 --dist loadgroup``) while the other tests fill the rest: two live servers, two
# Chromiums and the proxy's stack at once would only make each of them wait for the CPU.
BROWSER_TESTS = ("tests/e2e/", "tests/proxy_e2e/")


def pytest_xdist_make_scheduler(config, log):
    """xdist's own ``xdist_group`` marks do not group under pytest 9 (xdist 3.8 renames
    ``item._nodeid``, which pytest 9 no longer reads), so the lane is drawn by path."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class BrowserLane(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return "browser" if nodeid.startswith(BROWSER_TESTS) else nodeid

    return BrowserLane(config, log)


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache, as its database starts empty."""
    cache.clear()


@pytest.fixture(autouse=True)
def media_root(request):
    """Each test's uploads in a temporary folder of its own, removed after it.

    Tests of a module that shares the demo data (``demo``) use that module's folder.
    """
    if "demo" in request.fixturenames:
        yield Path(settings.MEDIA_ROOT)
        return
    folder = Path(tempfile.mkdtemp(prefix="badgeapp-test-media-"))
    try:
        with override_settings(MEDIA_ROOT=folder):
            yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo data (``seed_demo``), built once for the tests of a module.

    It is committed, so each test's own changes still roll back (use ``db``)
    while the demo stays; it is removed, files included, when the module ends.
    """
    folder = Path(tempfile.mkdtemp(prefix="badgeapp-test-demo-media-"))
    with override_settings(MEDIA_ROOT=folder), django_db_blocker.unblock():
        out = StringIO()
        call_command("seed_demo", stdout=out)
        try:
            yield out.getvalue()  # what seed_demo reported
        finally:
            call_command("flush", interactive=False, verbosity=0)
            shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def sessions() -> dict[str, dict]:
    return load_mockup_sessions()


def client_with_cookie(cookie: str) -> Client:
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = cookie
    return client


@pytest.fixture
def client_as(sessions, db):
    """``client_as("alice")``: a client carrying alice's proxy cookie."""

    def make(persona: str, **overrides) -> Client:
        return client_with_cookie(mint_cookie({**sessions[persona], **overrides}))

    return make


@pytest.fixture
def jwt_client_as(sessions, db):
    """A client that sends the session as the proxy's Bearer JWT."""

    def make(persona: str, **overrides) -> Client:
        token = mint_jwt({**sessions[persona], **overrides})
        return Client(headers={"Authorization": f"Bearer {token}"})

    return make


@pytest.fixture
def alice(client_as):
    return client_as("alice")


@pytest.fixture
def bob(client_as):
    return client_as("bob")


@pytest.fixture
def hana(client_as):
    return client_as("hana")


@pytest.fixture
def xia(client_as):
    return client_as("xia")


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed():`` runs what a request queued on commit (a test's transaction never
    commits), such as an import's background check, which the suite runs at once."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
