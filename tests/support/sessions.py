"""Mint DjaoDjin sessions exactly as the proxy does, with deployutils' own code."""

import copy
from datetime import timedelta

from deployutils.apps.django_deployutils.backends import jwt_session_store
from deployutils.apps.django_deployutils.backends.encrypted_cookies import (
    SessionStore as CookieSessionStore,
)
from deployutils.helpers import datetime_or_now
from django.conf import settings


def mint_cookie(session: dict, passphrase: str | None = None) -> str:
    """The encrypted cookie value (AES-256-CBC, OpenSSL ``Salted__`` format)."""
    return CookieSessionStore.prepare(copy.deepcopy(session), passphrase or settings.DJAODJIN_SECRET_KEY)


def mint_jwt(session: dict, passphrase: str | None = None, issued_ago: timedelta | None = None) -> str:
    """The ``Authorization: Bearer`` token (HS256, expires two hours after issue).

    ``issued_ago`` shifts the proxy's clock back, to mint an expired token
    through the same code path.
    """
    original = jwt_session_store.datetime_or_now
    if issued_ago is not None:
        jwt_session_store.datetime_or_now = lambda: datetime_or_now() - issued_ago
    try:
        return jwt_session_store.SessionStore.prepare(
            copy.deepcopy(session), passphrase or settings.DJAODJIN_SECRET_KEY
        )
    finally:
        jwt_session_store.datetime_or_now = original
