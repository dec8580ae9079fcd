"""What drf-spectacular cannot see for itself: the formats, the languages, the error bodies and the headers.

A postprocessing hook, so every operation documents them the same way: what
the ``format`` and ``lang`` parameters do, the schema of each
non-JSON body, the JSON error of every status an operation can answer, and
the ETag, If-Match, Link, Accept-Language and Content-Language headers.
"""

from register.api.languages import PARAMETER_HELP
from register.translation import LANGUAGE_CODES

LANG = {
    "name": "lang",
    "in": "query",
    "required": False,
    "description": PARAMETER_HELP,
    "schema": {"type": "string", "enum": list(LANGUAGE_CODES)},
}
ACCEPT_LANGUAGE = {
    "name": "Accept-Language",
    "in": "header",
    "required": False,
    "description": "The language of labels and texts where `lang` is not given: en or ar (ar-SY and the like too).",
    "schema": {"type": "string"},
}
CONTENT_LANGUAGE = {
    "description": "The language of the response's labels and texts: en or ar. Responses vary by Accept-Language.",
    "schema": {"type": "string", "enum": list(LANGUAGE_CODES)},
}

ERROR = {
    "type": "object",
    "description": (
        "A JSON error: `detail` says what went wrong, or, for invalid input, each offending parameter or field "
        'names a list of messages (`{"bbox": ["Four numbers: min_lon,min_lat,max_lon,max_lat."]}`).'
    ),
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": True,
}

FEATURE_COLLECTION = {
    "type": "object",
    "description": (
        "An RFC 7946 FeatureCollection of the monuments that have coordinates ([longitude, latitude], WGS84); "
        "`links` (OGC API Features style) point to the next and previous pages."
    ),
    "required": ["type", "features"],
    "properties": {
        "type": {"type": "string", "enum": ["FeatureCollection"]},
        "features": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["type", "geometry", "properties"],
                "properties": {
                    "type": {"type": "string", "enum": ["Feature"]},
                    "id": {"type": "integer"},
                    "geometry": {
                        "type": "object",
                        "properties": {
                            "type": {"type": "string", "enum": ["Point"]},
                            "coordinates": {"type": "array", "items": {"type": "number"}, "minItems": 2},
                        },
                    },
                    "properties": {"type": "object", "additionalProperties": True},
                },
            },
        },
        "links": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"href": {"type": "string"}, "rel": {"type": "string"}, "type": {"type": "string"}},
            },
        },
    },
}

JSONLD_DOCUMENT = {
    "type": "object",
    "description": (
        "JSON-LD in Linked Art terms for CIDOC-CRM, its `@context` embedded: one node, or `@graph` for a page. "
        "Pages link on through the Link header."
    ),
    "required": ["@context"],
    "properties": {"@context": {"type": "object"}, "@graph": {"type": "array", "items": {"type": "object"}}},
    "additionalProperties": True,
}

CSV = {
    "type": "string",
    "description": "UTF-8 CSV with a header row, one row per record; nested records as dotted columns.",
}

ERRORS = {
    "400": "A parameter or field is unknown or has a value that cannot be used (an empty one too); the body names it.",
    "401": "Writing needs a curator's token (`Authorization: Token <key>`) or session.",
    "403": "The account lacks the model permission for this write.",
    "404": "No such record.",
    "409": "The record is still referred to (evidence points to it) and cannot be deleted.",
    "412": "If-Match names a version that is no longer current: fetch the record again.",
    "428": "If-Match is missing: send the ETag the record answered when you read it.",
    "429": "Too many anonymous requests: wait (see Retry-After) or sign in.",
}


def _error(code: str) -> dict:
    return {
        "description": ERRORS[code],
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def _document_bodies(response: dict) -> None:
    content = response.get("content", {})
    if "text/csv" in content:
        content["text/csv"] = {"schema": CSV}
    if "application/geo+json" in content:
        content["application/geo+json"] = {"schema": {"$ref": "#/components/schemas/FeatureCollection"}}
    if "application/ld+json" in content:
        content["application/ld+json"] = {"schema": {"$ref": "#/components/schemas/JsonLdDocument"}}


def _statuses(path: str, method: str, operation: dict) -> list[str]:
    detail = path.rstrip("/").endswith("}")
    codes = ["429"]
    writes = method in {"post", "put", "patch", "delete"}
    if writes or (method == "get" and any(p["in"] == "query" for p in operation.get("parameters", []))):
        codes.append("400")
    if detail:
        codes.append("404")
    if writes:
        codes += ["401", "403"]
    if method in {"put", "patch", "delete"}:
        codes += ["412", "428"]
    if method == "delete":
        codes.append("409")
    return codes


def document_formats_and_errors(result, generator, request, public):
    """Add the formats, error bodies and headers to every operation of the schema."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = ERROR
    schemas["FeatureCollection"] = FEATURE_COLLECTION
    schemas["JsonLdDocument"] = JSONLD_DOCUMENT
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            if method == "get" and {} not in operation.get("security", [{}]):
                # Anyone may read: a token or session is optional for GET.
                operation["security"].append({})
            for response in responses.values():
                _document_bodies(response)
            parameters = operation.setdefault("parameters", [])
            for parameter in parameters:
                if parameter["name"] == "format" and parameter["in"] == "query":
                    parameter["description"] = "The response format, instead of the Accept header (default json)."
            # Every address speaks both languages (register.api.languages); the schema's own already has its lang.
            if not any(parameter["name"] == "lang" and parameter["in"] == "query" for parameter in parameters):
                parameters.append(dict(LANG))
            parameters.append(dict(ACCEPT_LANGUAGE))
            for code, response in responses.items():
                if code.startswith("2") and code != "204":
                    response.setdefault("headers", {})["Content-Language"] = CONTENT_LANGUAGE
            for code in _statuses(path, method, operation):
                responses.setdefault(code, _error(code))
            is_detail = path.rstrip("/").endswith("}")
            if method == "get" and is_detail and "200" in responses:
                responses["200"].setdefault("headers", {})["ETag"] = {
                    "description": (
                        "The record's version in the response's language, for If-Match on a later write (in "
                        "either language)."
                    ),
                    "schema": {"type": "string"},
                }
            elif method == "get" and "cursor" in {p["name"] for p in parameters}:
                responses["200"].setdefault("headers", {})["Link"] = {
                    "description": 'RFC 8288 links to the next and previous pages (rel="next", rel="prev").',
                    "schema": {"type": "string"},
                }
            if method in {"put", "patch", "delete"}:
                parameters.append(
                    {
                        "name": "If-Match",
                        "in": "header",
                        "required": True,
                        "description": (
                            "The ETag you read (`*` for whatever version is current): without it the write is "
                            "refused with 428, and with 412 if the record changed since."
                        ),
                        "schema": {"type": "string"},
                    }
                )
    return result
