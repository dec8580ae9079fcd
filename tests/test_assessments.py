"""Assessments: a dated statement of a monument's or artefact's state, evidenced by quotes, on every channel.

The model and its constraints, the condition it states, the API (list, detail, filters, CSV, JSON-LD, writes), the
admin with its quotes inline, the public pages, the bulk download, and assessments suggested from the sentences of
surveys and imagery assessments that state a condition.
"""

import csv
import io
import json
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from rest_framework.test import APIClient

from register.ingest.suggestions import stated_condition
from register.models import Assessment, Evidence, Monument, Restoration, Suggestion, SuggestionStatus
from register.models.events import public_rule
from register.services.articles import article_import, assessment_method_for, suggestion_accept
from register.services.backup import backup_export, backup_restore
from register.services.bulk_export import bulk_export
from register.services.condition import condition_now, condition_timeline
from register.services.publication import publish
from tests import document_files as files
from tests.conftest import QUOTE, published
from tests.test_admin import unchanged_form_data
from tests.test_api_formats import CRM, expand, nodes_of_type
from tests.test_backup import wipe_register

pytestmark = pytest.mark.django_db

OTHER_QUOTE = "satellite images showed damage to the theatre's facade"


@pytest.fixture
def make_assessment(tetrapylon):
    def make(*, slug="tetrapylon-assessed", assessed="2017-02", condition="destroyed", **fields):
        fields.setdefault("monument", tetrapylon)
        fields.setdefault("method", "satellite_imagery")
        fields.setdefault("summary", "Only two columns stand.")
        return Assessment.objects.create(slug=slug, assessed=assessed, condition=condition, **fields, **published())

    return make


@pytest.fixture
def assessed(make_assessment, make_evidence):
    """A public assessment of the Tetrapylon with every field given, and its quote."""
    assessment = make_assessment(
        extent="91-100", trend="declining", threats="Looting\nUnexploded ordnance", priority="A"
    )
    make_evidence(assessment)
    return assessment


# The model


def test_an_assessment_is_about_exactly_one_monument_or_artefact(make_assessment, palmyra_names):
    with transaction.atomic(), pytest.raises(IntegrityError):
        make_assessment(slug="both", artefact=palmyra_names["funerary-busts"])
    with transaction.atomic(), pytest.raises(IntegrityError):
        make_assessment(slug="neither", monument=None)


@pytest.mark.parametrize(
    "field, value",
    [("condition", "ruined"), ("extent", "50%"), ("trend", "worse"), ("priority", "G"), ("method", "drone")],
)
def test_the_database_refuses_a_value_outside_each_vocabulary(make_assessment, field, value):
    with transaction.atomic(), pytest.raises(IntegrityError):
        make_assessment(**{field: value})


def test_its_date_is_an_edtf_window_of_days(make_assessment):
    assessment = make_assessment(assessed="2016-12-26/2017-01-10")
    assert (str(assessment.assessed_earliest), str(assessment.assessed_latest)) == ("2016-12-26", "2017-01-10")
    with pytest.raises(ValidationError, match="not an EDTF date"):
        Assessment(
            slug="bad",
            monument=assessment.monument,
            assessed="last winter",
            condition="poor",
            method="report",
            summary="S.",
        ).full_clean()


def test_a_destroyed_place_cannot_be_assessed_as_undamaged(make_assessment):
    assessment = make_assessment(extent="none")
    with pytest.raises(ValidationError, match="no damage"):
        assessment.full_clean()


def test_it_reads_as_its_subject_what_it_found_and_when(make_assessment):
    assert str(make_assessment()) == "Tetrapylon: destroyed (satellite imagery), 2017-02"


def test_evidence_is_for_exactly_one_incident_restoration_or_assessment(make_assessment, incident, article):
    assessment = make_assessment()
    position = article.body.index(QUOTE)
    with transaction.atomic(), pytest.raises(IntegrityError):
        Evidence.objects.create(
            article=article, incident=incident, assessment=assessment, quote=QUOTE, position=position
        )
    Evidence.objects.create(article=article, assessment=assessment, quote=QUOTE, position=position)
    with transaction.atomic(), pytest.raises(IntegrityError):
        Evidence.objects.create(article=article, assessment=assessment, quote=QUOTE, position=position)
    # The same passage may support an incident as well: one quote per event.
    Evidence.objects.create(article=article, incident=incident, quote=QUOTE, position=position)


