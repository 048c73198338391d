"""Public pages kept whole for visitors without a session.

A page every anonymous visitor sees the same (the public award page) is rendered
once and kept in the cache for a short while, like the Open Badges documents beside
it. Two things are per visitor and are never kept:

- the CSRF token of its forms: the kept copy is served with each visitor's own
  token written into every ``csrfmiddlewaretoken`` field (Django's ``cache_page``
  would hand everyone the first visitor's token, refused on their post);
- a one-time message (the answer of the page's email check): a request carrying
  messages, a query string, or a session is rendered afresh and not kept.

The kept copies of one object share a *version*, itself in the cache under
``version_key``: dropping that key (``cache.delete``) retires every language and
time zone of the page at once, as a revocation must.
"""

import re
import secrets
from collections.abc import Callable

from django.contrib import messages
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation

# What Django's {% csrf_token %} writes. User text is escaped, so it cannot contain this.
TOKEN_FIELD = re.compile(r'(<input type="hidden" name="csrfmiddlewaretoken" value=")[^"]*(")')
# A version outlives the pages kept under it; when it lapses they are merely rebuilt.
VERSION_SECONDS = 24 * 3600


def _shareable(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and not request.GET
        and not request.identity.is_authenticated
        and not len(messages.get_messages(request))  # len() reads them without using them up
    )


def _version(version_key: str) -> str:
    version = cache.get(version_key)
    if version is None:
        cache.add(version_key, secrets.token_hex(8), VERSION_SECONDS)
        version = cache.get(version_key, "")
    return version


def _with_own_token(request, body: str, content_type: str) -> HttpResponse:
    token = get_token(request)  # also has the CSRF middleware set the visitor's cookie
    return HttpResponse(TOKEN_FIELD.sub(rf"\g<1>{token}\g<2>", body), content_type=content_type)


def shared_page(request, *, version_key: str, build: Callable[[], tuple[HttpResponse, int]]) -> HttpResponse:
    """The page ``build`` renders, kept for anonymous visitors when it is a 200.

    ``build`` returns the response and how many seconds it may be kept (0: not at all),
    so a page that changes at a known time (an award that expires) is not kept past it.
    """
    if not _shareable(request):
        return build()[0]
    key = ":".join(
        (
            "page",
            version_key,
            _version(version_key),
            translation.get_language(),
            timezone.get_current_timezone_name(),
        )
    )
    kept = cache.get(key)
    if kept is None:
        response, seconds = build()
        if response.status_code != 200 or seconds <= 0:
            return response
        kept = (response.content.decode(response.charset), response["Content-Type"])
        cache.set(key, kept, seconds)
    return _with_own_token(request, *kept)
