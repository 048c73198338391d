"""Counting requests per key in Django's cache, one fixed window at a time.

The cache is local memory by default (each process counts on its own); a
shared cache (``CACHE_URL``, Redis) makes the limits hold across processes and
hosts. Used where a limit is a rule (the services) as well as at the door (the
pages), so it takes plain keys, never a request.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class Allowance:
    allowed: bool
    retry_after: int  # seconds until the window ends


def take(key: str, *, limit: int, period: int = 60) -> Allowance:
    """Count one more use of ``key``; refused past ``limit`` uses in the current ``period`` seconds."""
    now = time.time()
    window = int(now // period)
    cache_key = f"throttle:{key}:{window}"
    cache.add(cache_key, 0, timeout=period + 1)  # atomic: only the first one creates it
    try:
        used = cache.incr(cache_key)
    except ValueError:  # evicted between the two calls
        cache.add(cache_key, 1, timeout=period + 1)
        used = 1
    retry_after = max(1, int((window + 1) * period - now))
    return Allowance(allowed=used <= limit, retry_after=retry_after)
