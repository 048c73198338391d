from urllib.parse import urlsplit, urlunsplit

from rest_framework import pagination

from core.lib.urls import absolute_url


class PageNumberPagination(pagination.PageNumberPagination):
    """Pages whose ``next``/``previous`` links use the public origin, not the Host header."""

    page_size_query_param = "page_size"
    max_page_size = 200

    def get_next_link(self):
        return _public(super().get_next_link())

    def get_previous_link(self):
        return _public(super().get_previous_link())


def _public(url: str | None) -> str | None:
    if not url:
        return url
    parts = urlsplit(url)
    return absolute_url(urlunsplit(("", "", parts.path, parts.query, "")))
