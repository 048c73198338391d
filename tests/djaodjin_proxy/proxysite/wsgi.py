"""The test proxy's WSGI application, behind its own TLS (gunicorn --certfile).

A djaoapp deployment sits behind a TLS front (nginx) that sets
``X-Forwarded-Proto: https``; rules passes the request's headers on to the
app, so the app sees it. This wrapper plays that front: it adds the header to
requests that came in over TLS, unless ``PROXY_FORWARDED_PROTO=false`` (then
the app sees what djaoapp alone sends: no ``X-Forwarded-Proto``).
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proxysite.settings")

_django = get_wsgi_application()
_FRONT_SETS_PROTO = os.environ.get("PROXY_FORWARDED_PROTO", "true").lower() == "true"


def application(environ, start_response):
    if _FRONT_SETS_PROTO and environ.get("wsgi.url_scheme") == "https":
        environ.setdefault("HTTP_X_FORWARDED_PROTO", "https")
    return _django(environ, start_response)
