import binascii
import uuid
from base64 import urlsafe_b64decode, urlsafe_b64encode
from datetime import datetime
from urllib.parse import urlsplit, urlunsplit

from django.core.paginator import Paginator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from rest_framework import pagination
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from core.lib.urls import absolute_url


class PageNumberPagination(pagination.PageNumberPagination):
    """Pages whose ``next``/``previous`` links use the public origin, not the Host header."""

    page_size_query_param = "page_size"
    max_page_size = 200

    def get_next_link(self):
        return _public(super().get_next_link())

    def get_previous_link(self):
        return _public(super().get_previous_link())


class KeysFirstPaginator(Paginator):
    """A numbered page's ids first, then their rows: the ids of a deep page are read
    from the award indexes alone (``award_org_newest_idx`` holds the id), instead of
    the full rows of every award before the page."""

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        ids = list(self.object_list.values_list("pk", flat=True)[bottom : bottom + self.per_page])
        return self._get_page(list(self.object_list.filter(pk__in=ids)), number, self)


class NumberedAwardPagination(PageNumberPagination):
    django_paginator_class = KeysFirstPaginator


class NewestFirstCursorPagination(pagination.BasePagination):
    """Keyset pages, newest first: every page costs what the first one costs.

    The cursor is the page's edge award, ``(issued_on, id)``: the next page is
    the awards after it in ``newest_first()`` order, found by an index seek on
    ``issued_on`` (the ``issued_on <= t`` bound) rather than by skipping rows.
    Awards of one batch share ``issued_on``; the id orders them, so a batch
    larger than a page pages like any other list. No ``count``: counting every
    row is what made each page of a large list slow.
    """

    cursor_query_param = "cursor"
    page_size_query_param = "page_size"
    max_page_size = 200
    invalid_cursor_message = _("Invalid cursor")

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.page_size = PageNumberPagination().get_page_size(request)
        cursor = self.decode_cursor(request)
        if cursor is None:
            rows = list(queryset.order_by("-issued_on", "id")[: self.page_size + 1])
            self.page, more = rows[: self.page_size], len(rows) > self.page_size
            self.has_next, self.has_previous = more, False
        else:
            issued_on, pk, backwards = cursor
            if backwards:  # the awards just before the cursor, nearest first, then put back in order
                before = Q(issued_on__gt=issued_on) | Q(issued_on=issued_on, id__lt=pk)
                rows = list(
                    queryset.filter(issued_on__gte=issued_on)
                    .filter(before)
                    .order_by("issued_on", "-id")[: self.page_size + 1]
                )
                self.page, more = rows[: self.page_size][::-1], len(rows) > self.page_size
                self.has_next, self.has_previous = True, more
            else:
                after = Q(issued_on__lt=issued_on) | Q(issued_on=issued_on, id__gt=pk)
                rows = list(
                    queryset.filter(issued_on__lte=issued_on)
                    .filter(after)
                    .order_by("-issued_on", "id")[: self.page_size + 1]
                )
                self.page, more = rows[: self.page_size], len(rows) > self.page_size
                self.has_next, self.has_previous = more, True
        if not self.page:
            self.has_next = self.has_previous = False
        return self.page

    def get_paginated_response(self, data):
        return Response({"next": self.get_next_link(), "previous": self.get_previous_link(), "results": data})

    def get_paginated_response_schema(self, schema):
        link = {"type": "string", "nullable": True, "format": "uri"}
        return {
            "type": "object",
            "required": ["results"],
            "properties": {"next": link, "previous": link, "results": schema},
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "The page's position: take it from ``next`` or ``previous``.",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Awards a page (at most {self.max_page_size}).",
                "schema": {"type": "integer"},
            },
        ]

    def get_next_link(self) -> str | None:
        return self._link(self.page[-1], backwards=False) if self.has_next else None

    def get_previous_link(self) -> str | None:
        return self._link(self.page[0], backwards=True) if self.has_previous else None

    def _link(self, award, *, backwards: bool) -> str:
        cursor = encode_cursor(award, backwards=backwards)
        url = replace_query_param(self.request.build_absolute_uri(), self.cursor_query_param, cursor)
        return _public(url)

    def decode_cursor(self, request) -> tuple[datetime, uuid.UUID, bool] | None:
        encoded = request.query_params.get(self.cursor_query_param)
        if encoded is None:
            return None
        try:
            direction, issued_on, pk = urlsafe_b64decode(encoded.encode()).decode().split("|")
            if direction not in ("f", "b"):
                raise ValueError(direction)
            moment = datetime.fromisoformat(issued_on)
            if moment.tzinfo is None:
                raise ValueError(issued_on)
            return moment, uuid.UUID(pk), direction == "b"
        except (ValueError, UnicodeError, binascii.Error) as err:
            raise NotFound(self.invalid_cursor_message) from err


def encode_cursor(award, *, backwards: bool = False) -> str:
    """The ``cursor`` of the page after ``award`` (before it, ``backwards``)."""
    token = f"{'b' if backwards else 'f'}|{award.issued_on.isoformat()}|{award.pk}"
    return urlsafe_b64encode(token.encode()).decode()


class AwardPagination(pagination.BasePagination):
    """Award lists: cursor pages (follow ``next``), or numbered ones on request.

    ``?page=N`` answers as it always has, with ``count``, for clients that page
    by number; it reads every row before the page, so deep pages cost more.
    """

    def paginate_queryset(self, queryset, request, view=None):
        numbered = PageNumberPagination.page_query_param in request.query_params
        self.delegate = NumberedAwardPagination() if numbered else NewestFirstCursorPagination()
        return self.delegate.paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        return self.delegate.get_paginated_response(data)

    def get_paginated_response_schema(self, schema):
        # The cursor pages' shape; with ``?page=`` a ``count`` comes too.
        return NewestFirstCursorPagination().get_paginated_response_schema(schema)

    def get_schema_operation_parameters(self, view):
        cursor = NewestFirstCursorPagination().get_schema_operation_parameters(view)
        numbered = PageNumberPagination().get_schema_operation_parameters(view)
        names = {parameter["name"] for parameter in cursor}
        return cursor + [parameter for parameter in numbered if parameter["name"] not in names]


def _public(url: str | None) -> str | None:
    if not url:
        return url
    parts = urlsplit(url)
    return absolute_url(urlunsplit(("", "", parts.path, parts.query, "")))
