"""The API speaks English and Arabic: labels and curators' texts follow ``lang`` or Accept-Language, codes do not."""

import csv
import io

import pytest
from django.core.management import call_command
from django.db.models import TextChoices
from django.utils import timezone, translation
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from register.models import Article, Assessment, Evidence, Incident, Monument, vocabularies

pytestmark = pytest.mark.django_db

RECORD_TYPES = ["monuments", "artefacts", "incidents", "restorations", "assessments", "articles", "sources", "evidence"]
ARABIC_SUMMARY = "دُمِّر التترابيلون."


@pytest.fixture
def register(db):
    call_command("loaddata", "palmyra", verbosity=0)
    call_command("refresh_conditions", verbosity=0)
    # One incident translated, the others in English alone.
    translated = Incident.objects.public().order_by("pk").first()
    Incident.objects.filter(pk=translated.pk).update(summary_ar=ARABIC_SUMMARY)
    # An assessment, which the fixture has none of, with a quote that makes it public.
    article = Article.objects.get(source_file="seeds/000_510c1c6efbd3d72d.txt")
    assessment = Assessment.objects.create(
        slug="roman-theatre-assessed", monument=Monument.objects.get(slug="roman-theatre"), assessed="2017-01",
        condition="very_bad", extent="31-60", trend="declining", threats="Looting", priority="A",
        method="satellite_imagery", summary="The facade is damaged.", state="published", published=timezone.now(),
    )  # fmt: skip
    quote = "satellite images showed damage to the theatre's facade"
    Evidence.objects.create(article=article, assessment=assessment, quote=quote, position=article.body.index(quote))
    call_command("refresh_conditions", verbosity=0)
    return translated


def vocabulary_in_arabic() -> dict[tuple[str, str], str]:
    """Return every vocabulary's Arabic word by its code and English word."""
    found = {}
    for vocabulary in vars(vocabularies).values():
        if isinstance(vocabulary, type) and issubclass(vocabulary, TextChoices) and vocabulary is not TextChoices:
            for member in vocabulary:
                with translation.override("en"):
                    english = str(member.label)
                with translation.override("ar"):
                    found[(member.value, english)] = str(member.label)
    return found


VOCABULARY_IN_ARABIC = vocabulary_in_arabic()


def labels_and_codes(record: dict, codes: dict, labels: dict, prefix: str = "") -> None:
    """Collect every ``*_label`` of a record, nested ones too, beside the code it names."""
    for name, value in record.items():
        if name.endswith("_label"):
            code = name.removesuffix("_label")
            codes[f"{prefix}{code}"] = record[code]
            labels[f"{prefix}{code}"] = value
        elif isinstance(value, dict):
            labels_and_codes(value, codes, labels, f"{prefix}{name}.")
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, dict):
                    labels_and_codes(item, codes, labels, f"{prefix}{name}.{index}.")


