"""Absolute links, built from the configured public origin.

Emails, share links and Open Badges ids outlive the request that made them, so
they never depend on the Host header a request happened to carry.
"""

from django.conf import settings
from django.urls import reverse


def absolute_url(path: str) -> str:
    """``/awards/…`` → ``https://badges.example.com/awards/…`` (``BADGEAPP_BASE_URL``)."""
    return f"{settings.BADGEAPP_BASE_URL}{path}"


def absolute_reverse(viewname: str, *args) -> str:
    return absolute_url(reverse(viewname, args=args))
