"""A DjaoDjin proxy site for the end-to-end journey, built like djaoapp.

djaodjin-rules forwards requests and encodes the session (cookie or JWT),
djaodjin-saas holds organisations and roles, djaodjin-signup signs people in
and out. Everything that varies per run comes from the environment:

- ``PROXY_DATABASE``: the SQLite file (``manage.py migrate`` then ``proxy_setup``);
- ``PROXY_SECRET_KEY``: the proxy's own Django secret (not the shared key: that
  one is the rules ``App``'s ``enc_key``, set by ``proxy_setup``).
"""

import os
from pathlib import Path

import django.utils.encoding

# signup's migrations import django-fernet-fields (its encrypted field for
# one-time-password keys), which still imports Django 3's ``force_text``.
if not hasattr(django.utils.encoding, "force_text"):
    django.utils.encoding.force_text = django.utils.encoding.force_str

BASE_DIR = Path(__file__).resolve().parent

SECRET_KEY = os.environ["PROXY_SECRET_KEY"]
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

INSTALLED_APPS = [
    "proxysite",  # first: its base.html frames signup's login page
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "rest_framework",
    "saas",
    "signup",
    "rules",
]

MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # djaoapp's CSRF middleware: the proxy leaves the CSRF check of a
    # forwarded request to the application that handles it.
    "rules.middleware.RulesMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]

ROOT_URLCONF = "proxysite.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.environ["PROXY_DATABASE"]}}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
USE_TZ = True
TIME_ZONE = "UTC"
LANGUAGE_CODE = "en-us"

# The proxy's own session (who is signed in at the proxy). The cookie has the
# name the app expects its forwarded session under, as on djaodjin.com: in
# cookie mode rules replaces its value by the encrypted session; in JWT mode the
# browser's opaque key is forwarded as it is, beside the Bearer token.
SESSION_COOKIE_NAME = "sessionid"
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
LOGIN_URL = "/login/"
# djaoapp sends a login without ?next= to the application's entry page.
LOGIN_REDIRECT_URL = "/app/"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DEFAULT_FROM_EMAIL = "proxy@localhost"

DEPLOYUTILS = {"SESSION_COOKIE_NAME": SESSION_COOKIE_NAME}

RULES = {
    "ACCOUNT_MODEL": "saas.Organization",
    # djaoapp's session: username, roles, site, last_visited, ... (serializers.py)
    "SESSION_SERIALIZER": "proxysite.serializers.SessionSerializer",
    # Rule 0: anyone; rule 1: an authenticated user (djaoapp has more,
    # role-based ones; the app checks roles itself).
    "RULE_OPERATORS": ("", "rules.settings.fail_authenticated"),
    "TIMEOUT": 30,
}

# Swappable models saas' migrations name by setting.
SAAS_ORGANIZATION_MODEL = "saas.Organization"
SAAS_ROLE_MODEL = "saas.Role"
SAAS = {"BROKER": {"GET_INSTANCE": "proxy-broker"}}
SIGNUP = {
    "DISABLED_REGISTRATION": True,
    "REQUIRES_RECAPTCHA": False,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("PROXY_LOG_LEVEL", "WARNING")},
}
