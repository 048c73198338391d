"""Attach the proxy identity to each request and refuse requests without one."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils.functional import SimpleLazyObject

from core.domain.identity import SessionIdentity


def is_public_path(path: str) -> bool:
    return any(path.startswith(str(prefix)) for prefix in settings.PUBLIC_PATH_PREFIXES)


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
            raise PermissionDenied("A valid DjaoDjin session is required.")
        return self.get_response(request)
