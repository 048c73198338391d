from deployutils.apps.django_deployutils.backends.jwt_session_store import (
    SessionStore as JWTSessionStore,
)
from rest_framework.authentication import SessionAuthentication


class ProxySessionAuthentication(SessionAuthentication):
    """The proxy session, decoded by deployutils' middleware, as DRF's user.

    A cookie is sent by the browser on its own, so it needs the CSRF check.
    A ``Authorization: Bearer`` JWT is added deliberately by the caller and
    cannot be forged cross-site: no CSRF token is asked for then.
    """

    def enforce_csrf(self, request):
        if isinstance(getattr(request._request, "session", None), JWTSessionStore):
            return
        super().enforce_csrf(request)

    def authenticate_header(self, request):
        # Gives 401 rather than 403 to a request without credentials.
        return 'Bearer realm="api"'
