"""The OpenAPI schema is valid and documents every filter, format and error; test_api_fuzz: the API keeps to it."""

import re

import pytest
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

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
