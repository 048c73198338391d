"""OpenAPI description of the proxy's two ways of carrying the session."""

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ProxySessionScheme(OpenApiAuthenticationExtension):
    target_class = "core.api.authentication.ProxySessionAuthentication"
    name = ["proxyCookie", "proxyJWT"]

    def get_security_requirement(self, auto_schema):
        # Either one (OR), not both.
        return [{"proxyCookie": []}, {"proxyJWT": []}]

    def get_security_definition(self, auto_schema):
        return [
            {"type": "apiKey", "in": "cookie", "name": settings.SESSION_COOKIE_NAME},
            {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
        ]


class XapiBasicScheme(OpenApiAuthenticationExtension):
    """``POST /xapi/statements``: HTTP Basic with ``XAPI_INBOUND_USERNAME`` / ``XAPI_INBOUND_PASSWORD``."""

    target_class = "core.api.xapi.XapiBasicAuthentication"
    name = "xapiBasic"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "basic"}
