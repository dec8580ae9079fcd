"""No input crashes the API or search: what it cannot use answers 400 naming it, and the schema says what it takes.

Each case runs on SQLite and PostgreSQL alike; PostgreSQL is where a NUL or a backwards range once reached the
database and answered 500.
"""

import json
import re

import jsonschema
import pytest
from django.test import Client
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from register.api.urls import router
from register.models import Restoration, Source
from tests.conftest import published

pytestmark = pytest.mark.django_db

NUL = "pal\x00myra"


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def curator_api(curator):
    client = APIClient()
    client.force_authenticate(curator)
    return client


@pytest.fixture(scope="module")
def openapi():
    return SchemaGenerator().get_schema(request=None, public=True)


@pytest.fixture
def records(site, tetrapylon, article, incident, make_evidence, palmyra_names):
    """One record of every kind the API serves, each with a quote where it needs one to be public."""
    restoration = Restoration.objects.create(
        slug="busts-restored",
        artefact=palmyra_names["funerary-busts"],
        kind="restoration",
        finished="2017",
        **published(),
    )
    return {
        "monuments": site.slug,
        "artefacts": palmyra_names["funerary-busts"].slug,
        "incidents": incident.slug,
        "restorations": restoration.slug,
        "articles": article.pk,
        "sources": article.publisher.slug,
        "evidence": make_evidence(incident).pk,
        "_quote_for_restoration": make_evidence(restoration, quote="condemned by the United Nations"),
    }


# 7: a date range given backwards.

RANGES = [
    ("incidents", "occurred"),
    ("incidents", "reported"),
    ("restorations", "finished"),
    ("articles", "published"),
]


@pytest.mark.parametrize(("resource", "prefix"), RANGES, ids=[f"{r}-{p}" for r, p in RANGES])
def test_a_date_range_given_backwards_answers_400_naming_both_ends(api, records, resource, prefix):
    after, before = f"{prefix}_after", f"{prefix}_before"

    response = api.get(f"/api/v1/{resource}/", {after: "2020-01-01", before: "2010-01-01"})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {after, before}
    for messages in response.json().values():
        assert after in messages[0] and before in messages[0]


@pytest.mark.parametrize(("resource", "prefix"), RANGES, ids=[f"{r}-{p}" for r, p in RANGES])
def test_a_range_of_one_day_is_a_range(api, records, resource, prefix):
    response = api.get(f"/api/v1/{resource}/", {f"{prefix}_after": "2017-01-01", f"{prefix}_before": "2017-01-01"})
    assert response.status_code == 200


# 8: a NUL where text is read.


def test_a_nul_in_the_search_text_answers_400_saying_so(client, records):
    response = Client(raise_request_exception=False).get(reverse("register:search"), {"q": NUL})

    assert response.status_code == 400
    assert "Null characters are not allowed." in response.text


def test_search_still_finds_what_it_found(client, records):
    response = client.get(reverse("register:search"), {"q": "palmyra"})
    assert response.status_code == 200
    assert "/monuments/palmyra/" in response.text


def writable_fields(resource: str) -> list[str]:
    viewset = dict((prefix, viewset) for prefix, viewset, _basename in router.registry)[resource]
    serializer = viewset(action="partial_update", format_kwarg=None).get_serializer_class()()
    return [name for name, field in serializer.fields.items() if not field.read_only]


WRITES = [
    (resource, field)
    for resource in ("monuments", "artefacts", "incidents", "restorations", "articles", "sources", "evidence")
    for field in writable_fields(resource)
]


@pytest.mark.parametrize(("resource", "field"), WRITES, ids=[f"{r}.{f}" for r, f in WRITES])
def test_a_nul_in_any_field_of_a_write_answers_400_naming_the_field(curator_api, records, resource, field):
    url = f"/api/v1/{resource}/{records[resource]}/"
    before = curator_api.get(url).json()

    response = curator_api.patch(url, {field: NUL}, format="json", HTTP_IF_MATCH="*")

    assert response.status_code == 400, response.content
    assert list(response.json()) == [field]
    assert curator_api.get(url).json() == before


