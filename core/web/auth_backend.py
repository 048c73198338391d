"""The proxy's user backend, keeping each user current from their session."""

import logging
from collections.abc import Mapping
from contextvars import ContextVar

from deployutils.apps.django_deployutils.backends.auth import ProxyUserBackend
from django.contrib.auth.models import User

from core.domain.identity import SessionIdentity, is_valid_username, malformed_session_reason
from core.services.accounts import identity_sync, split_full_name

logger = logging.getLogger(__name__)

# What deployutils copies from the session into a new user, unchecked.
_PERSONAL_FIELDS = ("email", "full_name", "first_name", "last_name")


def _cleaned_for_deployutils(session: Mapping, identity: SessionIdentity) -> dict:
    """The session with its names and email as the identity read them: one line,
    short enough for their columns, an email that is valid or absent. deployutils
    would otherwise split a ``full_name`` that is not a string (an error) and
    store an email or a name too long for its column (an error on PostgreSQL)."""
    cleaned = {key: value for key, value in session.items() if key not in _PERSONAL_FIELDS}
    if identity.email:
        cleaned["email"] = identity.email
    if identity.full_name:
        cleaned["first_name"], cleaned["last_name"] = split_full_name(identity.full_name)
    return cleaned


# The user this request's session has just authenticated. Django's
# AuthenticationMiddleware asks ``get_user(id)`` for that same user right after
# the session decodes (deployutils stores its id in the session): handing the
# row over saves the request a second read of it. Every decoded session sets
# it before any ``get_user`` can run, so a value left by an earlier request
# is never the one used.
_authenticated: ContextVar[User | None] = ContextVar("proxy_authenticated_user", default=None)


class SessionSyncingProxyUserBackend(ProxyUserBackend):
    """deployutils copies email and names only when it creates a user.

    The session decoders call ``authenticate(request=session_dict, ...)`` on
    every request, so this is where a changed email, name or organisation
    reaches the database, cleaned first.
    """

    def authenticate(self, request, remote_user=None):
        _authenticated.set(None)
        if not is_valid_username(remote_user):
            # A session with a malformed username is treated as no session.
            return None
        if isinstance(request, Mapping) and (reason := malformed_session_reason(request)):
            logger.warning("A malformed proxy session was refused: %s.", reason)
            return None
        identity = SessionIdentity.from_session(request) if isinstance(request, Mapping) else None
        session = _cleaned_for_deployutils(request, identity) if identity is not None else request
        user = super().authenticate(session, remote_user=remote_user)
        if user is not None and identity is not None:
            created = getattr(user, "_created_from_session", False)
            identity_sync(user=user, identity=identity, created=created)
        _authenticated.set(user)
        return user

    def configure_user(self, request, user, created=True):
        # deployutils calls this once, for a user it has just created from a session.
        user._created_from_session = True
        return user

    def get_user(self, user_id):
        user = _authenticated.get()
        _authenticated.set(None)
        if user is not None and user.pk == user_id:
            return user if self.user_can_authenticate(user) else None
        return super().get_user(user_id)