def test_an_assessment_is_public_once_a_quote_supports_it_and_its_evidence_with_it(make_assessment, make_evidence):
    assessment = make_assessment()
    assert not Assessment.objects.public().exists()
    quote = make_evidence(assessment)
    assert list(Assessment.objects.public()) == [assessment]
    assert list(Evidence.objects.public()) == [quote]
    flags = Assessment.objects.annotate(rule=public_rule(Assessment)).values_list("is_public", "rule")
    assert list(flags) == [(True, True)]


def test_an_evidence_natural_key_names_its_assessment(assessed):
    quote = assessed.evidence.get()
    assert quote.natural_key()[-1] == assessed.slug
    assert Evidence.objects.get_by_natural_key(*quote.natural_key()) == quote


# The condition it states


def test_the_monument_stores_the_condition_its_latest_assessment_states(tetrapylon, make_assessment, make_evidence):
    make_evidence(make_assessment(condition="poor"))
    tetrapylon.refresh_from_db()
    assert tetrapylon.condition == condition_now(tetrapylon) == "poor"
    assert tetrapylon.evidence_count == 1


# The API


def test_the_list_and_detail_show_every_field_and_the_quotes(assessed, article):
    api = APIClient()
    [record] = api.get("/api/v1/assessments/").json()["results"]
    assert record == api.get("/api/v1/assessments/tetrapylon-assessed/").json()
    assert record["subject"]["slug"] == record["monument"] == "tetrapylon"
    assert (record["assessed"], record["assessed_earliest"], record["assessed_latest"]) == (
        "2017-02",
        "2017-02-01",
        "2017-02-28",
    )
    assert {name: record[name] for name in ("condition", "extent", "trend", "priority", "method")} == {
        "condition": "destroyed",
        "extent": "91-100",
        "trend": "declining",
        "priority": "A",
        "method": "satellite_imagery",
    }
    assert record["threats"] == "Looting\nUnexploded ordnance"
    assert record["page_url"] == "http://testserver/en/assessments/tetrapylon-assessed/"
    [quote] = record["evidence"]
    assert (quote["quote"], quote["article"]) == (QUOTE, article.pk)
    evidence = api.get(quote["api_url"]).json()
    assert (evidence["assessment"], evidence["incident"], evidence["restoration"]) == (
        "tetrapylon-assessed",
        None,
        None,
    )


def test_an_unpublished_assessment_is_unknown_to_the_public_and_shown_to_curators(make_assessment, curator):
    make_assessment(slug="draft")
    api = APIClient()
    assert api.get("/api/v1/assessments/").json()["results"] == []
    assert api.get("/api/v1/assessments/draft/").status_code == 404
    assert api.get("/api/v1/evidence/", {"assessment": "draft"}).status_code == 400
    api.force_authenticate(curator)
    assert [row["slug"] for row in api.get("/api/v1/assessments/").json()["results"]] == ["draft"]


@pytest.fixture
def several(site, tetrapylon, make_assessment, make_evidence, palmyra_names):
    theatre = palmyra_names["roman-theatre"]
    made = [
        make_assessment(slug="tetrapylon-2017", assessed="2017-02", condition="destroyed", priority="A"),
        make_assessment(
            slug="theatre-2016",
            monument=theatre,
            assessed="2016-03-27/2016-04-10",
            condition="poor",
            method="field_visit",
            priority="C",
        ),
        make_assessment(slug="palmyra-2019", monument=site, assessed="2019", condition="very_bad", method="report"),
        make_assessment(
            slug="busts-2017",
            monument=None,
            artefact=palmyra_names["funerary-busts"],
            assessed="2017-03-01",
            condition="fair",
            method="field_visit",
        ),
    ]
    for assessment in made:
        make_evidence(assessment)
    return made


def slugs(**filters) -> list[str]:
    response = APIClient().get("/api/v1/assessments/", filters)
    assert response.status_code == 200, response.content
    return [record["slug"] for record in response.json()["results"]]


