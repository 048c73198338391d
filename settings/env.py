"""Helpers that read typed values from the environment and fail loudly."""

import os
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
