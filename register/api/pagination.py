"""Keyset (cursor) pagination: every page costs one indexed query, however deep, and no COUNT.

A page of a million-row table with OFFSET reads and throws away every row
before it, and a page count needs a COUNT over the whole filtered set. Here
the cursor carries the last row's value of the ordering field and its id, and
the next page asks for rows after that pair, which an index on the field
answers directly. DRF's CursorPagination pages on the field alone and breaks
ties with an offset capped at 1,000, which fails on dates shared by many
incidents; pairing the field with the id has no such limit.
"""

import base64
import binascii
import json
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.utils.translation import gettext
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.settings import api_settings

MAX_PAGE_SIZE = 500
# How every cursor begins: the two characters base64url makes of '["', the start of the JSON array it encodes.
CURSOR_START = base64.urlsafe_b64encode(b'["').decode("ascii")[:2]


def _is_id(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**63


class KeysetPagination(CursorPagination):
    page_size = api_settings.PAGE_SIZE or 100
    page_size_query_param = "page_size"
    page_size_query_description = f"Records per page, a whole number from 1 to {MAX_PAGE_SIZE}; any other answers 400."
    max_page_size = MAX_PAGE_SIZE
    cursor_query_description = (
        "Opaque position from a previous page's next or previous link; any other value answers 400."
    )
    invalid_cursor_message = "Invalid cursor: use the next or previous link of a page."
    ordering = ("id",)

    def get_page_size(self, request):
        value = request.query_params.get(self.page_size_query_param)
        if value is None:
            return self.page_size
        # A size beyond the limit is refused, not capped: a harvester asking for 1,000 must not take 500 for all.
        if not value.isascii() or not value.isdigit() or not 1 <= int(value) <= self.max_page_size:
            message = gettext("A whole number from 1 to %(maximum)s.") % {"maximum": self.max_page_size}
            raise ValidationError({self.page_size_query_param: [message]})
        return int(value)

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.page_size = self.get_page_size(request)
        self.base_url = request.build_absolute_uri()
        ordering = self.get_ordering(request, queryset, view)
        self.field = ordering[0].lstrip("-")
        self.descending = ordering[0].startswith("-")
        cursor = self.decode_cursor(request)
        backwards = bool(cursor and cursor["backwards"])

        # Walking backwards reverses the order, then the page is put the right way round again.
        step_down = self.descending != backwards
        order = [f"-{name}" if step_down else name for name in self._keys()]
        queryset = queryset.order_by(*order)
        if cursor is not None:
            queryset = queryset.filter(self._after(cursor["value"], cursor["id"], "lt" if step_down else "gt"))
        # The page's ids first (one row more, to see if there is a next page), then its records by id: a filter no
        # index walks in order sorts its candidates' ids alone, and only the page's rows are joined to what they
        # show. The view reads the page as its representation shows it (register.api.records).
        page_ids = queryset.values("pk")[: self.page_size + 1]
        chosen = queryset.model._meta.default_manager.filter(pk__in=page_ids).order_by(*order)
        rows = view.read(chosen) if view is not None else list(chosen)
        more = len(rows) > self.page_size
        page = rows[: self.page_size]
        if backwards:
            page.reverse()
        if backwards:
            self.has_previous, self.has_next = more, True
        else:
            self.has_previous, self.has_next = cursor is not None, more
        if not page:
            self.has_previous = self.has_next = False
        self.display_page_controls = self.has_previous or self.has_next
        # The links need only the first and last rows' positions.
        self.edges = (self._position(page[0]), self._position(page[-1])) if page else None
        return page

    def _keys(self) -> list[str]:
        return [self.field] if self.field == "id" else [self.field, "id"]

    def _after(self, value, pk, op: str) -> Q:
        if self.field == "id":
            return Q(**{f"id__{op}": pk})
        # The redundant first term is one an index on the field can answer; the OR alone is only a filter.
        return Q(**{f"{self.field}__{op}e": value}) & (
            Q(**{f"{self.field}__{op}": value}) | Q(**{self.field: value, f"id__{op}": pk})
        )

    def decode_cursor(self, request):
        encoded = request.query_params.get(self.cursor_query_param)
        if encoded is None:
            return None
        try:
            padded = encoded + "=" * (-len(encoded) % 4)
            field, value, pk, backwards = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
            if field != self.field or not isinstance(backwards, bool) or not _is_id(pk):
                raise ValueError("cursor made for another ordering")
            model_field = self.request_model._meta.get_field(self.field)
            value = model_field.to_python(value)
            if value is None or "\x00" in str(value):
                raise ValueError("empty or unstorable position")
        except (
            ValueError,
            TypeError,
            UnicodeError,
            binascii.Error,
            FieldDoesNotExist,
            DjangoValidationError,
        ):
            raise ValidationError({self.cursor_query_param: [self.invalid_cursor_message]}) from None
        return {"value": value, "id": pk, "backwards": backwards}

    def get_ordering(self, request, queryset, view):
        self.request_model = queryset.model
        return super().get_ordering(request, queryset, view)

    def _position(self, row) -> tuple:
        """Return a row's value of the ordering field and its id: a record as the API shows it, or a model instance."""
        if isinstance(row, dict):
            return row[self.field], row["id"]
        value = getattr(row, self.field)
        return (value.isoformat() if hasattr(value, "isoformat") else value), row.pk

    def _cursor_url(self, position: tuple, *, backwards: bool) -> str:
        value, pk = position
        token = json.dumps([self.field, value, pk, backwards], separators=(",", ":"), ensure_ascii=False)
        encoded = base64.urlsafe_b64encode(token.encode("utf-8")).decode("ascii").rstrip("=")
        scheme, netloc, path, query, fragment = urlsplit(self.base_url)
        params = [(key, val) for key, val in parse_qsl(query, keep_blank_values=True) if key != self.cursor_query_param]
        params.append((self.cursor_query_param, encoded))
        return urlunsplit((scheme, netloc, path, urlencode(params), fragment))

    def get_next_link(self):
        return self._cursor_url(self.edges[1], backwards=False) if self.has_next else None

    def get_previous_link(self):
        return self._cursor_url(self.edges[0], backwards=True) if self.has_previous else None

    def get_schema_operation_parameters(self, view):
        cursor, page_size = super().get_schema_operation_parameters(view)
        # The shape of every cursor issued (the schema cannot know which positions exist).
        cursor["schema"]["pattern"] = f"^{CURSOR_START}[A-Za-z0-9_-]+$"
        page_size["schema"].update({"minimum": 1, "maximum": self.max_page_size, "default": self.page_size})
        return [cursor, page_size]

    def get_paginated_response(self, data):
        next_link, previous_link = self.get_next_link(), self.get_previous_link()
        links = [f'<{url}>; rel="{rel}"' for url, rel in ((next_link, "next"), (previous_link, "prev")) if url]
        # The Link header (RFC 8288) carries the same links for CSV and JSON-LD, whose bodies have no room for them.
        headers = {"Link": ", ".join(links)} if links else None
        return Response({"next": next_link, "previous": previous_link, "results": data}, headers=headers)