def test_the_filters_by_monument_condition_priority_method_and_window(several):
    # A site includes its parts and the artefacts that come from them (the busts, from its museum).
    assert slugs(monument="palmyra") == ["theatre-2016", "tetrapylon-2017", "busts-2017", "palmyra-2019"]
    assert slugs(monument="roman-theatre") == ["theatre-2016"]
    assert slugs(artefact="funerary-busts") == ["busts-2017"]
    assert slugs(condition=["destroyed", "poor"]) == ["theatre-2016", "tetrapylon-2017"]
    assert slugs(priority="C") == ["theatre-2016"]
    assert slugs(method="field_visit") == ["theatre-2016", "busts-2017"]
    # Windows that overlap: the theatre's ends on 10 April 2016, the Tetrapylon's starts on 1 February 2017.
    assert slugs(assessed_after="2016-04-10", assessed_before="2017-02-01") == ["theatre-2016", "tetrapylon-2017"]
    assert slugs(assessed_after="2016-04-11", assessed_before="2017-01-31") == []
    assert slugs(ordering="-assessed_earliest")[0] == "palmyra-2019"


@pytest.mark.parametrize(
    "query, parameter",
    [
        ({"monument": "nowhere"}, "monument"),
        ({"priority": "Z"}, "priority"),
        ({"assessed_after": "2017-13-01"}, "assessed_after"),
        ({"assessed_after": "2018-01-01", "assessed_before": "2017-01-01"}, "assessed_before"),
        ({"assesed_after": "2017-01-01"}, "assesed_after"),
    ],
)
def test_a_bad_filter_answers_400_naming_its_parameter(several, query, parameter):
    response = APIClient().get("/api/v1/assessments/", query)
    assert response.status_code == 400
    assert parameter in response.json()


def test_the_csv_has_a_row_per_assessment_with_its_quotes_joined_by_id(assessed):
    response = APIClient().get("/api/v1/assessments/", {"format": "csv"})
    [row] = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    assert (row["slug"], row["condition"], row["priority"], row["subject.name"]) == (
        "tetrapylon-assessed",
        "destroyed",
        "A",
        "Tetrapylon",
    )
    assert row["evidence"] == str(assessed.evidence.get().pk)
    assert row["threats"] == "Looting\nUnexploded ordnance"


def test_in_json_ld_an_assessment_is_an_e14_that_identified_an_e3_condition_state(assessed, article):
    document = APIClient().get("/api/v1/assessments/tetrapylon-assessed/", {"format": "jsonld"}).json()
    expanded = expand(document)
    [node] = nodes_of_type(expanded, CRM + "E14_Condition_Assessment")
    tetrapylon = "http://testserver/api/v1/monuments/tetrapylon/"
    assert node[CRM + "P34_concerned"] == [{"@id": tetrapylon}]
    [state] = node[CRM + "P35_has_identified"]
    assert state["@type"] == [CRM + "E3_Condition_State"]
    assert state[CRM + "P44i_is_condition_of"] == [{"@id": tetrapylon}]
    types = [kind["http://www.w3.org/2000/01/rdf-schema#label"][0]["@value"] for kind in state[CRM + "P2_has_type"]]
    assert "condition (EAMENA): destroyed" in types and "damage extent: 91-100" in types
    [span] = state[CRM + "P4_has_time-span"]
    assert span[CRM + "P82a_begin_of_the_begin"][0]["@value"] == "2017-02-01T00:00:00Z"
    assert span[CRM + "P82b_end_of_the_end"][0]["@value"] == "2017-02-28T23:59:59Z"
    quotes = nodes_of_type(node, CRM + "E33_Linguistic_Object")
    assert {"@value": QUOTE} in [
        value for quote in quotes for value in quote.get(CRM + "P190_has_symbolic_content", [])
    ]
    listed = expand(APIClient().get("/api/v1/assessments/", {"format": "jsonld"}).json())
    assert len(nodes_of_type(listed, CRM + "E14_Condition_Assessment")) == 1


