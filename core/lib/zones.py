"""IANA time zones by name, for names that come from outside (a cookie, a form)."""

import zoneinfo
from functools import cache


@cache
def _time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def time_zone_named(name: object) -> zoneinfo.ZoneInfo | None:
    """The IANA zone called ``name`` ("Europe/Paris"), or None for anything else.

    Only names from the zone database are looked up: a cookie cannot make
    ``ZoneInfo`` read a file of its choosing.
    """
    if not isinstance(name, str) or name not in _time_zones():
        return None
    return zoneinfo.ZoneInfo(name)
