"""Settings for the test suite: production mode (DEBUG off), fixed secrets.

Only DATABASE_URL (and the tools' paths) come from the environment, so the same
suite runs on SQLite and on PostgreSQL. The values below are read by
``settings.base`` instead of the environment's, without writing ``os.environ``:
servers the tests start in subprocesses get their own, explicit environment.
Each test's uploaded files go to a temporary folder of its own
(``tests/conftest.py``), removed after it.
"""

import atexit
import shutil
import tempfile

from core.domain.credentials.keys import generate_secret
from settings import env

# The run's private files (awards exports) in a temporary folder, removed when it ends.
_PRIVATE_ROOT = tempfile.mkdtemp(prefix="badgeapp-test-private-")
atexit.register(shutil.rmtree, _PRIVATE_ROOT, ignore_errors=True)

env.override(
    {
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "test-only-secret-key-for-the-suite-0123456789abcdefghijklmnop",
        "DJAODJIN_SECRET_KEY": "test-only-djaodjin-shared-secret-0123456789",
        "DJANGO_HTTPS": "false",
        "BADGEAPP_MOCKUP_LOGIN": "false",  # refused in production mode; turned on below
        "BADGEAPP_BASE_URL": "https://badges.example.com",
        "ALLOWED_HOSTS": "testserver,localhost,127.0.0.1",
        # A new Open Badges 3.0 key for each run: no key is ever committed.
        "OB3_SIGNING_KEY": generate_secret(),
        "BADGEAPP_PRIVATE_ROOT": _PRIVATE_ROOT,
    }
)

from settings.base import *  # noqa: E402, F403

# The suite drives the mockup login page too (the e2e tests sign in with it),
# while everything else runs in production mode.
MOCKUP_LOGIN = True
PUBLIC_PATH_PREFIXES += ["/login/", "/logout/"]  # noqa: F405 (the list deployutils reads)

# Tasks run as they are enqueued (services enqueue on commit), so a test sees their
# effect; tests of the queue itself use the database backend explicitly.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
# Serve static files from the apps' folders, as collectstatic would have.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
