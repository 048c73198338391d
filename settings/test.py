"""Settings for the test suite: production mode (DEBUG off), fixed secrets.

Only DATABASE_URL comes from the environment, so the same suite runs on
SQLite and on PostgreSQL.
"""

import os
import tempfile

os.environ["DJANGO_DEBUG"] = "false"
os.environ["DJANGO_SECRET_KEY"] = "test-only-secret-key-for-the-suite-0123456789abcdefghijklmnop"
os.environ["DJAODJIN_SECRET_KEY"] = "test-only-djaodjin-shared-secret-0123456789"
os.environ["DJANGO_HTTPS"] = "false"
os.environ["BADGEAPP_MOCKUP_LOGIN"] = "false"  # refused in production mode; turned on below
os.environ["BADGEAPP_BASE_URL"] = "https://badges.example.com"
os.environ["ALLOWED_HOSTS"] = "testserver,localhost,127.0.0.1"
os.environ["BADGEAPP_MEDIA_ROOT"] = tempfile.mkdtemp(prefix="badgeapp-test-media-")

from settings.base import *  # noqa: F403

# The suite drives the mockup login page too (the e2e tests sign in with it),
# while everything else runs in production mode.
MOCKUP_LOGIN = True
PUBLIC_PATH_PREFIXES += ["/login/", "/logout/"]  # noqa: F405 (the list deployutils reads)

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
# Serve static files from the apps' folders, as collectstatic would have.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
