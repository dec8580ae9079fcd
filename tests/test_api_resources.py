"""The API's records: each carries its id, API URL and page URL, and what researchers need of it."""

import pytest
from rest_framework.test import APIClient

from register.models import AlternateName, Artefact, Article, Evidence, Incident, Mention, Source
from tests.conftest import QUOTE

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def evidenced(incident, make_evidence):
    sohr = Source.objects.create(name="Syrian Observatory for Human Rights", slug="sohr", kind="monitor")
    return make_evidence(incident, cited_source=sohr, cited_person="Rami Abdel Rahman")


def test_the_root_lists_every_resource_the_schema_docs_and_bulk_download(api):
    body = api.get("/api/v1/").json()
    assert set(body) == {
        "monuments",
        "artefacts",
        "incidents",
        "restorations",
        "assessments",
        "articles",
        "sources",
        "evidence",
        "schema",
        "docs",
        "bulk",
    }
    assert body["monuments"] == "http://testserver/api/v1/monuments/"


def test_a_monument_carries_names_coordinates_site_condition_and_counts(api, tetrapylon, evidenced):
    AlternateName.objects.create(monument=tetrapylon, name="التترابيل", language="ar")
    AlternateName.objects.create(monument=tetrapylon, name="Tetrakionion", language="en")
    tetrapylon.latitude, tetrapylon.longitude = "34.5513000", "38.2692000"
    tetrapylon.save()
    body = api.get("/api/v1/monuments/tetrapylon/").json()
    assert body["id"] == tetrapylon.pk
    assert body["api_url"] == "http://testserver/api/v1/monuments/tetrapylon/"
    assert body["page_url"] == "http://testserver/en/monuments/tetrapylon/"
    assert body["alternate_names"] == [
        {"name": "التترابيل", "language": "ar", "note": "", "right_to_left": True},
        {"name": "Tetrakionion", "language": "en", "note": "", "right_to_left": False},
    ]
    assert (body["latitude"], body["longitude"]) == (34.5513, 38.2692)
    assert body["part_of"] == "palmyra"
    assert body["condition"] == "destroyed"
    assert (body["incident_count"], body["evidence_count"]) == (1, 1)


def test_the_monument_list_gives_each_its_own_condition(api, tetrapylon, site, evidenced):
    conditions = {row["slug"]: row["condition"] for row in api.get("/api/v1/monuments/").json()["results"]}
    assert conditions == {"palmyra": "unknown", "tetrapylon": "destroyed"}


def test_an_incident_carries_its_subject_date_window_grading_and_every_quote(api, evidenced, article):
    body = api.get("/api/v1/incidents/tetrapylon-destroyed/").json()
    assert body["subject"] == {
        "type": "monument",
        "id": evidenced.incident.monument_id,
        "slug": "tetrapylon",
        "name": "Tetrapylon",
        "api_url": "http://testserver/api/v1/monuments/tetrapylon/",
        "page_url": "http://testserver/en/monuments/tetrapylon/",
    }
    assert (body["occurred"], body["occurred_earliest"], body["occurred_latest"]) == (
        "2017-01",
        "2017-01-01",
        "2017-01-31",
    )
    assert (body["kind"], body["grade"], body["strength"]) == ("destroyed", "destroyed", "single")
    [quote] = body["evidence"]
    assert quote["quote"] == QUOTE
    assert quote["citation"]["title"] == "Test report"
    assert quote["citation"]["publisher"]["short_name"] == "AFP"
    assert quote["citation"]["carried_by"] is None
    assert quote["citation"]["published"] == "2017-03-02"
    assert quote["citation"]["sha256"] == article.sha256
    assert quote["attribution"]["text"] == "AFP, citing Rami Abdel Rahman, Syrian Observatory for Human Rights"
    assert quote["attribution"]["cited_source"] == "Syrian Observatory for Human Rights"


def test_an_incident_about_an_artefact_summarises_the_artefact(api, make_incident, make_evidence, site):
    bust = Artefact.objects.create(name="Funerary bust", slug="bust", origin=site)
    make_evidence(make_incident(slug="bust-damaged", monument=None, artefact=bust, grade="severe", kind="damaged"))
    subject = api.get("/api/v1/incidents/bust-damaged/").json()["subject"]
    assert (subject["type"], subject["slug"], subject["page_url"]) == ("artefact", "bust", None)