@pytest.mark.parametrize("resource", ["monuments", "incidents", "evidence"])
def test_a_nul_in_a_slug_of_a_new_record_answers_400_naming_it(curator_api, records, resource):
    body = {
        "monuments": {"name": "Agora", "slug": "agora", "kind": "other", "part_of": NUL},
        "incidents": {"slug": "x", "monument": NUL, "kind": "damaged", "occurred": "2015", "summary": "S."},
        "evidence": {"article": records["articles"], "incident": NUL, "quote": "Last month", "position": 0},
    }[resource]

    response = curator_api.post(f"/api/v1/{resource}/", body, format="json")

    assert response.status_code == 400
    assert "Null characters are not allowed." in json.dumps(response.json())


LISTS = ["monuments", "artefacts", "incidents", "restorations", "articles", "sources", "evidence"]


def list_parameters(openapi, resource: str) -> list[dict]:
    return [p for p in openapi["paths"][f"/api/v1/{resource}/"]["get"]["parameters"] if p["in"] == "query"]


@pytest.mark.parametrize("resource", LISTS)
def test_a_nul_in_any_parameter_of_a_list_answers_400_naming_it(api, openapi, records, resource):
    for parameter in list_parameters(openapi, resource):
        response = api.get(f"/api/v1/{resource}/", {parameter["name"]: NUL})
        assert response.status_code == 400, (parameter["name"], response.content)
        assert list(response.json()) == [parameter["name"]]


# 16: the schema and the behaviour agree.


def conforms(value: str, schema: dict) -> bool:
    """Whether a query parameter's text is a value its schema allows (read as OpenAPI reads a query string)."""
    try:
        if schema.get("type") == "integer":
            instance = int(value)
        elif schema.get("type") == "number":
            instance = float(value)
        elif schema.get("type") == "array":
            instance = [value]
        else:
            instance = value
    except ValueError:
        return False
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker()).is_valid(instance)


@pytest.mark.parametrize("resource", LISTS)
def test_a_parameter_given_empty_is_refused_exactly_where_the_schema_forbids_empty(api, openapi, records, resource):
    for parameter in list_parameters(openapi, resource):
        name = parameter["name"]
        response = api.get(f"/api/v1/{resource}/?{name}=")
        if conforms("", parameter["schema"]):
            assert response.status_code == 200, (name, response.content)
        else:
            assert response.status_code == 400, (name, response.content)
            assert list(response.json()) == [name]


@pytest.mark.parametrize(("url", "name"), [("/api/v1/monuments/", "format"), ("/api/v1/monuments/", "ordering")])
def test_an_empty_format_or_ordering_answers_400_naming_it(api, records, url, name):
    response = api.get(f"{url}?{name}=")
    assert response.status_code == 400
    assert list(response.json()) == [name]


def test_an_empty_within_answers_400_naming_it(api, records):
    response = api.get("/api/v1/monuments/?within=")
    assert response.status_code == 400
    assert list(response.json()) == ["within"]


def test_an_article_id_of_0_is_refused_and_the_schema_says_ids_start_at_1(api, openapi, records):
    [article] = [p for p in list_parameters(openapi, "evidence") if p["name"] == "article"]

    assert not conforms("0", article["schema"]) and conforms("1", article["schema"])
    assert api.get("/api/v1/evidence/", {"article": 0}).status_code == 400
    assert api.get("/api/v1/evidence/", {"article": records["articles"]}).status_code == 200


def test_a_cursor_is_refused_unless_it_has_the_shape_the_schema_gives_every_cursor_issued(api, openapi, records):
    [cursor] = [p for p in list_parameters(openapi, "sources") if p["name"] == "cursor"]
    Source.objects.create(name="Reuters", slug="reuters", kind="news_agency")
    issued = re.search(r"cursor=([^&]+)", api.get("/api/v1/sources/", {"page_size": 1}).json()["next"])[1]

    assert conforms(issued, cursor["schema"])
    assert api.get("/api/v1/sources/", {"page_size": 1, "cursor": issued}).status_code == 200
    assert not conforms("0", cursor["schema"])
    assert api.get("/api/v1/sources/", {"cursor": "0"}).status_code == 400


