"""``POST /xapi/statements``: an LMS or an LRS's forwarding sends statements as they happen.

It answers like an LRS's Statement API (xAPI-Communication 2.1.2): 200 with the list
of statement ids, in the order sent (ids it had to assign included). One invalid
statement refuses the whole request with a 400 naming the statement, the field and the
problem, and nothing of that request is stored.

Authenticated with HTTP Basic against ``XAPI_INBOUND_USERNAME`` / ``XAPI_INBOUND_PASSWORD``
(no proxy session: the path is one of the public prefixes, these credentials protect
it), and throttled: per client address before authentication (guessing passwords),
per credential after.
"""

from __future__ import annotations

import base64
import binascii
import hmac

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.authentication import BaseAuthentication
from rest_framework.parsers import JSONParser
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from core.api.errors import ApiError
from core.models.learning import StatementSource
from core.services.learning import StatementsRejected, statements_ingest

XAPI_VERSION = "1.0.3"
NOT_CONFIGURED = _(
    "This server does not accept statements: XAPI_INBOUND_USERNAME and XAPI_INBOUND_PASSWORD are not set."
)
BAD_CREDENTIALS = _("Wrong or missing HTTP Basic credentials.")
BAD_VERSION = _("X-Experience-API-Version must be 1.0.x.")


class XapiClient:
    """Who sent the statements: the one inbound credential (not a person)."""

    is_authenticated = True

    def __init__(self, username: str) -> None:
        self.username = username


class XapiBasicAuthentication(BaseAuthentication):
    def authenticate(self, request):
        username, password = settings.XAPI_INBOUND_USERNAME, settings.XAPI_INBOUND_PASSWORD
        if not (username and password):
            raise exceptions.NotFound(NOT_CONFIGURED)
        header = request.META.get("HTTP_AUTHORIZATION", "")
        scheme, _space, encoded = header.partition(" ")
        if scheme.lower() != "basic":
            raise exceptions.AuthenticationFailed(BAD_CREDENTIALS)
        try:
            given_user, _colon, given_password = (
                base64.b64decode(encoded, validate=True).decode().partition(":")
            )
        except (binascii.Error, UnicodeDecodeError):
            raise exceptions.AuthenticationFailed(BAD_CREDENTIALS) from None
        # Both compared, always, in constant time: the answer says nothing about which was wrong.
        user_ok = hmac.compare_digest(given_user.encode(), username.encode())
        password_ok = hmac.compare_digest(given_password.encode(), password.encode())
        if not (user_ok and password_ok):
            raise exceptions.AuthenticationFailed(BAD_CREDENTIALS)
        return XapiClient(username), None

    def authenticate_header(self, request):
        return 'Basic realm="xapi"'


class IsXapiClient(BasePermission):
    def has_permission(self, request, view):
        return isinstance(request.user, XapiClient)


class XapiFailedLoginThrottle(SimpleRateThrottle):
    """Wrong credentials per client address: a password guesser is stopped, a busy LMS is not.

    Only failures are counted (``record_failure``); checking does not count.
    """

    scope = "xapi_failures"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        self.now = self.timer()
        self.history = [
            moment for moment in self.cache.get(self.key, []) if moment > self.now - self.duration
        ]
        return len(self.history) < self.num_requests

    def record_failure(self) -> None:
        if self.rate is not None:
            self.history.insert(0, self.now)
            self.cache.set(self.key, self.history, self.duration)


class XapiClientThrottle(SimpleRateThrottle):
    """Requests per inbound credential."""

    scope = "xapi_client"

    def get_cache_key(self, request, view):
        user = getattr(request, "user", None)
        if not isinstance(user, XapiClient):
            return None
        return self.cache_format % {"scope": self.scope, "ident": user.username}


class StatementsView(APIView):
    authentication_classes = [XapiBasicAuthentication]
    permission_classes = [IsXapiClient]
    parser_classes = [JSONParser]
    throttle_classes = [XapiClientThrottle]

    def initial(self, request, *args, **kwargs):
        # DRF checks credentials before its throttles: failed logins are counted here.
        failures = XapiFailedLoginThrottle()
        if not failures.allow_request(request, self):
            self.throttled(request, failures.wait())
        try:
            super().initial(request, *args, **kwargs)
        except exceptions.AuthenticationFailed:
            failures.record_failure()
            raise

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["X-Experience-API-Version"] = XAPI_VERSION
        return response

    @extend_schema(
        request={
            "application/json": {
                "oneOf": [{"type": "object"}, {"type": "array", "items": {"type": "object"}}]
            }
        },
        responses={
            200: OpenApiResponse(description="The statements' ids, in the order sent."),
            400: OpenApiResponse(description="A statement is invalid; nothing was stored."),
            401: OpenApiResponse(description="Wrong or missing HTTP Basic credentials."),
        },
    )
    def post(self, request):
        version = request.META.get("HTTP_X_EXPERIENCE_API_VERSION")
        if version is not None and not version.startswith("1.0"):
            raise ApiError(str(BAD_VERSION), {"code": "version"})
        try:
            result = statements_ingest(data=request.data, source=StatementSource.PUSH)
        except StatementsRejected as rejected:
            raise ApiError(
                rejected.message,
                {"statement": rejected.index, "field": rejected.field, "code": rejected.code},
            ) from rejected
        return Response(result.ids, status=status.HTTP_200_OK)
