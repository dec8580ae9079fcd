"""A strict API: every endpoint refuses a parameter it does not read, naming it and listing the ones it takes.

The endpoints are found from the OpenAPI schema (drf-spectacular's SchemaGenerator), so a new list or filter is
held to the rule without a line here; the few API addresses the schema leaves out (the root, the schema itself and
its docs) are found from the URL patterns, and a test fails if any other address is missing from the schema.
"""

import re

import pytest
from django.urls import URLResolver, get_resolver
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from register.api.urls import router
from register.models import Incident, Restoration
from tests.conftest import published

pytestmark = pytest.mark.django_db

UNKNOWN = "no_such_parameter"
# API addresses the schema does not describe, and the parameters each takes besides ``format``.
# Every address takes the language (register.api.languages) besides the format.
OUTSIDE_THE_SCHEMA = {"/api/v1/": {"lang"}, "/api/v1/schema/": {"lang"}, "/api/v1/docs/": {"lang", "script"}}
# A value each of those parameters takes: ``script`` is a flag, ``lang`` a supported language (an empty one is a 400).
TAKEN = {"lang": "ar", "script": ""}
KNOWN = re.compile(r"this address takes (?P<known>.+)\.$")


@pytest.fixture(scope="module")
def openapi():
    return SchemaGenerator().get_schema(request=None, public=True)


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def records(site, tetrapylon, article, incident, make_evidence, palmyra_names):
    """One public record of every kind the API serves, so each detail address names a real record."""
    restoration = Restoration.objects.create(
        slug="busts-restored",
        artefact=palmyra_names["funerary-busts"],
        kind="restoration",
        finished="2017",
        **published(),
    )
    make_evidence(restoration, quote="condemned by the United Nations")
    return {
        "monuments": site.slug,
        "artefacts": palmyra_names["funerary-busts"].slug,
        "incidents": incident.slug,
        "restorations": restoration.slug,
        "articles": str(article.pk),
        "sources": article.publisher.slug,
        "evidence": str(make_evidence(incident).pk),
    }


def address_of(path: str, records: dict) -> str:
    """Return a schema path with its record parameter filled by a real record of its collection."""
    collection = path.removeprefix("/api/v1/").split("/")[0]
    # The parameter is checked before the record is looked up: an unknown record answers the same 400.
    return re.sub(r"\{\w+\}", records.get(collection, "no-such-record"), path)


def schema_operations(openapi) -> list[tuple[str, set[str]]]:
    """Return every GET operation of the schema: its path and the query parameters it documents."""
    return [
        (path, {p["name"] for p in operations["get"].get("parameters", []) if p["in"] == "query"})
        for path, operations in openapi["paths"].items()
        if "get" in operations
    ]


