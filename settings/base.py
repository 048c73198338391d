"""Settings shared by every environment, read from the environment.

Production mode is the default: set ``DJANGO_DEBUG=true`` for development.
In production mode the app refuses to start without real secrets.
"""

import ipaddress
import zoneinfo
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from settings.database import database_config
from settings.env import dev_host, env_bool, env_int, env_list, env_str, weak_secret_reason
from settings.signing import check_keys, signing_key

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", False)

# Development defaults: good enough on a laptop, refused in production below.
DEV_SECRET_KEY = "dev-only-insecure-secret-key-do-not-use-in-production-0123456789"
DEV_DJAODJIN_SECRET_KEY = "dev-only-djaodjin-secret-key"

SECRET_KEY = env_str("DJANGO_SECRET_KEY") or (DEV_SECRET_KEY if DEBUG else "")
DJAODJIN_SECRET_KEY = env_str("DJAODJIN_SECRET_KEY") or (DEV_DJAODJIN_SECRET_KEY if DEBUG else "")

if not DEBUG:
    for _name, _value, _default in (
        ("DJANGO_SECRET_KEY", SECRET_KEY, DEV_SECRET_KEY),
        ("DJAODJIN_SECRET_KEY", DJAODJIN_SECRET_KEY, DEV_DJAODJIN_SECRET_KEY),
    ):
        if not _value or _value == _default:
            raise ImproperlyConfigured(
                f"{_name} must be set to a secret value in production mode "
                "(or set DJANGO_DEBUG=true for development)."
            )
    if _weakness := weak_secret_reason(DJAODJIN_SECRET_KEY):
        raise ImproperlyConfigured(f"DJAODJIN_SECRET_KEY is refused in production mode: {_weakness}.")
    if env_bool("DEPLOYUTILS_DEBUG_LOG", False):
        raise ImproperlyConfigured(
            "DEPLOYUTILS_DEBUG_LOG prints the shared key and every decrypted session: "
            "it is for development only (DJANGO_DEBUG=true)."
        )

# Development: the address ``make run HOST=...`` serves (the Makefile passes it on),
# so links, Open Badges ids and emails point where the server is.
_DEV_BASE_URL, _DEV_HOST_NAME = dev_host(env_str("BADGEAPP_DEV_HOST")) if DEBUG else ("", "")
ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", list(dict.fromkeys(["127.0.0.1", "localhost", "[::1]", _DEV_HOST_NAME])) if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Public origin used for absolute links (emails, Open Badges ids). Never the
# request's Host header: ids must be stable whichever host served the request.
BADGEAPP_BASE_URL = env_str("BADGEAPP_BASE_URL", _DEV_BASE_URL).rstrip("/")
if not DEBUG and not BADGEAPP_BASE_URL.startswith("https://"):
    raise ImproperlyConfigured(
        "BADGEAPP_BASE_URL must be the app's public https origin in production mode "
        "(e.g. https://badges.example.com): emails and Open Badges ids are built from it."
    )

# Open Badges 3.0: the Ed25519 key that signs every credential (Multikey
# secretKeyMultibase, "z3u2..."), from OB3_SIGNING_KEY or a mounted file, and the
# public halves ("z6Mk...") of the keys it replaced, which the DID documents keep
# listing so that what they signed keeps verifying (README: Open Badges 3.0).
OB3_SIGNING_KEY = signing_key(
    key=env_str("OB3_SIGNING_KEY"),
    key_file=env_str("OB3_SIGNING_KEY_FILE"),
    dev_key_file=BASE_DIR / ".ob3-signing-key" if DEBUG else None,
)
OB3_RETIRED_KEYS = env_str("OB3_RETIRED_KEYS")
check_keys(OB3_SIGNING_KEY, OB3_RETIRED_KEYS)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    # deployutils' session engine builds on contrib.sessions; it must stay installed.
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",  # numbers in the reader's locale (intcomma)
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",  # its widget templates, for the project's form renderer
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "deployutils.apps.django_deployutils",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "core",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # First, so every answer below carries these headers, the session's 403 included.
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # 413 before anything reads the body (the CSRF check would, even for a stranger).
    "core.web.middleware.RequestBodyLimitMiddleware",
    # Static files are answered here, before the session check.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The language (the person's choice in a cookie, else Accept-Language, else the
    # site's) and time zone are chosen before the proxy session is checked: the 403
    # that deployutils raises for a request without a session is then in the
    # visitor's language too. Neither reads the session, which cannot be written.
    "django.middleware.locale.LocaleMiddleware",
    "core.web.middleware.TimeZoneMiddleware",
    # deployutils' session middleware, guarded against malformed sessions.
    "core.web.middleware.ProxySessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.web.middleware.ProxyIdentityMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]

