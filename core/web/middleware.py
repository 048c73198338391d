"""The request's way in: a size cap, the proxy session (guarded), the identity, the time zone.

Order matters (``settings.MIDDLEWARE``): the size cap answers before anything
reads a body, and the headers every page must carry (CSP, X-Frame-Options) are
set by middleware above the session check, so its 403 carries them too.
"""

from __future__ import annotations

import logging

from deployutils.apps.django_deployutils.backends.encrypted_cookies import (
    SessionStore as EncryptedCookieSessionStore,
)
from deployutils.apps.django_deployutils.backends.jwt_session_store import (
    SessionStore as JWTSessionStore,
)
from deployutils.apps.django_deployutils.middleware import SessionMiddleware
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from core.domain.identity import SessionIdentity
from core.lib.zones import time_zone_named
from core.web.views.errors import payload_too_large, permission_denied

logger = logging.getLogger(__name__)


def is_public_path(path: str) -> bool:
    return any(path.startswith(str(prefix)) for prefix in settings.PUBLIC_PATH_PREFIXES)


def no_session(request):
    """The answer to a request without a session: the styled 403, as behind the proxy.

    In development (``DEBUG`` with the mockup login) a page asked for with GET goes
    to the mockup login instead, as the proxy would send it to its own; the API
    keeps its 403.
    """
    if (
        settings.DEBUG
        and settings.MOCKUP_LOGIN
        and request.method in ("GET", "HEAD")
        and not request.path.startswith("/api/")
    ):
        return redirect_to_login(request.get_full_path(), reverse("login"))
    return permission_denied(request)


class RequestBodyLimitMiddleware:
    """413 for a request announcing a body larger than ``REQUEST_BODY_MAX_BYTES``.

    ``DATA_UPLOAD_MAX_MEMORY_SIZE`` only counts form fields: file parts are
    streamed to temporary files whatever their size, by whichever code first
    reads ``request.POST`` (the CSRF check does, on any POST with a CSRF
    cookie, before the view and its access check). Django reads no more than
    ``Content-Length`` announces (a chunked body without one reads as empty),
    so checking it here, before any other middleware, means an oversized body
    is never read at all.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads such a body as empty, too
        if length > settings.REQUEST_BODY_MAX_BYTES:
            return payload_too_large(request)
        return self.get_response(request)


class _GuardedLoad:
    """deployutils' session loading, for sessions that decrypt but are malformed.

    On the cookie path deployutils catches only IndexError, TypeError and
    ValueError: JSON nested too deep (RecursionError) or a value its user
    backend trips on escaped as a 500. Such a session is no session: the
    request goes on without one and gets the styled 403 outside public paths.
    """

    def load(self):
        try:
            return super().load()
        except (RecursionError, LookupError, AttributeError, TypeError, ValueError) as err:
            logger.warning(
                "A proxy session that decrypts but is malformed was refused (%s).", type(err).__name__
            )
            return {}


class GuardedCookieSessionStore(_GuardedLoad, EncryptedCookieSessionStore):
    pass


class GuardedJWTSessionStore(_GuardedLoad, JWTSessionStore):
    pass


class ProxySessionMiddleware(SessionMiddleware):
    """deployutils' session middleware, with guarded stores and a quiet, styled 403.

    deployutils raises PermissionDenied for a request without a session, which
    Django logs with a traceback: every anonymous request would fill the logs
    with one. The same 403 page is answered directly instead.
    """

    def check_jwt_session_store(self, request):
        header = request.META.get(self.JWT_HEADER_NAME, "")
        scheme, _, token = header.partition(" ")
        request.session = GuardedJWTSessionStore(token if scheme.lower() == self.JWT_SCHEME else None)
        return token if request.session._session else None

    def check_jwt_cookie(self, request):
        key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        request.session = GuardedJWTSessionStore(key)
        return key if request.session._session else None

    @staticmethod
    def check_encrypted_cookies(request):
        key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        request.session = GuardedCookieSessionStore(key)
        return key if request.session._session else None

    def process_request(self, request):
        try:
            return super().process_request(request)
        except PermissionDenied:
            return no_session(request)


def _identity_for(request) -> SessionIdentity:
    if not request.user.is_authenticated:
        return SessionIdentity()
    return SessionIdentity.from_session(request.session)


class ProxyIdentityMiddleware:
    """Sets ``request.identity`` (roles and organisations from the session).

    deployutils lets through a session that decodes but names no user (or
    names one it cannot authenticate) as an anonymous request; outside the
    public paths that is no session at all, so it gets the same 403.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.identity = SimpleLazyObject(lambda: _identity_for(request))
        if not request.user.is_authenticated and not is_public_path(request.path):
            return no_session(request)
        return self.get_response(request)


class TimeZoneMiddleware:
    """Show dates and times in the person's zone: the one their browser told us.

    ``core/static/core/timezone.js`` writes the browser's zone to a cookie
    (``settings.TIME_ZONE_COOKIE_NAME``); without it, or with a name that is no
    IANA zone, times are in the site's zone (``settings.TIME_ZONE``).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        zone = time_zone_named(request.COOKIES.get(settings.TIME_ZONE_COOKIE_NAME))
        if zone is None:
            timezone.deactivate()
        else:
            timezone.activate(zone)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
