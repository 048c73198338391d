"""The proxy's user backend, keeping each user current from their session."""

from collections.abc import Mapping
from contextvars import ContextVar

from deployutils.apps.django_deployutils.backends.auth import ProxyUserBackend
from django.contrib.auth.models import User

from core.domain.identity import SessionIdentity, is_valid_username
from core.services.accounts import identity_sync

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
    reaches the database.
    """

    def authenticate(self, request, remote_user=None):
        _authenticated.set(None)
        if not is_valid_username(remote_user):
            # A session with a malformed username is treated as no session.
            return None
        user = super().authenticate(request, remote_user=remote_user)
        if user is not None and isinstance(request, Mapping):
            identity_sync(user=user, identity=SessionIdentity.from_session(request))
        _authenticated.set(user)
        return user

    def get_user(self, user_id):
        user = _authenticated.get()
        _authenticated.set(None)
        if user is not None and user.pk == user_id:
            return user if self.user_can_authenticate(user) else None
        return super().get_user(user_id)