ROOT_URLCONF = "badgeapp.urls"
WSGI_APPLICATION = "badgeapp.wsgi.application"
ASGI_APPLICATION = "badgeapp.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "core.web.context_processors.site",
            ],
        },
    },
]

# Forms render through the project's templates (templates/forms/, templates/django/forms/).
FORM_RENDERER = "core.web.forms.base.FormRenderer"

DATABASES = {
    "default": database_config(
        env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- The DjaoDjin proxy session -------------------------------------------
AUTHENTICATION_BACKENDS = ["core.web.auth_backend.SessionSyncingProxyUserBackend"]
SESSION_ENGINE = "deployutils.apps.django_deployutils.backends.encrypted_cookies"
SESSION_COOKIE_NAME = env_str("SESSION_COOKIE_NAME", "sessionid")
# deployutils keeps the session in the cookie: writes to request.session are
# not kept, so flash messages travel in their own cookie.
MESSAGE_STORAGE = "django.contrib.messages.storage.cookie.CookieStorage"

# Development only: /login/ lets a developer pick a mockup user (mockups/*.json)
# and signs a session with the shared key, so it is refused in production.
MOCKUP_LOGIN = env_bool("BADGEAPP_MOCKUP_LOGIN", DEBUG)
if MOCKUP_LOGIN and not DEBUG:
    raise ImproperlyConfigured("BADGEAPP_MOCKUP_LOGIN is for development: it needs DJANGO_DEBUG=true.")
MOCKUPS_DIR = Path(env_str("BADGEAPP_MOCKUPS_DIR", str(BASE_DIR / "mockups")))
# Production sign-out: the proxy ends its session there (djaodjin-signup's
# /logout/). The header links it; the proxy may also fill the element marked
# data-dj-menubar-user-item with its own user menu.
DJAODJIN_LOGOUT_URL = env_str("DJAODJIN_LOGOUT_URL", "/logout/")

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
# Uploaded badge images are public: they are in every shared award.
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("BADGEAPP_MEDIA_ROOT", str(BASE_DIR / "media")))
# Files only their managers may download (the awards exports), served by the app after
# an access check: never under MEDIA_ROOT. Web servers and workers must share it.
PRIVATE_ROOT = Path(env_str("BADGEAPP_PRIVATE_ROOT", str(BASE_DIR / "private")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "exports": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_ROOT / "exports", "base_url": "/no-public-url/"},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Paths that answer without a proxy session. deployutils matches prefixes, so
# never list "/". Later features append their public prefixes here.
PUBLIC_PATH_PREFIXES = [
    STATIC_URL,
    MEDIA_URL,
    "/favicon.ico",
    "/awards/",  # an award's public page, and its baked images
    "/ob/",  # hosted Open Badges JSON-LD
    "/i18n/",  # the language switcher, on public pages too
]
if MOCKUP_LOGIN:
    PUBLIC_PATH_PREFIXES += ["/login/", "/logout/"]

DEPLOYUTILS = {
    "DJAODJIN_SECRET_KEY": DJAODJIN_SECRET_KEY,
    "SESSION_COOKIE_NAME": SESSION_COOKIE_NAME,
    "ALLOWED_NO_SESSION": PUBLIC_PATH_PREFIXES,
}

# --- Badges -----------------------------------------------------------------
BADGE_IMAGE_MAX_BYTES = env_int("BADGE_IMAGE_MAX_BYTES", 512 * 1024)
AWARD_BATCH_MAX_RECIPIENTS = env_int("AWARD_BATCH_MAX_RECIPIENTS", 5000)

# --- Request bodies -------------------------------------------------------------
# The largest legitimate request is a 2 MB recipients CSV or imported badge image
# with its form: 4 MB leaves room for it. Bigger bodies get a 413 unread
# (core.web.middleware.RequestBodyLimitMiddleware). Uploads under the limit stay in
# memory: nothing a request sends is written to disk.
REQUEST_BODY_MAX_BYTES = env_int("REQUEST_BODY_MAX_BYTES", 4 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = REQUEST_BODY_MAX_BYTES
DATA_UPLOAD_MAX_MEMORY_SIZE = REQUEST_BODY_MAX_BYTES

# --- Cache: throttles -------------------------------------------------------------
# Local memory by default: each process counts on its own, so with several
# processes a client gets that many times the limit. Set CACHE_URL to a shared
# cache (redis://host:6379/0) when several processes or hosts serve the app.
CACHE_URL = env_str("CACHE_URL")
if CACHE_URL and not CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured(f"CACHE_URL must be a redis:// URL, not {CACHE_URL!r}.")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "badgeapp"}
    )
}
# The public "does this award belong to this email?" check: per client address and
# per award, checks a minute. The address is REMOTE_ADDR unless CLIENT_IP_HEADER
# names the header where the proxy in front writes the client's (its last entry).
EMAIL_CHECK_PER_CLIENT_PER_MINUTE = env_int("EMAIL_CHECK_PER_CLIENT_PER_MINUTE", 10)
EMAIL_CHECK_PER_AWARD_PER_MINUTE = env_int("EMAIL_CHECK_PER_AWARD_PER_MINUTE", 20)
CLIENT_IP_HEADER = env_str("CLIENT_IP_HEADER")  # e.g. HTTP_X_FORWARDED_FOR

