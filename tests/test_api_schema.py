"""The OpenAPI schema: it validates, documents every filter, format and error, and the API keeps to it."""

import re

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from heritage.wsgi import application
from register.models import AlternateName, Artefact, Article, Evidence, Restoration, Source

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def openapi():
    return SchemaGenerator().get_schema(request=None, public=True)


def test_the_schema_is_valid_openapi_3(openapi):
    validate_schema(openapi)
    assert openapi["openapi"].startswith("3.")


def test_the_schema_is_served_as_json_and_yaml(client):
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    assert "/api/v1/incidents/" in response.json()["paths"]
    assert client.get("/api/v1/schema/").content.startswith(b"openapi: 3.")


def parameters(openapi, path, method="get"):
    return {parameter["name"]: parameter for parameter in openapi["paths"][path][method]["parameters"]}


def test_every_filter_of_the_issue_is_documented(openapi):
    expected = {
        "/api/v1/incidents/": {
            "monument",
            "artefact",
            "kind",
            "grade",
            "strength",
            "perpetrator",
            "occurred_after",
            "occurred_before",
            "reported_after",
            "reported_before",
            "source",
            "q",
        },
        "/api/v1/monuments/": {"kind", "within", "condition", "bbox", "q"},
        "/api/v1/articles/": {"publisher", "published_after", "published_before", "mentions", "q"},
    }
    for path, names in expected.items():
        documented = parameters(openapi, path)
        assert names | {"ordering", "page_size", "cursor", "format"} <= set(documented), path


def test_each_list_documents_its_formats(openapi):
    formats = {
        path: parameters(openapi, path)["format"]["schema"]["enum"]
        for path in openapi["paths"]
        if "{" not in path and "format" in parameters(openapi, path)
    }
    assert set(formats["/api/v1/monuments/"]) == {"json", "csv", "geojson", "jsonld"}
    assert set(formats["/api/v1/incidents/"]) == {"json", "csv", "jsonld"}
    assert set(formats["/api/v1/articles/"]) == {"json", "csv", "jsonld"}
    assert set(formats["/api/v1/sources/"]) == {"json", "csv"}
    content = openapi["paths"]["/api/v1/monuments/"]["get"]["responses"]["200"]["content"]
    assert set(content) == {"application/json", "text/csv", "application/geo+json", "application/ld+json"}


def test_every_error_an_operation_can_answer_is_documented(openapi):
    listing = openapi["paths"]["/api/v1/incidents/"]["get"]["responses"]
    assert {"200", "400", "429"} <= set(listing)
    detail = openapi["paths"]["/api/v1/incidents/{slug}/"]
    assert {"200", "404", "429"} <= set(detail["get"]["responses"])
    assert {"400", "401", "403", "404", "412"} <= set(detail["patch"]["responses"])
    assert {"401", "403", "404", "409", "412"} <= set(detail["delete"]["responses"])
    assert "If-Match" in parameters(openapi, "/api/v1/incidents/{slug}/", "put")
    assert "ETag" in detail["get"]["responses"]["200"]["headers"]


def test_the_interactive_docs_load_nothing_from_another_site(client):
    for url in ("/api/v1/docs/",):
        html = client.get(url).content.decode()
        sources = re.findall(r'(?:src|href)="([^"]+)"', html)
        assert sources, url
        assert all(source.startswith("/") for source in sources), sources
        assert "cdn" not in html.lower() and "unpkg" not in html.lower(), url
    assert Client().get("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js").status_code == 200


@pytest.fixture
def register(site, tetrapylon, incident, make_evidence, make_incident, afp):
    """A little of everything, so generated requests find records as well as 404s."""
    make_evidence(incident)
    tetrapylon.latitude, tetrapylon.longitude = 34.5513, 38.2692
    tetrapylon.save()
    AlternateName.objects.create(monument=site, name="تدمر", language="ar")
    bust = Artefact.objects.create(name="Bust", slug="bust", origin=site)
    make_evidence(make_incident(slug="bust-looted", monument=None, artefact=bust, kind="looted", grade=""))
    make_evidence(
        Restoration.objects.create(
            slug="bust-restored", artefact=bust, kind="restoration", finished="2017", summary="R."
        )
    )
    Source.objects.create(name="ISCR", slug="iscr", kind="research")
    # A report held only by reference: no quote, no position, a note.
    reference = Article.objects.create(title="DGAM report", publisher=afp, url="https://dgam.example/report")
    Evidence.objects.create(article=reference, incident=incident, quote="", position=None, note="Reports it destroyed.")


@pytest.fixture
def wsgi_in_test_transaction():
    """Keep the test's database connection open across WSGI requests, as Django's own test client does.

    Django closes a connection at the end of each request when it is not in autocommit mode; inside a test's
    transaction that would close it under the test.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def operations():
    """Every GET operation of the schema, which an anonymous researcher may call."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application).include(method="GET")
    return [result.ok() for result in schema.get_all_operations()]


# No server error, and every answer documented: its status, its content type and its body's schema.
# (Schemathesis's positive_data_acceptance is left out on purpose: a well-formed slug that names no record,
# or a well-formed cursor the API never issued, answers 400 naming the parameter, by design.)
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=["valid", "invalid"])
def test_no_generated_request_makes_a_server_error_or_breaks_the_schema(register, wsgi_in_test_transaction, mode):
    """Schemathesis generates requests from the schema, and breaks them; no answer is a 5xx or undocumented.

    Invalid requests need not all be refused: an empty ``?kind=`` is read as no filter, as django-filter does.
    """
    for operation in operations():

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=12, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def call(case):
            case.call_and_validate(checks=CHECKS)

        try:
            call()
        except Unsatisfiable:
            # No parameter to make invalid (the bulk download takes none): nothing to test in this mode.
            assert mode is GenerationMode.NEGATIVE, operation.label
        except Exception as error:
            raise AssertionError(f"{operation.label}: {error}") from error
