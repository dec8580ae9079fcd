"""Every format parsed back: CSV with the csv module, GeoJSON and JSON with json, JSON-LD with pyld."""

import csv
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from pyld import jsonld
from rest_framework.test import APIClient

from register.models import AlternateName, Article, Evidence, Source

pytestmark = pytest.mark.django_db

CRM = "http://www.cidoc-crm.org/cidoc-crm/"
RDF_TYPE = "@type"


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def evidenced(incident, make_evidence, tetrapylon):
    tetrapylon.latitude, tetrapylon.longitude = "34.5513000", "38.2692000"
    tetrapylon.wikidata = "Q5788"
    tetrapylon.save()
    AlternateName.objects.create(monument=tetrapylon, name="التترابيل", language="ar")
    sohr = Source.objects.create(name="Syrian Observatory for Human Rights", slug="sohr", kind="monitor")
    return make_evidence(incident, cited_source=sohr, cited_person="Rami Abdel Rahman")


def rows(response) -> list[dict]:
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


@pytest.mark.parametrize(
    "resource", ["monuments", "artefacts", "incidents", "restorations", "articles", "sources", "evidence"]
)
def test_every_list_answers_csv_with_a_header_even_when_empty(api, db, resource):
    response = api.get(f"/api/v1/{resource}/", {"format": "csv"})
    header = next(csv.reader(io.StringIO(response.content.decode("utf-8"))))
    assert rows(response) == []
    assert header[:2] == ["id", "api_url"]


def test_monuments_as_csv_are_one_flat_row_each(api, evidenced, site):
    by_slug = {row["slug"]: row for row in rows(api.get("/api/v1/monuments/", {"format": "csv"}))}
    assert set(by_slug) == {"palmyra", "tetrapylon"}
    row = by_slug["tetrapylon"]
    assert row["alternate_names"] == "التترابيل [ar]"
    assert (float(row["latitude"]), float(row["longitude"]), row["condition"]) == (34.5513, 38.2692, "destroyed")
    assert row["part_of"] == "palmyra"


def test_incidents_as_csv_flatten_the_subject_and_list_their_quotes_by_id(api, evidenced):
    [row] = rows(api.get("/api/v1/incidents/", {"format": "csv"}))
    assert (row["subject.type"], row["subject.slug"]) == ("monument", "tetrapylon")
    assert row["evidence"] == str(evidenced.pk)
    assert row["occurred_earliest"] == "2017-01-01"


def test_evidence_as_csv_carries_the_quote_citation_and_attribution(api, evidenced, article):
    [row] = rows(api.get("/api/v1/evidence/", {"format": "csv"}))
    assert row["quote"] == evidenced.quote
    assert row["citation.publisher.short_name"] == "AFP"
    assert row["citation.sha256"] == article.sha256
    assert row["attribution.text"] == "AFP, citing Rami Abdel Rahman, Syrian Observatory for Human Rights"


def test_a_record_answers_csv_too(api, evidenced):
    [row] = rows(api.get("/api/v1/monuments/tetrapylon/", {"format": "csv"}))
    assert row["slug"] == "tetrapylon"


def test_monuments_as_geojson_are_a_feature_collection_of_those_with_coordinates(api, evidenced, site):
    response = api.get("/api/v1/monuments/", {"format": "geojson"})
    assert response.headers["Content-Type"] == "application/geo+json"
    collection = response.json()
    assert collection["type"] == "FeatureCollection"
    [feature] = collection["features"]
    assert feature["geometry"]["coordinates"] == [38.2692, 34.5513]
    assert feature["properties"]["condition"] == "destroyed"
    assert feature["properties"]["api_url"] == "http://testserver/api/v1/monuments/tetrapylon/"
    assert collection["links"] == []


def test_geojson_pages_link_on_to_the_next(api, evidenced, site):
    site.latitude, site.longitude = 34.55, 38.27
    site.save()
    first = api.get("/api/v1/monuments/", {"format": "geojson", "page_size": 1}).json()
    [link] = first["links"]
    assert link["rel"] == "next" and link["type"] == "application/geo+json"
    second = api.get(link["href"]).json()
    names = [page["features"][0]["properties"]["slug"] for page in (first, second)]
    assert names == ["palmyra", "tetrapylon"]


def test_one_monument_as_geojson(api, evidenced):
    collection = api.get("/api/v1/monuments/tetrapylon/", {"format": "geojson"}).json()
    assert [feature["properties"]["slug"] for feature in collection["features"]] == ["tetrapylon"]


def offline_loader(url, options=None):
    raise AssertionError(f"JSON-LD processing tried to fetch {url}")


def expand(document) -> list[dict]:
    dropped = []
    expanded = jsonld.expand(
        document, {"documentLoader": offline_loader}, on_property_dropped=lambda name: dropped.append(name)
    )
    # Every term the API writes is defined in its context: nothing is lost in expansion.
    assert dropped == []
    return expanded


def nodes_of_type(expanded, type_iri):
    found = []

    def walk(value):
        if isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, dict):
            if type_iri in value.get(RDF_TYPE, []):
                found.append(value)
            for item in value.values():
                walk(item)

    walk(expanded)
    return found


def test_a_monument_in_json_ld_is_a_human_made_object_at_a_place(api, evidenced):
    response = api.get("/api/v1/monuments/tetrapylon/", {"format": "jsonld"})
    assert response.headers["Content-Type"] == "application/ld+json"
    expanded = expand(response.json())
    objects = {node["@id"]: node for node in nodes_of_type(expanded, CRM + "E22_Human-Made_Object")}
    monument = objects["http://testserver/api/v1/monuments/tetrapylon/"]
    [place] = monument[CRM + "P55_has_current_location"]
    assert place[CRM + "P168_place_is_defined_by"] == [{"@value": "POINT(38.2692 34.5513)"}]
    assert [site["@id"] for site in monument[CRM + "P46i_forms_part_of"]] == [
        "http://testserver/api/v1/monuments/palmyra/"
    ]
    names = [name[CRM + "P190_has_symbolic_content"][0] for name in monument[CRM + "P1_is_identified_by"]]
    assert {"@value": "التترابيل", "@language": "ar"} in names
    assert monument["https://linked.art/ns/terms/equivalent"] == [{"@id": "http://www.wikidata.org/entity/Q5788"}]