# --- Open Badges: fetching other issuers' badges (imports) ---------------------
# Outbound requests are bounded; private, loopback and link-local addresses are
# refused unless allowed (the tests allow them for their local fake issuer).
OPENBADGES_ALLOW_PRIVATE_FETCH = env_bool("OPENBADGES_ALLOW_PRIVATE_FETCH", False)
if OPENBADGES_ALLOW_PRIVATE_FETCH and not DEBUG:  # an intranet issuer: OPENBADGES_FETCH_ALLOWED_NETWORKS
    raise ImproperlyConfigured(
        "OPENBADGES_ALLOW_PRIVATE_FETCH opens the fetcher to this network: development only. "
        "In production allow an issuer's network with OPENBADGES_FETCH_ALLOWED_NETWORKS."
    )
# Development only (``make run`` turns it on): fetch from this machine's loopback
# addresses, so the demo issuer the development server hosts can be imported.
OPENBADGES_FETCH_LOOPBACK = env_bool("OPENBADGES_FETCH_LOOPBACK", False)
if OPENBADGES_FETCH_LOOPBACK and not DEBUG:
    raise ImproperlyConfigured("OPENBADGES_FETCH_LOOPBACK is for development: it needs DJANGO_DEBUG=true.")
OPENBADGES_FETCH_TIMEOUT = env_int("OPENBADGES_FETCH_TIMEOUT", 5)  # seconds, per connect or read
# Seconds for one whole import or re-check: every fetch, redirect and body read together.
OPENBADGES_FETCH_TOTAL_TIMEOUT = env_int("OPENBADGES_FETCH_TOTAL_TIMEOUT", 15)
# Ports fetched on public addresses, e.g. "80,443,8443". Addresses allowed by
# OPENBADGES_ALLOW_PRIVATE_FETCH or OPENBADGES_FETCH_ALLOWED_NETWORKS may use any port.
# did:web documents of Open Badges 3.0 issuers are fetched over https, as the method
# requires; development may allow http to import what a local server issued.
OB3_DID_WEB_HTTP = env_bool("OB3_DID_WEB_HTTP", False)
if OB3_DID_WEB_HTTP and not DEBUG:
    raise ImproperlyConfigured("OB3_DID_WEB_HTTP is for development: it needs DJANGO_DEBUG=true.")
OPENBADGES_FETCH_ALLOWED_PORTS = env_list("OPENBADGES_FETCH_ALLOWED_PORTS", ["80", "443"])
if not all(_port.isdigit() for _port in OPENBADGES_FETCH_ALLOWED_PORTS):
    raise ImproperlyConfigured(
        f"OPENBADGES_FETCH_ALLOWED_PORTS: {OPENBADGES_FETCH_ALLOWED_PORTS!r} are not port numbers (80,443)."
    )
