"""The proxy's user backend, keeping each user current from their session."""

from collections.abc import Mapping

from deployutils.apps.django_deployutils.backends.auth import ProxyUserBackend

from core.domain.identity import SessionIdentity, is_valid_username
from core.services.accounts import identity_sync


class SessionSyncingProxyUserBackend(ProxyUserBackend):
    """deployutils copies email and names only when it creates a user.

    The session decoders call ``authenticate(request=session_dict, ...)`` on
    every request, so this is where a changed email, name or organisation
    reaches the database.
    """

    def authenticate(self, request, remote_user=None):
        if not is_valid_username(remote_user):
            # A session with a malformed username is treated as no session.
            return None
        user = super().authenticate(request, remote_user=remote_user)
        if user is not None and isinstance(request, Mapping):
            identity_sync(user=user, identity=SessionIdentity.from_session(request))
        return user