def test_a_curator_writes_an_assessment_and_its_quote_through_the_api(curator, tetrapylon, article):
    api = APIClient()
    api.force_authenticate(curator)
    body = {
        "slug": "tetrapylon-surveyed",
        "monument": "tetrapylon",
        "assessed": "2017-04-02",
        "condition": "very_bad",
        "method": "field_visit",
        "summary": "Surveyed after the recapture.",
    }
    response = api.post("/api/v1/assessments/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["trend"] == "unknown"
    assert APIClient().get("/api/v1/assessments/tetrapylon-surveyed/").status_code == 404
    quote = {
        "article": article.pk,
        "assessment": "tetrapylon-surveyed",
        "quote": QUOTE,
        "position": article.body.index(QUOTE),
    }
    assert api.post("/api/v1/evidence/", quote, format="json").status_code == 201
    # Written through the API, it is a draft until a curator publishes it in the admin.
    assert APIClient().get("/api/v1/assessments/tetrapylon-surveyed/").status_code == 404
    publish(Assessment.objects.get(slug="tetrapylon-surveyed"))
    assert APIClient().get("/api/v1/assessments/tetrapylon-surveyed/").status_code == 200
    tetrapylon.refresh_from_db()
    assert tetrapylon.condition == "very_bad"
    bad = api.post("/api/v1/assessments/", {**body, "slug": "other", "assessed": "soon"}, format="json")
    assert bad.status_code == 400 and "assessed" in bad.json()


# The admin


def test_a_curator_adds_an_assessment_with_its_quote_inline_in_the_admin(curator_client, tetrapylon, article):
    url = reverse("admin:register_assessment_add")
    response = curator_client.get(url)
    prefix = response.context["inline_admin_formsets"][0].formset.prefix
    data = unchanged_form_data(response)
    data.update(
        {
            "slug": "tetrapylon-visited",
            "monument": tetrapylon.pk,
            "method": "field_visit",
            "assessed": "2017-04-02",
            "condition": "very_bad",
            "extent": "61-90",
            "trend": "stable",
            "priority": "B",
            # The admin edits each language's text (register.translation): these are the English ones.
            "threats_en": "Unexploded ordnance",
            "summary_en": "Two columns stand.",
            f"{prefix}-0-article": article.pk,
            f"{prefix}-0-quote": QUOTE,
            f"{prefix}-0-position": article.body.index(QUOTE),
            f"{prefix}-0-stance": "supports",
            f"{prefix}-TOTAL_FORMS": 1,
        }
    )
    response = curator_client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    assessment = Assessment.objects.get(slug="tetrapylon-visited")
    assert not assessment.is_public and assessment.evidence.get().quote == QUOTE
    changelist = reverse("admin:register_assessment_changelist")
    curator_client.post(changelist, {"action": "publish_selected", "_selected_action": [assessment.pk]})
    assessment.refresh_from_db()
    assert assessment.is_public
    tetrapylon.refresh_from_db()
    assert tetrapylon.condition == "very_bad"
    changelist = curator_client.get(reverse("admin:register_assessment_changelist"), {"priority__exact": "B"})
    assert list(changelist.context["cl"].result_list) == [assessment]


def test_the_admin_refuses_a_quote_that_is_not_in_its_article(curator_client, tetrapylon, article):
    url = reverse("admin:register_assessment_add")
    response = curator_client.get(url)
    prefix = response.context["inline_admin_formsets"][0].formset.prefix
    data = unchanged_form_data(response)
    data.update(
        {
            "slug": "misquoted",
            "monument": tetrapylon.pk,
            "method": "report",
            "assessed": "2017",
            "condition": "poor",
            "summary": "S.",
            f"{prefix}-0-article": article.pk,
            f"{prefix}-0-quote": "Words no report holds",
            f"{prefix}-0-position": 0,
            f"{prefix}-0-stance": "supports",
            f"{prefix}-TOTAL_FORMS": 1,
        }
    )
    response = curator_client.post(url, data)
    assert response.status_code == 200
    assert not Assessment.objects.exists()


# The public pages


def test_the_assessment_page_shows_what_it_found_and_its_quote(client, assessed):
    page = client.get(reverse("register:assessment-detail", args=[assessed.slug])).text
    assert "Assessment" in page and "Satellite imagery" in page
    assert "91-100%" in page and "Unexploded ordnance" in page
    assert "A: immediate risk of further rapid deterioration" in page
    assert "IS destroyed Palmyra" in page


def test_an_unpublished_assessment_has_no_page(client, make_assessment):
    assert client.get(reverse("register:assessment-detail", args=[make_assessment().slug])).status_code == 404


def test_the_monument_page_shows_the_assessment_on_its_timeline(
    client, tetrapylon, assessed, make_incident, make_evidence
):
    make_evidence(make_incident(slug="blown-up", occurred="2017-01"))
    page = client.get(tetrapylon.get_absolute_url()).text
    assert 'id="event-tetrapylon-assessed"' in page
    assert 'class="event assessment"' in page and 'class="marker diamond"' in page
    assert "Assessment: destroyed (satellite imagery)" in page


# The bulk download


def test_the_bulk_download_holds_the_public_assessments_as_the_api_answers_them(
    settings, tmp_path, assessed, make_assessment
):
    settings.EXPORTS_ROOT = tmp_path
    make_assessment(slug="draft")
    export = bulk_export(base_url="http://testserver")
    assert export.counts["assessments"] == 1
    with zipfile.ZipFile(export.path) as archive:
        [line] = archive.read("assessments.jsonl").decode().splitlines()
        rows = list(csv.DictReader(io.StringIO(archive.read("assessments.csv").decode())))
        readme = archive.read("README.txt").decode()
    assert json.loads(line) == APIClient().get("/api/v1/assessments/tetrapylon-assessed/").json()
    assert [row["slug"] for row in rows] == ["tetrapylon-assessed"]
    assert "assessments (1 records)" in readme


# A backup restored


def test_a_restored_backup_brings_back_assessments_their_quotes_and_the_condition_they_state(
    settings, tmp_path, tetrapylon, assessed
):
    settings.MEDIA_ROOT = tmp_path / "media"
    archive = tmp_path / "backup.zip"
    backup_export(path=archive)
    wipe_register()

    backup_restore(path=archive)

    restored = Assessment.objects.get(slug=assessed.slug)
    assert (restored.condition, restored.priority, restored.threats) == ("destroyed", "A", assessed.threats)
    assert restored.evidence.get().quote == QUOTE
    assert list(Assessment.objects.public()) == [restored]
    assert Monument.objects.get(slug="tetrapylon").condition == "destroyed"


# Suggested from what surveys and imagery assessments state


@pytest.mark.parametrize(
    "phrase, condition",
    [
        ("completely destroyed", "destroyed"),
        ("severely damaged", "very_bad"),
        ("largely destroyed", "very_bad"),
        ("only two of the sixteen columns stand", "very_bad"),
        ("moderately damaged", "poor"),
        ("partially damaged", "poor"),
        ("possibly damaged", "fair"),
        ("is in poor condition", "poor"),
        ("no visible damage", "good"),
        ("remains intact", "good"),
        ("is still standing", "good"),
    ],
)
def test_the_condition_a_stated_phrase_guesses(phrase, condition):
    assert stated_condition(phrase) == condition


def test_the_method_follows_the_kind_of_document():
    assert assessment_method_for("imagery_assessment") == "satellite_imagery"
    assert assessment_method_for("field_survey") == "field_visit"
    assert assessment_method_for("news_report") == "report"
    assert assessment_method_for("official_statement") == "report"


def test_an_imagery_assessment_suggests_assessments_with_their_condition(palmyra_names):
    article = article_import(data=files.pdf(), name="assessment.pdf").article
    suggested = {
        suggestion.monument.slug: suggestion
        for suggestion in Suggestion.objects.of_assessments().filter(article=article)
    }
    assert set(suggested) == {"roman-theatre", "monumental-arch"}
    theatre = suggested["roman-theatre"]
    assert (theatre.quote, theatre.trigger, theatre.condition) == (
        "The Roman Theatre shows no visible damage.",
        "no visible damage",
        "good",
    )
    assert (theatre.subject_text, suggested["monumental-arch"].condition) == ("Roman Theatre", "good")
    # Imported again, nothing is suggested twice.
    article_import(data=files.pdf(), name="assessment.pdf")
    assert Suggestion.objects.of_assessments().filter(article=article).count() == 2


def test_accepting_one_makes_a_satellite_assessment_of_the_later_image_with_the_sentence_as_its_quote(
    palmyra_names, curator
):
    article = article_import(data=files.pdf(), name="assessment.pdf").article
    suggestion = Suggestion.objects.of_assessments().get(article=article, monument__slug="roman-theatre")

    evidence = suggestion_accept(suggestion=suggestion, user=curator)

    assessment = evidence.assessment
    assert (assessment.condition, assessment.method, assessment.assessed) == ("good", "satellite_imagery", "2015-09-02")
    assert assessment.monument == palmyra_names["roman-theatre"]
    assert assessment.state == "draft" and not Assessment.objects.public().exists()
    Assessment.objects.filter(pk=assessment.pk).update(summary="The theatre stood intact in September 2015.")
    assessment.refresh_from_db()
    publish(assessment)
    assert list(Assessment.objects.public()) == [assessment]
    assert evidence.quote == suggestion.quote == article.body[evidence.position : evidence.end]
    assert article.page_of(evidence.position) == 3
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.evidence) == (SuggestionStatus.ACCEPTED, evidence)
    assert condition_now(palmyra_names["roman-theatre"]) == "good"


