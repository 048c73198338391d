"""Mint DjaoDjin sessions exactly as the proxy does, with deployutils' own code."""

import copy
from datetime import timedelta

import jwt
from deployutils import crypt
from deployutils.apps.django_deployutils import settings as dj_settings
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


def mint_cookie_from_json(text: str, passphrase: str | None = None) -> str:
    """A cookie holding ``text`` as its JSON, encrypted by deployutils' ``crypt.encrypt``
    as ``prepare`` does: for sessions ``json.dumps`` cannot write (nested 2,000 deep)."""
    encrypted = crypt.encrypt(text, passphrase=passphrase or settings.DJAODJIN_SECRET_KEY)
    return encrypted.decode("ascii") if isinstance(encrypted, bytes) else encrypted


def mint_jwt_from_json(text: str, passphrase: str | None = None) -> str:
    """A Bearer token whose payload is ``text``, signed HS256 as the proxy signs."""
    return jwt.api_jws.encode(
        text.encode(), passphrase or settings.DJAODJIN_SECRET_KEY, algorithm=dj_settings.JWT_ALGORITHM
    )