def api_patterns(patterns=None, prefix=""):
    """Yield the route text, from the root, of every endpoint under /api/v1/."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            yield from api_patterns(entry.url_patterns, prefix + str(entry.pattern))
        elif prefix.startswith("api/v1/"):
            yield "/" + prefix + str(entry.pattern)


def known_in(response) -> set[str]:
    """Return the parameters a 400 for an unknown one lists as those the address takes."""
    [message] = response.json()[UNKNOWN]
    return set(KNOWN.search(message)["known"].split(", "))


def test_every_endpoint_the_schema_documents_refuses_an_unknown_parameter_listing_what_it_takes(api, openapi, records):
    operations = schema_operations(openapi)
    assert len(operations) >= 15
    for path, documented in operations:
        response = api.get(address_of(path, records), {UNKNOWN: "1"})
        assert response.status_code == 400, path
        assert response["Content-Type"] == "application/json", path
        assert list(response.json()) == [UNKNOWN], path
        # Exactly what the schema documents (the bulk download's one format is left out of it), and no more.
        assert known_in(response) == documented | {"format"}, path


def test_every_list_takes_its_format_cursor_page_size_ordering_filters_and_updated_after(api, openapi, records):
    lists = [(path, documented) for path, documented in schema_operations(openapi) if "cursor" in documented]
    assert len(lists) == len(router.registry)
    for path, documented in lists:
        assert {"format", "cursor", "page_size", "ordering", "updated_after"} <= documented, path
        response = api.get(path, {UNKNOWN: "1"})
        assert {"format", "cursor", "page_size", "ordering", "updated_after"} <= known_in(response), path


def test_the_api_addresses_outside_the_schema_refuse_an_unknown_parameter_too(api, db):
    for address, takes in OUTSIDE_THE_SCHEMA.items():
        response = api.get(address, {UNKNOWN: "1"})
        assert response.status_code == 400, address
        assert response["Content-Type"] == "application/json", address
        assert known_in(response) == takes | {"format"}, address
        # And answer as before with the parameters they do take.
        assert api.get(address, {name: TAKEN[name] for name in takes}).status_code == 200, address


def test_every_api_address_is_in_the_schema_or_known_to_be_outside_it(openapi):
    documented = {re.sub(r"\{\w+\}", "<>", path) for path in openapi["paths"]}
    routes = {
        re.sub(r"<[^>]+>|\(\?P<\w+>[^)]+\)", "<>", route).replace("^", "").replace("$", "") for route in api_patterns()
    }
    missing = routes - documented - set(OUTSIDE_THE_SCHEMA)
    assert not missing, f"API addresses neither in the schema nor in OUTSIDE_THE_SCHEMA: {sorted(missing)}"


def test_the_docs_start_up_script_is_still_served(api, db):
    response = api.get("/api/v1/docs/", {"script": ""})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")


def test_an_unknown_parameter_on_a_write_answers_400_too(curator, records):
    client = APIClient()
    client.force_authenticate(curator)
    address = f"/api/v1/incidents/{records['incidents']}/?{UNKNOWN}=1"
    response = client.patch(address, {"summary": "Changed."}, format="json", HTTP_IF_MATCH="*")
    assert response.status_code == 400
    assert list(response.json()) == [UNKNOWN]
    assert Incident.objects.get(slug=records["incidents"]).summary != "Changed."


@pytest.mark.parametrize("value", ["0", "501", "1000", "abc", "-5", "2.5", ""])
def test_a_page_size_outside_1_to_500_answers_400_saying_so(api, records, value):
    response = api.get("/api/v1/incidents/", {"page_size": value})
    assert response.status_code == 400
    assert response.json() == {"page_size": ["A whole number from 1 to 500."]}


@pytest.mark.parametrize("value", ["1", "500"])
def test_a_page_size_within_1_to_500_is_a_page_of_that_size(api, records, value):
    response = api.get("/api/v1/sources/", {"page_size": value})
    assert response.status_code == 200
    assert 1 <= len(response.json()["results"]) <= int(value)


def test_the_schema_says_a_page_holds_1_to_500_records(openapi):
    sizes = [
        parameter
        for operations in openapi["paths"].values()
        for parameter in operations.get("get", {}).get("parameters", [])
        if parameter["name"] == "page_size"
    ]
    assert len(sizes) == len(router.registry)
    for parameter in sizes:
        assert (parameter["schema"]["minimum"], parameter["schema"]["maximum"]) == (1, 500)
        assert "500" in parameter["description"]


def test_every_list_can_be_ordered_by_when_its_records_changed(openapi):
    for path, operations in openapi["paths"].items():
        parameters = {p["name"]: p for p in operations.get("get", {}).get("parameters", [])}
        if "ordering" in parameters:
            assert {"updated", "-updated"} <= set(parameters["ordering"]["schema"]["enum"]), path


SLUG_FILTERS = [
    ("monuments", "within", "monuments"),
    ("artefacts", "origin", "monuments"),
    ("incidents", "monument", "monuments"),
    ("incidents", "artefact", "artefacts"),
    ("incidents", "source", "sources"),
    ("restorations", "monument", "monuments"),
    ("restorations", "artefact", "artefacts"),
    ("restorations", "source", "sources"),
    ("restorations", "institution", "sources"),
    ("articles", "publisher", "sources"),
    ("articles", "mentions", "monuments"),
    ("evidence", "cited_source", "sources"),
]


@pytest.mark.parametrize(("resource", "parameter", "named"), SLUG_FILTERS)
def test_a_filter_naming_a_monument_artefact_or_source_takes_its_slug(api, records, resource, parameter, named):
    assert api.get(f"/api/v1/{resource}/", {parameter: records[named]}).status_code == 200
    response = api.get(f"/api/v1/{resource}/", {parameter: "no-such-slug"})
    assert response.status_code == 400
    assert list(response.json()) == [parameter]