OPENBADGES_FETCH_ALLOWED_PORTS = [int(_port) for _port in OPENBADGES_FETCH_ALLOWED_PORTS]
OPENBADGES_FETCH_MAX_BYTES = env_int("OPENBADGES_FETCH_MAX_BYTES", 2 * 1024 * 1024)
OPENBADGES_FETCH_MAX_REDIRECTS = env_int("OPENBADGES_FETCH_MAX_REDIRECTS", 3)
# e.g. "10.20.0.0/16,192.168.4.7": private networks where a trusted issuer lives.
OPENBADGES_FETCH_ALLOWED_NETWORKS = env_list("OPENBADGES_FETCH_ALLOWED_NETWORKS", [])
for _network in OPENBADGES_FETCH_ALLOWED_NETWORKS:
    try:
        ipaddress.ip_network(_network, strict=False)
    except ValueError as _err:
        raise ImproperlyConfigured(
            f"OPENBADGES_FETCH_ALLOWED_NETWORKS: {_network!r} is not an IP network (e.g. 10.0.0.0/8)."
        ) from _err

# Imports run in the background (core.services.imports): at most this many in flight
# per person, this many asked for per minute, and a pending one shown as failed (and
# retryable) once queued this long ago without an outcome.
IMPORTS_IN_FLIGHT_MAX = env_int("IMPORTS_IN_FLIGHT_MAX", 2)
IMPORTS_PER_MINUTE = env_int("IMPORTS_PER_MINUTE", 6)
IMPORT_STALE_SECONDS = env_int("IMPORT_STALE_SECONDS", 300)

# --- Background work ----------------------------------------------------------
# Django's tasks API (the django-tasks backport of Django 6's django.tasks), with
# its queue in our own database: nothing more to run on a laptop, and workers on
# several hosts share PostgreSQL. Work with `manage.py db_worker` (see README).
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# --- API --------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["core.api.authentication.ProxySessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "core.api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "badgeapp API",
    "DESCRIPTION": "Design, award, verify and share digital badges.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    # Swagger UI would otherwise send the schema's URL to validator.swagger.io. Deep links
    # would put a link inside each operation's toggle button (nested controls, WCAG 4.1.2).
    "SWAGGER_UI_SETTINGS": {"deepLinking": False, "validatorUrl": None},
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Notifications: the emails that follow awards (core.services.notifications) --------
NOTIFY_BATCH_SIZE = env_int("NOTIFY_BATCH_SIZE", 100)  # emails per SMTP connection (and per task)
NOTIFY_MAX_ATTEMPTS = env_int("NOTIFY_MAX_ATTEMPTS", 6)  # then failed, with the last reason
NOTIFY_RETRY_SECONDS = env_int("NOTIFY_RETRY_SECONDS", 60)  # doubled after each temporary failure
NOTIFY_CLAIM_SECONDS = env_int("NOTIFY_CLAIM_SECONDS", 600)  # a batch a stopped worker held is retaken after
AWARD_EXPIRY_REMINDER_DAYS = env_int("AWARD_EXPIRY_REMINDER_DAYS", 30)  # 0: no reminders

# --- Mail -------------------------------------------------------------------
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "badgeapp <badges@localhost>")
# Seconds for each SMTP operation: Django's default waits forever on a silent server.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
# How long a link confirming an address someone added stays valid (seconds).
EMAIL_CONFIRMATION_MAX_AGE = env_int("EMAIL_CONFIRMATION_MAX_AGE", 3 * 24 * 3600)

# --- Security behind the proxy ----------------------------------------------
# e.g. SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO,https"
_proxy_ssl_header = env_list("SECURE_PROXY_SSL_HEADER", [])
if _proxy_ssl_header:
    if len(_proxy_ssl_header) != 2:
        raise ImproperlyConfigured(
            "SECURE_PROXY_SSL_HEADER must be 'HEADER,value', e.g. HTTP_X_FORWARDED_PROTO,https."
        )
    SECURE_PROXY_SSL_HEADER = tuple(_proxy_ssl_header)