def test_a_field_survey_states_what_still_stands_and_is_dated_by_its_sentence(palmyra_names, curator):
    pages = (
        "DGAM field survey of Palmyra after its recapture.",
        "On 2 April 2017 the mission found that of the Tetrapylon only two of the sixteen columns stand.",
    )
    article = article_import(
        data=files.pdf(pages, title="Field survey of Palmyra", author="DGAM"), name="survey.pdf"
    ).article
    assert article.kind == "field_survey"
    suggestion = Suggestion.objects.of_assessments().get(article=article, monument__slug="tetrapylon")
    assert (suggestion.condition, suggestion.asserted) == ("very_bad", "2017-04-02")
    assert not Suggestion.objects.filter(article=article).exclude(kind="assessment").exists()

    assessment = suggestion_accept(suggestion=suggestion, user=curator).assessment

    assert (assessment.condition, assessment.method, assessment.assessed) == ("very_bad", "field_visit", "2017-04-02")


def test_the_review_page_accepts_a_suggestion_onto_an_existing_assessment(
    curator_client, palmyra_names, make_assessment
):
    article = article_import(data=files.pdf(), name="assessment.pdf").article
    suggestion = Suggestion.objects.of_assessments().get(article=article, monument__slug="roman-theatre")
    existing = make_assessment(
        slug="theatre-2015", monument=palmyra_names["roman-theatre"], assessed="2015-09", condition="good"
    )
    url = reverse("admin:register_suggestion_review", args=[suggestion.pk])
    page = curator_client.get(url)
    assert "condition it states (guess)" in page.text
    assert list(page.context["form"].fields["assessment"].queryset) == [existing]
    response = curator_client.post(url, {"assessment": existing.pk, "date": "", "_accept": "Accept"})
    assert response.status_code == 302
    assert existing.evidence.get().quote == suggestion.quote
    assert Assessment.objects.count() == 1