def test_the_public_does_not_see_an_incident_no_quote_supports(api, incident):
    assert api.get("/api/v1/incidents/tetrapylon-destroyed/").status_code == 404
    assert api.get("/api/v1/incidents/").json()["results"] == []


def test_an_article_carries_its_metadata_body_fingerprint_and_the_monuments_it_is_quoted_about(
    api, article, evidenced, tetrapylon
):
    body = api.get(f"/api/v1/articles/{article.pk}/").json()
    assert (body["title"], body["publisher"], body["published"]) == ("Test report", "afp", "2017-03-02")
    assert body["body"] == article.body and body["raw_text"] == article.raw_text
    assert body["sha256"] == article.sha256
    assert [monument["slug"] for monument in body["mentions"]] == ["tetrapylon"]
    [listed] = api.get("/api/v1/articles/").json()["results"]
    assert "raw_text" not in listed
    assert [monument["slug"] for monument in listed["mentions"]] == ["tetrapylon"]


def test_an_article_lists_the_monuments_it_names_as_well_as_those_it_is_quoted_about(api, article, evidenced, site):
    Mention.objects.create(article=article, monument=site, position=article.body.index("Palmyra"), text="Palmyra")
    body = api.get(f"/api/v1/articles/{article.pk}/").json()
    assert [monument["slug"] for monument in body["mentions"]] == ["palmyra", "tetrapylon"]
    [listed] = api.get("/api/v1/articles/").json()["results"]
    assert listed["mentions"] == body["mentions"]


def test_evidence_names_its_incident_and_its_place_in_the_article(api, evidenced, article):
    body = api.get(f"/api/v1/evidence/{evidenced.pk}/").json()
    assert body["incident"] == "tetrapylon-destroyed" and body["restoration"] is None
    assert article.body[body["position"] : body["end"]] == body["quote"]
    assert body["page_url"] == f"http://testserver/en/articles/{article.pk}/#evidence-{evidenced.pk}"


def test_sources_and_artefacts_are_looked_up_by_slug(api, afp, site):
    Artefact.objects.create(name="Lion of Al-lat", slug="lion-of-al-lat", origin=site)
    assert api.get("/api/v1/sources/afp/").json()["short_name"] == "AFP"
    assert api.get("/api/v1/artefacts/lion-of-al-lat/").json()["origin"] == "palmyra"


def test_an_unknown_record_or_address_answers_json_404(api, site):
    for url in (
        "/api/v1/monuments/nowhere/",
        "/api/v1/monuments/not.a.slug/",
        "/api/v1/nothing/",
        "/api/v1/articles/x/",
    ):
        response = api.get(url)
        assert response.status_code == 404, url
        assert response.headers["Content-Type"] == "application/json", url
        assert "detail" in response.json(), url


def test_an_incident_reads_the_same_listed_or_fetched(api, evidenced):
    listed = api.get("/api/v1/incidents/").json()["results"][0]
    assert listed == api.get(listed["api_url"]).json()
    assert Incident.objects.count() == 1


def test_a_report_held_only_by_reference_reads_as_its_note(api, incident, make_evidence, afp):
    make_evidence(incident)
    reference = Article.objects.create(title="DGAM report", publisher=afp, url="https://dgam.example/report")
    Evidence.objects.create(
        article=reference, incident=incident, quote="", position=None, note="Reports the tetrapylon destroyed."
    )
    [quote, noted] = sorted(
        api.get(f"/api/v1/incidents/{incident.slug}/").json()["evidence"], key=lambda e: e["is_quote"]
    )[::-1]
    assert (quote["is_quote"], noted["is_quote"]) == (True, False)
    assert (noted["quote"], noted["position"], noted["end"]) == ("", None, None)
    assert noted["note"] == "Reports the tetrapylon destroyed."
    # Only quotes are counted as evidence of a monument.
    assert api.get("/api/v1/monuments/tetrapylon/").json()["evidence_count"] == 1
