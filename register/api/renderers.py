"""CSV, GeoJSON and JSON-LD renderings of the JSON representation (``?format=csv|geojson|jsonld``).

Each takes what the JSON renderer would have written, a page
(``{"next", "previous", "results"}``) or one record, so every format says
the same thing. Errors never reach these: the exception handler answers them
in JSON.
"""

import re

from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework_csv.renderers import CSVRenderer as BaseCSVRenderer

from register.api import jsonld
from register.geojson import wkt


def _records(data) -> list[dict]:
    if isinstance(data, dict) and "results" in data:
        return list(data["results"])
    return [data] if data is not None else []


def csv_fields(serializer: serializers.Serializer, prefix: str = "") -> list[tuple[str, serializers.Field]]:
    """Return the flat columns of a serializer with their fields: nested records become dotted columns."""
    columns = []
    for name, field in serializer.fields.items():
        if isinstance(field, serializers.Serializer):
            columns += csv_fields(field, f"{prefix}{name}.")
        else:
            columns.append((f"{prefix}{name}", field))
    return columns


def csv_columns(serializer: serializers.Serializer) -> list[str]:
    return [column for column, _field in csv_fields(serializer)]


# A spreadsheet runs a cell that starts with one of these as a formula (=HYPERLINK(...) and the like).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# ... but a signed number or an EDTF date (-0050, +12) is data, and stays as it is.
NUMBER_OR_DATE = re.compile(r"[-+]?\d[\dX/.:~?%-]*")


def inert_cell(value):
    """Return text a spreadsheet would run as a formula with a leading apostrophe, which makes it plain text.

    Only CSV does this: JSON and the other formats keep the text exactly.
    """
    if isinstance(value, str) and value.startswith(FORMULA_START) and not NUMBER_OR_DATE.fullmatch(value):
        return "'" + value
    return value


def csv_row(record: dict, prefix: str = "") -> dict:
    """Return a record as one flat row: nested records as dotted columns, lists joined into one cell."""
    row = {}
    for name, value in record.items():
        column = f"{prefix}{name}"
        if isinstance(value, dict) and "coordinates" in value:
            # A GeoJSON geometry (a monument's extent) is one cell of WKT, which GIS software reads from CSV.
            row[column] = wkt(value)
        elif isinstance(value, dict):
            row.update(csv_row(value, f"{column}."))
        elif isinstance(value, list):
            row[column] = inert_cell(" | ".join(_cell(item) for item in value))
        else:
            row[column] = inert_cell(value)
    return row


def _cell(item) -> str:
    """Return one list item as it reads in a cell: a name with its language, else a slug or an id."""
    if not isinstance(item, dict):
        return str(item)
    if "language" in item and "name" in item:
        return f"{item['name']} [{item['language']}]"
    return str(item.get("slug") or item.get("id"))


class CSVRenderer(BaseCSVRenderer):
    """One row per record, flat columns in the serializer's order.

    Nested records become dotted columns (``subject.slug``); a list becomes
    one cell joined by `` | ``: names as ``Tadmur [ar-Latn]``, records by
    slug or id.
    """

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, media_type=None, renderer_context=None):
        renderer_context = renderer_context or {}
        view = renderer_context.get("view")
        rows = [csv_row(record) for record in _records(data)]
        context = dict(renderer_context)
        if view is not None and hasattr(view, "get_serializer"):
            context["header"] = csv_columns(view.get_serializer())
        return super().render(rows, media_type, context)


class GeoJSONRenderer(JSONRenderer):
    """A FeatureCollection (RFC 7946) that GIS software opens; pages link on with OGC API Features links."""

    media_type = "application/geo+json"
    format = "geojson"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, dict) and "results" in data:
            collection = dict(data["results"])
            links = [(data.get("next"), "next"), (data.get("previous"), "prev")]
            collection["links"] = [{"href": href, "rel": rel, "type": self.media_type} for href, rel in links if href]
            data = collection
        return super().render(data, accepted_media_type, renderer_context)


class JSONLDRenderer(JSONRenderer):
    """JSON-LD with its context embedded; the view's ``jsonld_node`` turns each record into a node."""

    media_type = "application/ld+json"
    format = "jsonld"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            # No record to describe (a deletion's 204): no body, as in JSON.
            return super().render(data, accepted_media_type, renderer_context)
        renderer_context = renderer_context or {}
        view = renderer_context.get("view")
        request = renderer_context.get("request")
        context = {"request": request}
        if isinstance(data, dict) and "results" in data:
            body = jsonld.document([view.jsonld_node(record, context) for record in data["results"]])
        else:
            body = jsonld.document(view.jsonld_node(data, context))
        return super().render(body, accepted_media_type, renderer_context)
