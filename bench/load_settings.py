"""Settings for the load benchmark only (bench/load.py): the app's own, plus a floor.

The floor is a view that answers "ok" through the same settings and middleware
as every page. It lives here, not in the app, so the app never grows a
benchmark route. Everything else is ``settings.base`` as production runs it,
read from the same environment.
"""

from settings.base import *  # noqa: F403

ROOT_URLCONF = "bench.load_urls"
# In place: DEPLOYUTILS["ALLOWED_NO_SESSION"] is this very list. The floor is
# public so it answers without a session; with a session cookie, the
# middleware still decodes it and reads the user, as on any page.
PUBLIC_PATH_PREFIXES += ["/bench/"]  # noqa: F405