def read(path: str, language: str, how: str) -> dict:
    client = APIClient()
    if how == "header":
        response = client.get(path, HTTP_ACCEPT_LANGUAGE=f"{language}-SY;q=0.9, fr;q=1.0")
    else:
        response = client.get(path, {"lang": language}, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 200, response.content
    assert response["Content-Language"] == language
    assert "Accept-Language" in response["Vary"]
    return response.json()


@pytest.mark.parametrize("how", ["header", "parameter"])
@pytest.mark.parametrize("name", RECORD_TYPES)
def test_every_list_and_detail_keeps_its_codes_and_translates_its_labels(register, name, how):
    english, arabic = read(f"/api/v1/{name}/", "en", how), read(f"/api/v1/{name}/", "ar", how)
    assert english["results"], f"the register has no {name}"
    pairs = list(zip(english["results"], arabic["results"], strict=True))
    first_en, _first_ar = pairs[0]
    pairs.append((read(first_en["api_url"], "en", how), read(first_en["api_url"], "ar", how)))
    seen_labels = 0
    for record_en, record_ar in pairs:
        assert record_en.keys() == record_ar.keys()
        codes_en, labels_en, codes_ar, labels_ar = {}, {}, {}, {}
        labels_and_codes(record_en, codes_en, labels_en)
        labels_and_codes(record_ar, codes_ar, labels_ar)
        assert codes_en == codes_ar
        for field, code in codes_en.items():
            if not code:
                assert labels_en[field] is None and labels_ar[field] is None
                continue
            seen_labels += 1
            # Each label is the vocabulary's word in the asked language, from the catalog.
            assert labels_ar[field] == VOCABULARY_IN_ARABIC[(code, labels_en[field])], field
    assert seen_labels


def test_a_translated_summary_is_given_in_arabic_and_an_untranslated_one_in_english_flagged(register):
    translated = register
    records = {record["slug"]: record for record in read("/api/v1/incidents/", "ar", "parameter")["results"]}
    mine = records[translated.slug]
    assert (mine["summary"], mine["summary_language"]) == (ARABIC_SUMMARY, "ar")
    others = [record for slug, record in records.items() if slug != translated.slug]
    assert others
    for record in others:
        stored = Incident.objects.get(slug=record["slug"]).summary_en
        assert (record["summary"], record["summary_language"]) == (stored, "en")
    english = read(f"/api/v1/incidents/{translated.slug}/", "en", "parameter")
    assert (english["summary_language"], english["summary"]) == ("en", translated.summary_en)


def test_a_monument_without_a_description_names_no_language(register):
    Monument.objects.filter(slug="palmyra").update(description_en=None, description_ar=None)
    record = read("/api/v1/monuments/palmyra/", "ar", "parameter")
    assert (record["description"], record["description_language"]) == ("", None)


@pytest.mark.parametrize("value", ["fr", "", "AR", "ar,en"])
@pytest.mark.parametrize("path", ["/api/v1/", "/api/v1/monuments/", "/api/v1/monuments/palmyra/", "/api/v1/schema/"])
def test_an_unsupported_language_is_refused_naming_the_parameter(register, path, value):
    response = APIClient().get(path, {"lang": value})
    assert response.status_code == 400
    assert list(response.json()) == ["lang"]
    assert f"“{value}”" in response.json()["lang"][0]


def test_an_unsupported_accept_language_is_answered_in_english(register):
    response = APIClient().get("/api/v1/monuments/palmyra/", HTTP_ACCEPT_LANGUAGE="fr, de;q=0.5")
    assert response.status_code == 200
    assert response["Content-Language"] == "en"


def test_each_language_has_its_own_etag_and_either_lets_a_curator_write(register, admin_user):
    client = APIClient()
    client.force_authenticate(admin_user)
    english = client.get("/api/v1/monuments/palmyra/", {"lang": "en"})["ETag"]
    arabic = client.get("/api/v1/monuments/palmyra/", {"lang": "ar"})["ETag"]
    assert english != arabic
    written = client.patch(
        "/api/v1/monuments/palmyra/?lang=ar", {"description": "مدينة أثرية."}, format="json", HTTP_IF_MATCH=arabic
    )
    assert written.status_code == 200, written.content
    assert (written.json()["description"], written.json()["description_language"]) == ("مدينة أثرية.", "ar")
    stored = Monument.objects.values("description_en", "description_ar").get(slug="palmyra")
    # Written in the request's language: the English text is left as it was.
    assert stored["description_ar"] == "مدينة أثرية." and stored["description_en"]
    stale = client.patch(
        "/api/v1/monuments/palmyra/?lang=en", {"description": "Changed."}, format="json", HTTP_IF_MATCH=english
    )
    assert stale.status_code == 412


def test_csv_has_the_labels_and_the_texts_language_in_the_asked_language(register):
    response = APIClient().get("/api/v1/incidents/", {"format": "csv", "lang": "ar"})
    assert response["Content-Language"] == "ar"
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    assert {"kind", "kind_label", "summary", "summary_language"} <= rows[0].keys()
    assert {row["summary_language"] for row in rows} == {"ar", "en"}


def test_json_ld_tags_each_text_with_its_language(register):
    response = APIClient().get(f"/api/v1/incidents/{register.slug}/", {"format": "jsonld", "lang": "ar"})
    summaries = [
        statement["content"]
        for statement in response.json()["referred_to_by"]
        if statement.get("classified_as", [{}])[0].get("_label") == "summary"
    ]
    assert summaries == [{"@value": ARABIC_SUMMARY, "@language": "ar"}]


def test_the_schema_documents_the_language_on_every_operation():
    openapi = SchemaGenerator().get_schema(request=None, public=True)
    for path, operations in openapi["paths"].items():
        for method, operation in operations.items():
            names = {(parameter["name"], parameter["in"]) for parameter in operation.get("parameters", [])}
            assert ("lang", "query") in names, (path, method)
            assert ("Accept-Language", "header") in names, (path, method)
            if method == "get" and "200" in operation["responses"]:
                assert "Content-Language" in operation["responses"]["200"].get("headers", {}), path
    incident = openapi["components"]["schemas"]["Incident"]["properties"]
    assert {"kind_label", "grade_label", "summary_language"} <= incident.keys()
    assert "Content-Language" in incident["summary_language"]["description"]