# HTTPS hardening: on by default in production, off in development.
HTTPS = env_bool("DJANGO_HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", HTTPS)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", HTTPS)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", HTTPS)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Every page: scripts and styles from our own origin only (the templates have no
# inline script or style); images also from https (a badge design may be an https
# URL) and data: (Bootstrap's icons). The API docs add what Swagger UI needs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "https:", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
CSRF_FAILURE_VIEW = "core.web.views.errors.csrf_failure"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- Languages and time zones -------------------------------------------------
# Each page is in the person's language: the one they chose with the switcher
# (remembered in the django_language cookie, and stored for their emails), else
# their browser's Accept-Language, else the site's. Catalogues in locale/.
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("de", _("German")),
    ("es", _("Spanish")),
    ("pt-br", _("Brazilian Portuguese")),
    ("ja", _("Japanese")),
    ("ar", _("Arabic")),
]
LANGUAGE_CODE = env_str("BADGEAPP_LANGUAGE", "en")
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise ImproperlyConfigured(
        f"BADGEAPP_LANGUAGE: {LANGUAGE_CODE!r} is not one of {', '.join(dict(LANGUAGES))}."
    )
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
# Dates and times are stored in UTC and shown in the person's zone (a cookie the
# page sets from the browser's zone, core.web.middleware.TimeZoneMiddleware), else
# in the site's zone: the one emails to people never seen use too.
USE_TZ = True
TIME_ZONE = env_str("BADGEAPP_TIME_ZONE", "UTC")
if TIME_ZONE not in zoneinfo.available_timezones():
    raise ImproperlyConfigured(f"BADGEAPP_TIME_ZONE: {TIME_ZONE!r} is not an IANA time zone (Europe/Paris).")
TIME_ZONE_COOKIE_NAME = "badgeapp_tz"
# English dates read "5 March 2026", not the US "March 5, 2026" (settings/formats/en).
FORMAT_MODULE_PATH = ["settings.formats"]

# The deployutils DEBUG log prints the secret key and every decrypted
# session: it stays at WARNING unless explicitly asked for.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "deployutils": {
            "level": "DEBUG" if env_bool("DEPLOYUTILS_DEBUG_LOG", False) else "WARNING",
        },
    },
}

# --- Learning records (xAPI 1.0.3) ---------------------------------------------
# Pull: the Learning Record Store read by `manage.py sync_learning` (its xAPI base,
# e.g. http://lrs.internal:8100/xAPI/), with HTTP Basic credentials.
LRS_ENDPOINT = env_str("LRS_ENDPOINT", "")
LRS_USERNAME = env_str("LRS_USERNAME", "")
LRS_PASSWORD = env_str("LRS_PASSWORD", "")
LRS_TIMEOUT = env_int("LRS_TIMEOUT", 30)  # seconds per connect or read
LRS_PAGE_SIZE = env_int("LRS_PAGE_SIZE", 500)  # statements asked for per page (the LRS may send fewer)
LRS_PAGE_MAX_BYTES = env_int("LRS_PAGE_MAX_BYTES", 32 * 1024 * 1024)  # one page, read into memory
# Seconds re-read before where the last run stopped: statements stored out of order, and
# LRSs whose `since` compares another time (Ralph's filesystem backend: `timestamp`).
LRS_SYNC_OVERLAP = env_int("LRS_SYNC_OVERLAP", 600)
LRS_SYNC_LEASE = env_int("LRS_SYNC_LEASE", 300)  # seconds a run holds the cursor without progress
# Push: POST /xapi/statements, HTTP Basic with these (both empty: the endpoint answers 404).
XAPI_INBOUND_USERNAME = env_str("XAPI_INBOUND_USERNAME", "")
XAPI_INBOUND_PASSWORD = env_str("XAPI_INBOUND_PASSWORD", "")
XAPI_INBOUND_RATE = env_str("XAPI_INBOUND_RATE", "1200/min")  # requests per credential
XAPI_FAILED_LOGIN_RATE = env_str("XAPI_FAILED_LOGIN_RATE", "20/min")  # wrong credentials per address
# An actor {"account": {"homePage": H, "name": N}} is the person whose proxy username is N
# when H is this (trailing slash aside).
XAPI_ACCOUNT_HOME_PAGE = env_str("XAPI_ACCOUNT_HOME_PAGE", BADGEAPP_BASE_URL)
# The push endpoint answers without a proxy session: its Basic credentials protect it.
PUBLIC_PATH_PREFIXES += ["/xapi/"]
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {
    "xapi_client": XAPI_INBOUND_RATE,
    "xapi_failures": XAPI_FAILED_LOGIN_RATE,
}