def test_an_unknown_slug_is_refused_naming_it_as_the_schema_documents(api, openapi, records):
    [origin] = [p for p in list_parameters(openapi, "artefacts") if p["name"] == "origin"]

    assert "unknown slug answers 400" in origin["description"]
    response = api.get("/api/v1/artefacts/", {"origin": "0"})
    assert response.status_code == 400
    assert list(response.json()) == ["origin"]


def test_writing_a_monument_as_geojson_answers_the_feature_collection_a_read_does(curator_api, records):
    body = {"name": "Temple of Bel", "slug": "temple-of-bel", "kind": "temple", "latitude": 34.547, "longitude": 38.27}

    created = curator_api.post("/api/v1/monuments/?format=geojson", body, format="json")

    assert created.status_code == 201
    assert created["Content-Type"] == "application/geo+json"
    assert created["Location"] == "http://testserver/api/v1/monuments/temple-of-bel/"
    assert created.json() == curator_api.get("/api/v1/monuments/temple-of-bel/?format=geojson").json()
    [feature] = created.json()["features"]
    assert feature["properties"]["slug"] == "temple-of-bel"
    edited = curator_api.patch(
        "/api/v1/monuments/temple-of-bel/?format=geojson", {"name": "Bel"}, format="json", HTTP_IF_MATCH="*"
    )
    assert edited.status_code == 200
    assert edited.json()["type"] == "FeatureCollection"
    assert edited.json()["features"][0]["properties"]["name"] == "Bel"


UNKNOWN = ["/api/v1/nothing-here/", "/api/v1/nothing-here", "/api/v1/monuments/palmyra/nothing/", "/api/", "/api/v2/"]


@pytest.mark.parametrize("method", ["get", "post", "put", "patch", "delete", "options"])
@pytest.mark.parametrize("path", UNKNOWN)
def test_an_unknown_api_address_answers_404_in_json_whatever_the_method(records, path, method):
    # A browser's session without a CSRF token: what a form or script on another site would send.
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)

    response = client.generic(method.upper(), path, "{}", content_type="application/json")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


def test_an_api_address_without_its_slash_is_redirected_to_it_when_read(records):
    response = Client().get("/api/v1/monuments?kind=site")

    assert response.status_code == 301
    assert response["Location"] == "/api/v1/monuments/?kind=site"
    assert response["Content-Type"] == "application/json"


def test_writing_to_an_api_address_without_its_slash_answers_404_naming_the_address(records):
    response = Client(raise_request_exception=False).post("/api/v1/monuments", {}, content_type="application/json")

    assert response.status_code == 404
    assert "/api/v1/monuments/" in response.json()["detail"]


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/api/v1/incidents/?occured_after=2020-01-01", "occured_after"),
        ("/api/v1/monuments/?kind=site&sort=name", "sort"),
        ("/api/v1/monuments/palmyra/?kind=site", "kind"),
        ("/api/v1/articles/?page=2", "page"),
    ],
)
def test_an_unknown_parameter_answers_400_naming_it_not_an_unfiltered_answer(api, records, url, name):
    response = api.get(url)

    assert response.status_code == 400
    assert list(response.json()) == [name]


def test_every_parameter_the_schema_documents_is_known(api, openapi, records):
    for path, operations in openapi["paths"].items():
        if not path.startswith("/api/v1/") or "get" not in operations or path.endswith(("/schema/", ".zip")):
            continue
        address = path.replace("{slug}", "palmyra").replace("{id}", str(records["articles"]))
        for parameter in operations["get"].get("parameters", []):
            if parameter["in"] != "query":
                continue
            response = api.get(address, {parameter["name"]: "x"})
            assert response.status_code in {200, 400, 404}, (path, parameter["name"])
            if response.status_code == 400:
                assert "Unknown parameter" not in json.dumps(response.json()), (path, parameter["name"])
