"""A places file read and checked row by row, without the database: CSV with a header row, or GeoJSON.

Both formats carry the same keys: ``slug``, ``name``, ``kind``, ``part_of``, ``latitude``, ``longitude``,
``wikidata``, ``unesco_ref``, ``description``, ``sensitive``, ``source`` and any number of ``name:<BCP 47 tag>``
(OpenStreetMap's convention) for alternate names. A CSV row is found by its line (the header is line 1), a
GeoJSON feature by its index in ``features``. An empty cell means "not given": an import never clears a value.

``places_read`` returns every row it could read and every fault it found, each naming its line or feature and
column; ``register.services.places_import`` checks what needs the register (matches, ``part_of``) and writes.
"""

import codecs
import csv
import io
import json
import math
import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from pathlib import PurePath

import langcodes
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from register.models.geometry import EXTENT_TYPES, extent_validate, representative_point
from register.models.vocabularies import MonumentKind

# A region's gazetteer of hundreds of thousands of places fits; a file far larger is a mistake.
MAX_PLACES_BYTES = 200 * 1024 * 1024
NAME_MAX = 200
LANGUAGE_MAX = 20
COLUMNS = (
    "slug",
    "name",
    "kind",
    "part_of",
    "latitude",
    "longitude",
    "wikidata",
    "unesco_ref",
    "description",
    "sensitive",
    "source",
)
NAME_PREFIX = "name:"
WIKIDATA = re.compile(r"Q[1-9][0-9]*")
# BCP 47 subtags are ASCII letters and digits joined by hyphens; langcodes alone would also take "ar_Latn".
LANGUAGE_TAG = re.compile(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*")
# Coordinates are stored to 7 decimals (about a centimetre).
COORDINATE_PLACES = Decimal("0.0000001")
CSV_SUFFIXES = (".csv",)
GEOJSON_SUFFIXES = (".geojson", ".json")


@dataclass(frozen=True)
class Location:
    """Where a row is in its file: a CSV line (the header is line 1) or a GeoJSON feature's index."""

    line: int | None = None
    feature: int | None = None

    def as_json(self) -> dict:
        return {"feature": self.feature} if self.feature is not None else {"line": self.line}

    def __str__(self) -> str:
        if self.feature is not None:
            return _("feature %(index)s") % {"index": self.feature}
        if self.line is not None:
            return _("line %(line)s") % {"line": self.line}
        return _("the file")

    @property
    def order(self) -> int:
        return self.feature if self.feature is not None else (self.line or 0)


@dataclass(frozen=True)
class PlaceError:
    """One fault in a places file: where, in which column, and why."""

    location: Location
    column: str
    message: str

    def as_json(self) -> dict:
        return {**self.location.as_json(), "column": self.column, "message": self.message}

    def __str__(self) -> str:
        if self.column:
            return _("%(where)s, column %(column)s: %(message)s") % {
                "where": self.location,
                "column": self.column,
                "message": self.message,
            }
        return _("%(where)s: %(message)s") % {"where": self.location, "message": self.message}


@dataclass
class PlaceRow:
    """One place as its file gives it: the values given (checked and converted) and its alternate names."""

    location: Location
    values: dict = field(default_factory=dict)
    # (column, language tag, name) for each ``name:<tag>`` given.
    names: list[tuple[str, str, str]] = field(default_factory=list)


@dataclass
class PlacesRead:
    rows: list[PlaceRow] = field(default_factory=list)
    errors: list[PlaceError] = field(default_factory=list)


class PlacesFileError(ValueError):
    """Raised for a file that cannot be read as places at all (not UTF-8, not CSV or GeoJSON)."""

    def __init__(self, message: str, location: Location | None = None):
        super().__init__(message)
        self.location = location or Location()


def places_format(name: str) -> str:
    """Return "csv" or "geojson" from the file's name, or raise PlacesFileError for any other name."""
    suffix = PurePath(name).suffix.lower()
    if suffix in CSV_SUFFIXES:
        return "csv"
    if suffix in GEOJSON_SUFFIXES:
        return "geojson"
    raise PlacesFileError(_("The file's name must end in .csv, .geojson or .json to say what it holds."))


def decode_utf8(data: bytes) -> str:
    """Return the text of UTF-8 bytes (a byte order mark is dropped), or say where they stop being UTF-8."""
    if not data:
        raise PlacesFileError(_("The file is empty."))
    if len(data) > MAX_PLACES_BYTES:
        raise PlacesFileError(
            _("The file is %(size)s MB; a places file may be at most %(limit)s MB.")
            % {"size": len(data) // 2**20, "limit": MAX_PLACES_BYTES // 2**20}
        )
    try:
        return codecs.decode(data, "utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise PlacesFileError(
            _("The file is not UTF-8 text: the byte at position %(position)s cannot be decoded.")
            % {"position": error.start},
            Location(line=line),
        ) from None


def _known_columns() -> str:
    return ", ".join((*COLUMNS, f"{NAME_PREFIX}<language tag>"))


def _language_tag(tag: str) -> str | None:
    """Return the tag in its standard form, or None when it is not a valid BCP 47 language tag."""
    if not tag or len(tag) > LANGUAGE_MAX or not LANGUAGE_TAG.fullmatch(tag):
        return None
    try:
        if not langcodes.tag_is_valid(tag):
            return None
        return langcodes.standardize_tag(tag)
    except (ValueError, LookupError):
        return None


class _RowChecker:
    """Convert and check one row's cells; faults go to ``errors`` against the row's location."""

    def __init__(self, errors: list[PlaceError]):
        self.errors = errors
        self.kind_values = frozenset(MonumentKind.values)

    def fail(self, location: Location, column: str, message: str) -> None:
        self.errors.append(PlaceError(location, column, message))

    def coordinate(self, location: Location, column: str, text: str, limit: int) -> Decimal | None:
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            self.fail(location, column, _("%(value)s is not a number.") % {"value": text[:40]})
            return None
        if not -limit <= number <= limit:
            message = (
                _("Latitude %(value)s is outside -90 to 90.")
                if column == "latitude"
                else _("Longitude %(value)s is outside -180 to 180.")
            )
            self.fail(location, column, message % {"value": text[:40]})
            return None
        return number.quantize(COORDINATE_PLACES, rounding=ROUND_HALF_EVEN)

    def row(self, location: Location, cells: dict[str, str]) -> PlaceRow:
        """Return the row's checked values; ``cells`` holds the non-empty cells by column, stripped."""
        place = PlaceRow(location)
        values = place.values
        for column, text in cells.items():
            if column.startswith(NAME_PREFIX):
                self.alternate_name(place, column, text)
            elif column in ("latitude", "longitude"):
                number = self.coordinate(location, column, text, 90 if column == "latitude" else 180)
                if number is not None:
                    values[column] = number
            elif column == "kind":
                kind = text.lower().replace(" ", "_").replace("-", "_")
                if kind in self.kind_values:
                    values["kind"] = kind
                else:
                    self.fail(
                        location,
                        column,
                        _("%(value)s is not a kind of place the register knows; use one of: %(kinds)s.")
                        % {"value": text[:60], "kinds": ", ".join(MonumentKind.values)},
                    )
            elif column == "wikidata":
                if WIKIDATA.fullmatch(text):
                    values["wikidata"] = text
                else:
                    self.fail(
                        location,
                        column,
                        _("%(value)s is not a Wikidata id: write Q followed by digits, such as Q5788.")
                        % {"value": text[:60]},
                    )
            elif column == "sensitive":
                flag = text.lower()
                if flag in ("true", "false"):
                    values["sensitive"] = flag == "true"
                else:
                    self.fail(location, column, _("%(value)s is not true or false.") % {"value": text[:40]})
            else:
                values[column] = text
        if ("latitude" in cells) != ("longitude" in cells):
            missing = "longitude" if "latitude" in cells else "latitude"
            self.fail(location, missing, _("A latitude and a longitude are given together or not at all."))
        return place

    def alternate_name(self, place: PlaceRow, column: str, text: str) -> None:
        tag = _language_tag(column[len(NAME_PREFIX) :])
        if tag is None:
            self.fail(
                place.location,
                column,
                _("%(tag)s is not a valid BCP 47 language tag (such as ar, fr or ar-Latn).")
                % {"tag": column[len(NAME_PREFIX) :][:40]},
            )
        elif len(text) > NAME_MAX:
            self.fail(place.location, column, _("The name is longer than %(limit)s characters.") % {"limit": NAME_MAX})
        else:
            place.names.append((column, tag, text))


def _header(header: list[str], errors: list[PlaceError]) -> list[str] | None:
    """Return the header's column names, or None (with the faults in ``errors``) when rows cannot be read by it."""
    first = Location(line=1)
    columns, seen, usable = [], set(), True
    for cell in header:
        column = cell.strip()
        base, separator, tag = column.partition(":")
        column = f"{base.lower()}{separator}{tag}"
        if column in seen:
            errors.append(PlaceError(first, column, _("The column %(column)s appears twice.") % {"column": column}))
            usable = False
        elif column not in COLUMNS and not column.startswith(NAME_PREFIX):
            errors.append(
                PlaceError(
                    first,
                    column,
                    _("%(column)s is not a column the importer knows; the columns are %(known)s.")
                    % {"column": column[:60], "known": _known_columns()},
                )
            )
        seen.add(column)
        columns.append(column)
    if "slug" not in seen:
        errors.append(PlaceError(first, "slug", _("The header has no slug column; every place needs a slug.")))
        usable = False
    return columns if usable else None


def read_csv(text: str) -> PlacesRead:
    """Read a CSV places file: a header row, then one place a row."""
    result = PlacesRead()
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    checker = _RowChecker(result.errors)
    try:
        header = next(reader, None)
        if header is None:
            raise PlacesFileError(_("The file has no header row."))
        columns = _header(header, result.errors)
        if columns is None:
            return result
        width = len(columns)
        # Only known columns are read; an unknown one is already reported against the header.
        wanted = [(i, c) for i, c in enumerate(columns) if c in COLUMNS or c.startswith(NAME_PREFIX)]
        start = reader.line_num + 1
        for record in reader:
            location = Location(line=start)
            start = reader.line_num + 1
            if not record or (len(record) == 1 and not record[0].strip()):
                continue
            if len(record) > width:
                result.errors.append(
                    PlaceError(
                        location,
                        "",
                        _("This line has %(cells)s cells but the header has %(columns)s.")
                        % {"cells": len(record), "columns": width},
                    )
                )
                continue
            cells = {}
            for index, column in wanted:
                if index < len(record) and (value := record[index].strip()):
                    cells[column] = value
            result.rows.append(checker.row(location, cells))
    except csv.Error as error:
        raise PlacesFileError(
            _("The file cannot be read as CSV: %(reason)s.") % {"reason": error}, Location(line=reader.line_num)
        ) from None
    return result


def _property_text(value) -> str | None:
    """Return a GeoJSON property as a cell's text: "" for null, None for what no cell can hold (lists, objects)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else None
    if isinstance(value, str):
        return value.strip()
    return None


def _position(coordinates) -> tuple[str, str] | None:
    """Return a Point's (latitude, longitude) as text, or None when the coordinates are not a position."""
    if (
        isinstance(coordinates, list)
        and len(coordinates) in (2, 3)
        and all(isinstance(n, int | float) and not isinstance(n, bool) for n in coordinates)
    ):
        return _property_text(coordinates[1]), _property_text(coordinates[0])
    return None


def _feature_cells(index: int, feature, errors: list[PlaceError]) -> tuple[dict[str, str], dict | None] | None:
    """Return a feature's non-empty cells and its extent, or None (with the faults in ``errors``)."""
    location = Location(feature=index)
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        errors.append(PlaceError(location, "", _("This is not a GeoJSON Feature object.")))
        return None
    properties = feature.get("properties") or {}
    if not isinstance(properties, dict):
        errors.append(PlaceError(location, "properties", _("The feature's properties must be an object.")))
        return None
    cells, usable = {}, True
    for key, value in properties.items():
        base, separator, tag = str(key).strip().partition(":")
        column = f"{base.lower()}{separator}{tag}"
        if column not in COLUMNS and not column.startswith(NAME_PREFIX):
            errors.append(
                PlaceError(
                    location,
                    column[:60],
                    _("%(column)s is not a property the importer knows; the properties are %(known)s.")
                    % {"column": column[:60], "known": _known_columns()},
                )
            )
            continue
        text = _property_text(value)
        if text is None:
            errors.append(PlaceError(location, column, _("The value must be text, a number or true/false.")))
            usable = False
        elif text:
            cells[column] = text
    extent = None
    geometry = feature.get("geometry")
    if geometry is not None:
        kind = geometry.get("type") if isinstance(geometry, dict) else None
        if kind == "Point":
            position = _position(geometry.get("coordinates"))
            if position is None:
                errors.append(
                    PlaceError(location, "geometry", _("The Point's coordinates must be [longitude, latitude].")),
                )
                return None
            given = (cells.get("latitude"), cells.get("longitude"))
            if any(given) and _as_numbers(given) != _as_numbers(position):
                errors.append(
                    PlaceError(
                        location,
                        "geometry",
                        _("The Point and the latitude and longitude properties give different positions."),
                    )
                )
                return None
            cells["latitude"], cells["longitude"] = position
        elif kind in EXTENT_TYPES:
            extent = {"type": kind, "coordinates": geometry.get("coordinates")}
            try:
                extent_validate(extent)
            except ValidationError as error:
                errors.extend(PlaceError(location, "geometry", message) for message in error.messages)
                return None
        else:
            errors.append(
                PlaceError(
                    location,
                    "geometry",
                    _("The geometry must be a Point, Polygon or MultiPolygon, not %(type)s.")
                    % {"type": str(kind)[:40]},
                )
            )
            return None
    return (cells, extent) if usable else None


def _as_numbers(pair) -> tuple:
    try:
        return tuple(Decimal(text).quantize(COORDINATE_PLACES) for text in pair)
    except (InvalidOperation, TypeError):
        return tuple(pair)


def read_geojson(text: str) -> PlacesRead:
    """Read a GeoJSON FeatureCollection: each feature's properties, and its Point or its extent."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise PlacesFileError(
            _("The file is not JSON: %(reason)s.") % {"reason": error.msg}, Location(line=error.lineno)
        ) from None
    except RecursionError:
        raise PlacesFileError(_("The file nests JSON deeper than any GeoJSON does.")) from None
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise PlacesFileError(_("The file is not a GeoJSON FeatureCollection."))
    features = document.get("features")
    if not isinstance(features, list):
        raise PlacesFileError(_("The FeatureCollection has no list of features."))
    result = PlacesRead()
    checker = _RowChecker(result.errors)
    for index, feature in enumerate(features):
        found = _feature_cells(index, feature, result.errors)
        if found is None:
            continue
        cells, extent = found
        place = checker.row(Location(feature=index), cells)
        if extent is not None:
            place.values["extent"] = extent
            if "latitude" not in cells and "longitude" not in cells:
                latitude, longitude = representative_point(extent)
                place.values["latitude"] = Decimal(repr(latitude)).quantize(COORDINATE_PLACES)
                place.values["longitude"] = Decimal(repr(longitude)).quantize(COORDINATE_PLACES)
        result.rows.append(place)
    return result


def places_read(data: bytes, name: str) -> PlacesRead:
    """Return the rows of a places file and every fault found in them; raise PlacesFileError for an unreadable file."""
    file_format = places_format(name)
    text = decode_utf8(data)
    return read_csv(text) if file_format == "csv" else read_geojson(text)
