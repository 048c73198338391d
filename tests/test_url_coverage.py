"""Every route is in an access matrix: a new URL without one fails here."""

from django.urls import URLPattern, URLResolver, get_resolver

from tests.api.test_access import ROUTES as API_ROUTES
from tests.web.test_access import ROUTES as PAGE_ROUTES

UNNAMED = {"favicon.ico": "favicon"}


def route_names(patterns=None, prefix: str = "") -> set[str]:
    names = set()
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            names |= route_names(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            names.add(pattern.name or UNNAMED[prefix + str(pattern.pattern)])
    return names


def test_every_route_is_in_an_access_matrix():
    assert route_names() - (PAGE_ROUTES | API_ROUTES) == set()


def test_the_matrices_name_only_real_routes():
    assert (PAGE_ROUTES | API_ROUTES) - route_names() == set()
