"""What the read path answers is what the OpenAPI schema documents, field for field, for every record type.

Each record of every list and detail is checked against its schema component: the same fields (none missing,
none extra) and every value of the documented type, nested records and lists included.
"""

import copy

import jsonschema
import pytest
from django.core.management import call_command
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from register.models import AlternateName, Artefact, Article, Assessment, Evidence, Incident, Monument, Restoration

pytestmark = pytest.mark.django_db

# Each list, and the component its records are documented by (a list's item, a detail's body).
RECORD_TYPES = ["monuments", "artefacts", "incidents", "restorations", "assessments", "articles", "sources", "evidence"]


@pytest.fixture(scope="module")
def openapi():
    return SchemaGenerator().get_schema(request=None, public=True)


def strict(schema: dict, components: dict) -> dict:
    """Return ``schema`` as JSON Schema that holds a record to exactly what is documented.

    References are put in place, OpenAPI's ``nullable`` becomes a null type, and every object must have all its
    documented properties and no other: the read path always answers every field.
    """
    schema = copy.deepcopy(schema)
    if "$ref" in schema:
        return strict(components[schema["$ref"].rsplit("/", 1)[-1]], components)
    if "allOf" in schema and len(schema["allOf"]) == 1:
        nullable = schema.get("nullable", False)
        schema = strict(schema["allOf"][0], components)
        if nullable:
            schema = {"anyOf": [schema, {"type": "null"}]}
        return schema
    if schema.pop("nullable", False):
        if "type" in schema:
            schema["type"] = [schema["type"], "null"]
        if "enum" in schema:
            schema["enum"] = [*schema["enum"], None]
    # drf-spectacular documents a URL that may be blank as one of "empty" or "a URI", which an empty string is both.
    if "oneOf" in schema:
        schema["anyOf"] = schema.pop("oneOf")
    if "anyOf" in schema:
        schema["anyOf"] = [strict(option, components) for option in schema["anyOf"]]
    if "properties" in schema:
        schema["properties"] = {name: strict(value, components) for name, value in schema["properties"].items()}
        schema["required"] = list(schema["properties"])
        schema["additionalProperties"] = False
    if "items" in schema:
        schema["items"] = strict(schema["items"], components)
    return schema


def component_of(openapi: dict, path: str) -> dict:
    """Return the strict schema of one record of the list at ``path`` (its page's ``results`` items)."""
    components = openapi["components"]["schemas"]
    page = openapi["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    page = strict(page, components)
    return page["properties"]["results"]["items"]


def detail_component_of(openapi: dict, path: str) -> dict:
    components = openapi["components"]["schemas"]
    body = openapi["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    return strict(body, components)


@pytest.fixture
def register(db, curator):
    call_command("loaddata", "palmyra", verbosity=0)
    call_command("generate_register", monuments=12, seed=3, verbosity=0)
    # A site's part, so that part_of is shown set as well as empty.
    site, part = Monument.objects.order_by("pk")[:2]
    Monument.objects.filter(pk=part.pk).update(part_of=site)
    AlternateName.objects.filter(monument=part).delete()
    # Assessments with every field given and with the optional ones empty, of a monument and of an artefact.
    article = Article.objects.get(source_file="seeds/000_510c1c6efbd3d72d.txt")
    assessed = [
        Assessment.objects.create(
            slug="roman-theatre-assessed", monument=Monument.objects.get(slug="roman-theatre"), assessed="2017-01",
            condition="very_bad", extent="31-60", trend="declining", threats="Looting\nMilitary activity",
            priority="A", method="satellite_imagery", summary="The facade is damaged.", state="published",
            published=timezone.now(),
        ),
        Assessment.objects.create(
            slug="busts-assessed", artefact=Artefact.objects.get(slug="funerary-busts"), assessed="2017-03-01",
            condition="unknown", method="report", summary="Damaged, then restored.", state="published",
            published=timezone.now(),
        ),
    ]  # fmt: skip
    quotes = ["satellite images showed damage to the theatre's facade", "two funeral busts damaged by IS"]
    for assessment, quote in zip(assessed, quotes, strict=True):
        Evidence.objects.create(article=article, assessment=assessment, quote=quote, position=article.body.index(quote))
    call_command("refresh_conditions", verbosity=0)


def every_page(client: APIClient, path: str) -> list[dict]:
    records, address = [], path
    while address:
        response = client.get(address, {"page_size": 50} if address == path else None)
        assert response.status_code == 200, response.content
        records += response.json()["results"]
        address = response.json()["next"]
    return records


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("who", ["public", "curator"])
@pytest.mark.parametrize("name", RECORD_TYPES)
def test_every_record_of_every_list_and_detail_is_as_the_schema_documents(
    openapi, register, curator, name, who, language
):
    client = APIClient()
    # The same schema in both languages: labels and texts change, the fields and their types do not.
    client.credentials(HTTP_ACCEPT_LANGUAGE=language)
    if who == "curator":
        client.force_authenticate(curator)
    records = every_page(client, f"/api/v1/{name}/")
    assert records, f"the register has no {name} to check"
    validator = jsonschema.Draft4Validator(component_of(openapi, f"/api/v1/{name}/"))
    for record in records:
        validator.validate(record)
    detail_path = next(path for path in openapi["paths"] if path.startswith(f"/api/v1/{name}/{{"))
    detail = jsonschema.Draft4Validator(detail_component_of(openapi, detail_path))
    for record in records:
        response = client.get(record["api_url"])
        assert response.status_code == 200
        detail.validate(response.json())


def test_the_checked_data_holds_every_shape_a_field_can_take(register):
    # Null and present relations, nested lists empty and full, quotes and reports held by reference.
    shapes = {
        "a monument in a site": Monument.objects.filter(part_of__isnull=False),
        "a monument in none": Monument.objects.filter(part_of__isnull=True),
        "a monument with other names": Monument.objects.filter(names__isnull=False),
        "a monument with none": Monument.objects.filter(names__isnull=True),
        "an incident of an artefact": Incident.objects.filter(artefact__isnull=False),
        "a restoration": Restoration.objects.all(),
        "an assessment of a monument": Assessment.objects.filter(monument__isnull=False, priority="A"),
        "an assessment of an artefact": Assessment.objects.filter(artefact__isnull=False, priority=""),
        "an article carried by an outlet": Article.objects.filter(carried_by__isnull=False),
        "an article carried by none": Article.objects.filter(carried_by=None),
        "a report held by reference": Evidence.objects.filter(position__isnull=True),
        "a quote citing a source": Evidence.objects.filter(cited_source__isnull=False),
        "a quote citing none": Evidence.objects.filter(cited_source=None),
    }
    assert [shape for shape, records in shapes.items() if not records.exists()] == []


def test_a_record_with_a_field_the_schema_does_not_document_fails_the_check(openapi, register):
    # The check itself can fail: an extra field, or a missing one, is caught.
    record = APIClient().get("/api/v1/incidents/").json()["results"][0]
    validator = jsonschema.Draft4Validator(component_of(openapi, "/api/v1/incidents/"))
    with pytest.raises(jsonschema.ValidationError):
        validator.validate({**record, "undocumented": 1})
    with pytest.raises(jsonschema.ValidationError):
        validator.validate({name: value for name, value in record.items() if name != "summary"})
    with pytest.raises(jsonschema.ValidationError):
        validator.validate({**record, "evidence": [{**record["evidence"][0], "quote": 12}]})
