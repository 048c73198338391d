"""Helpers that read typed values from the environment and fail loudly."""

import math
import os
from collections import Counter
from collections.abc import Mapping

from django.core.exceptions import ImproperlyConfigured

# Values that win over the process environment, for a settings module that must
# pin some (``settings.test``) without writing ``os.environ``, which every
# subprocess of the test run would inherit.
_overrides: dict[str, str] = {}


def override(values: Mapping[str, str]) -> None:
    """Read ``values`` instead of the environment's, for settings modules imported after."""
    _overrides.update(values)


def _get(name: str, default=None):
    return _overrides.get(name, os.environ.get(name, default))


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return _get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = _get(name)
    if value is None:
        return default
    if value.strip().lower() in _TRUE:
        return True
    if value.strip().lower() in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_int(name: str, default: int) -> int:
    value = _get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError as err:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from err


def env_list(name: str, default: list[str]) -> list[str]:
    """A comma-separated list; an empty variable gives the default."""
    value = _get(name, "")
    items = [item.strip() for item in value.split(",") if item.strip()]
    return items or list(default)


# The key shared with the DjaoDjin proxy encrypts the session cookie (no MAC) and
# signs the JWT: one captured token lets an attacker guess the key offline, and a
# guessed key forges any session, a manager's included.
SHARED_SECRET_MIN_LENGTH = 32
SHARED_SECRET_MIN_BITS = 128


def estimated_entropy_bits(value: str) -> float:
    """Shannon entropy of the characters, times the length: a rough ceiling, enough to
    refuse keys a person typed ("changeme", a word repeated, one character repeated)."""
    if not value:
        return 0.0
    counts = Counter(value)
    per_char = -sum(n / len(value) * math.log2(n / len(value)) for n in counts.values())
    return per_char * len(value)


def weak_secret_reason(value: str) -> str | None:
    """Why ``value`` is no key to share with the proxy, or None when it will do.

    Never includes the value itself: the message ends up in logs.
    """
    if not value.isascii() or not all(33 <= ord(char) <= 126 for char in value):
        # deployutils encodes the passphrase as ASCII, dropping what is not: a key of
        # accented letters or emoji becomes a short or empty passphrase.
        return "it must be printable ASCII only (no spaces, accents or emoji)"
    if len(value) < SHARED_SECRET_MIN_LENGTH:
        return f"it must be at least {SHARED_SECRET_MIN_LENGTH} characters long"
    if estimated_entropy_bits(value) < SHARED_SECRET_MIN_BITS:
        return (
            "it is too predictable: use a random key "
            "(e.g. python -c 'import secrets; print(secrets.token_urlsafe(48))')"
        )
    return None


DEV_HOST_DEFAULT = "127.0.0.1:8000"


def dev_host(value: str) -> tuple[str, str]:
    """The development server's ``host:port`` (``make run HOST=...``): its base URL and host name.

    A server listening on every interface (``0.0.0.0``) is reached on 127.0.0.1.
    """
    host, sep, port = (value or DEV_HOST_DEFAULT).strip().rpartition(":")
    if not sep or not port.isdigit() or not host or any(c in host for c in "/?#@ "):
        raise ImproperlyConfigured(f"BADGEAPP_DEV_HOST must be host:port (127.0.0.1:8000), not {value!r}.")
    if host in ("0.0.0.0", "[::]"):  # noqa: S104 (a listening address, mapped to one to link)
        host = "127.0.0.1"
    return f"http://{host}:{port}", host