def test_an_incident_in_json_ld_is_a_destruction_with_its_time_span_and_quotes(api, evidenced, article):
    expanded = expand(api.get("/api/v1/incidents/", {"format": "jsonld"}).json())
    [destruction] = nodes_of_type(expanded, CRM + "E6_Destruction")
    assert destruction[CRM + "P13_destroyed"] == [{"@id": "http://testserver/api/v1/monuments/tetrapylon/"}]
    [span] = destruction[CRM + "P4_has_time-span"]
    assert span[CRM + "P82a_begin_of_the_begin"][0]["@value"] == "2017-01-01T00:00:00Z"
    assert span[CRM + "P82b_end_of_the_end"][0]["@value"] == "2017-01-31T23:59:59Z"
    quotes = [
        node
        for node in nodes_of_type(destruction, CRM + "E33_Linguistic_Object")
        if node.get("@id", "").endswith(f"/evidence/{evidenced.pk}/")
    ]
    [quote] = quotes
    assert quote[CRM + "P190_has_symbolic_content"] == [{"@value": evidenced.quote}]
    assert quote[CRM + "P106i_forms_part_of"][0]["@id"] == f"http://testserver/api/v1/articles/{article.pk}/"


def test_a_report_held_by_reference_in_json_ld_carries_its_note(api, evidenced, afp):
    reference = Article.objects.create(title="DGAM report", publisher=afp, url="https://dgam.example/report")
    noted = Evidence.objects.create(
        article=reference, incident=evidenced.incident, quote="", position=None, note="Reports it destroyed."
    )
    expanded = expand(api.get("/api/v1/incidents/tetrapylon-destroyed/", {"format": "jsonld"}).json())
    [node] = [
        n
        for n in nodes_of_type(expanded, CRM + "E33_Linguistic_Object")
        if n.get("@id", "").endswith(f"/evidence/{noted.pk}/")
    ]
    assert node[CRM + "P190_has_symbolic_content"] == [{"@value": "Reports it destroyed."}]


def test_lesser_damage_in_json_ld_is_an_event_in_the_presence_of_the_monument(api, make_incident, make_evidence):
    make_evidence(make_incident(slug="theatre-damaged", kind="damaged", grade="severe"))
    expanded = expand(api.get("/api/v1/incidents/theatre-damaged/", {"format": "jsonld"}).json())
    [event] = nodes_of_type(expanded, CRM + "E5_Event")
    assert event[CRM + "P12_occurred_in_the_presence_of"] == [{"@id": "http://testserver/api/v1/monuments/tetrapylon/"}]


def test_an_article_in_json_ld_is_a_document_about_the_monuments_it_is_quoted_on(api, evidenced, article):
    expanded = expand(api.get("/api/v1/articles/", {"format": "jsonld"}).json())
    [document] = nodes_of_type(expanded, CRM + "E31_Document")
    assert CRM + "E33_Linguistic_Object" in document["@type"]
    assert document[CRM + "P129_is_about"][0]["@id"] == "http://testserver/api/v1/monuments/tetrapylon/"
    identifiers = [
        node[CRM + "P190_has_symbolic_content"][0]["@value"] for node in document[CRM + "P1_is_identified_by"]
    ]
    assert article.sha256 in identifiers
    assert document[CRM + "P190_has_symbolic_content"] == [{"@value": article.body}]


def test_a_list_in_json_ld_is_a_graph_of_monuments(api, evidenced, site):
    document = api.get("/api/v1/monuments/", {"format": "jsonld"}).json()
    assert len(document["@graph"]) == 2
    assert len(nodes_of_type(expand(document), CRM + "E22_Human-Made_Object")) >= 2


PALMYRA = Path(__file__).resolve().parent.parent / "fixtures" / "palmyra.json"


@pytest.mark.skipif(not PALMYRA.exists(), reason="the Palmyra fixture is not there yet")
def test_the_palmyra_register_reads_back_in_every_format(api):
    call_command("loaddata", "palmyra", verbosity=0)
    call_command("refresh_conditions", verbosity=0)
    for resource in ("monuments", "artefacts", "incidents", "restorations", "articles", "sources", "evidence"):
        assert rows(api.get(f"/api/v1/{resource}/", {"format": "csv"})), resource
        assert api.get(f"/api/v1/{resource}/").json()["results"], resource
    assert api.get("/api/v1/monuments/", {"format": "geojson"}).json()["features"]
    for resource in ("monuments", "incidents", "articles"):
        assert expand(api.get(f"/api/v1/{resource}/", {"format": "jsonld"}).json()), resource


@pytest.mark.parametrize("format", ["json", "csv", "jsonld"])
def test_a_deletion_answers_no_content_whatever_format_is_asked(api, curator, afp, format):
    article = Article.objects.create(title="Unquoted report", publisher=afp, url="https://example.org/report")
    api.force_authenticate(curator)
    etag = api.get(f"/api/v1/articles/{article.pk}/")["ETag"]
    response = api.delete(f"/api/v1/articles/{article.pk}/?format={format}", HTTP_IF_MATCH=etag)
    assert response.status_code == 204
    assert response.content == b""
    assert not Article.objects.filter(pk=article.pk).exists()