def test_an_event_suggestion_cannot_go_onto_two_events_at_once(article, tetrapylon, incident, make_assessment, curator):
    suggestion = Suggestion.objects.create(
        article=article,
        monument=tetrapylon,
        quote=QUOTE,
        position=article.body.index(QUOTE),
        kind="destroyed",
        subject_text="tetrapylon",
        trigger="destroyed",
    )
    with pytest.raises(ValidationError, match="not several"):
        suggestion_accept(suggestion=suggestion, user=curator, incident=incident, assessment=make_assessment())


def test_only_an_assessment_suggestion_states_a_condition(article, tetrapylon):
    fields = {
        "article": article,
        "monument": tetrapylon,
        "quote": QUOTE,
        "position": article.body.index(QUOTE),
        "subject_text": "tetrapylon",
        "trigger": "destroyed",
    }
    with transaction.atomic(), pytest.raises(IntegrityError):
        Suggestion.objects.create(kind="destroyed", condition="destroyed", **fields)
    with transaction.atomic(), pytest.raises(IntegrityError):
        Suggestion.objects.create(kind="assessment", condition="", **fields)
    Suggestion.objects.create(kind="assessment", condition="destroyed", **fields)


def test_a_restoration_after_an_assessment_sets_its_own_condition(tetrapylon, assessed, make_evidence):
    rebuilt = Restoration.objects.create(
        slug="rebuilt",
        monument=tetrapylon,
        kind="reconstruction",
        finished="2019",
        condition_after="fair",
        summary="Rebuilt.",
        **published(),
    )
    make_evidence(rebuilt, quote=OTHER_QUOTE)
    assert [(change.event.slug, change.condition) for change in condition_timeline(tetrapylon)] == [
        ("tetrapylon-assessed", "destroyed"),
        ("rebuilt", "fair"),
    ]
