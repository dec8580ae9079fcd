"""The stored condition (and a monument's counts) equal the derived ones after every kind of change.

Lists filter on the stored condition and show the stored counts.
"""

import pytest
from django.core.management import call_command
from django.db.models import Q
from django.urls import reverse

from register.models import Artefact, Evidence, Incident, Monument, Restoration, Suggestion
from register.models.vocabularies import DamageGrade, IncidentKind, RestorationKind
from register.services.articles import suggestion_accept
from register.services.condition import condition_now, conditions_refresh
from tests.conftest import published
from tests.test_admin import unchanged_form_data

pytestmark = pytest.mark.django_db


def stored(subject) -> str:
    return type(subject).objects.values_list("condition", flat=True).get(pk=subject.pk)


def counted(monument) -> tuple[int, int]:
    """Count a monument's evidenced incidents and quotes directly, as the oracle for the stored counts."""
    incidents = Incident.objects.filter(monument=monument, evidence__position__isnull=False).distinct().count()
    quotes = Evidence.objects.filter(
        Q(incident__monument=monument) | Q(restoration__monument=monument), position__isnull=False
    ).count()
    return incidents, quotes


def assert_stored_is_derived(*subjects):
    for subject in subjects:
        fresh = type(subject).objects.get(pk=subject.pk)
        assert stored(fresh) == condition_now(fresh), fresh
        if isinstance(fresh, Monument):
            assert (fresh.incident_count, fresh.evidence_count) == counted(fresh), fresh


@pytest.fixture
def curator_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("curator", password="not-used-1"))
    return client


def test_a_new_monument_stores_its_baseline_until_an_event_is_evidenced(tetrapylon, incident):
    # The incident has no quote yet, so it is not public and does not count.
    assert stored(tetrapylon) == "unknown"
    call_command("refresh_conditions", verbosity=0)
    assert stored(tetrapylon) == "good" == condition_now(tetrapylon)


def test_adding_evidence_stores_the_condition_it_leads_to(tetrapylon, incident, make_evidence):
    make_evidence(incident)
    assert stored(tetrapylon) == "destroyed"
    assert_stored_is_derived(tetrapylon)


def test_changing_an_incidents_grade_in_the_admin_stores_the_new_condition(
    curator_client, tetrapylon, incident, make_evidence
):
    make_evidence(incident)
    url = reverse("admin:register_incident_change", args=[incident.pk])
    data = unchanged_form_data(curator_client.get(url))
    data.update(grade=DamageGrade.MODERATE, kind=IncidentKind.DAMAGED, correction_note="Damaged, not destroyed.")
    response = curator_client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    assert stored(tetrapylon) == "poor"
    assert_stored_is_derived(tetrapylon)


def test_moving_an_incident_to_another_monument_in_the_admin_refreshes_both(
    curator_client, site, tetrapylon, incident, make_evidence
):
    make_evidence(incident)
    url = reverse("admin:register_incident_change", args=[incident.pk])
    data = unchanged_form_data(curator_client.get(url))
    data.update(monument=site.pk, correction_note="The report names the site, not its tetrapylon.")
    assert curator_client.post(url, data).status_code == 302
    assert (stored(tetrapylon), stored(site)) == ("good", "destroyed")
    assert_stored_is_derived(tetrapylon, site)


def test_deleting_the_only_quote_in_the_admin_restores_the_baseline(
    curator_client, tetrapylon, incident, make_evidence
):
    evidence = make_evidence(incident)
    # Not from the evidence's own delete page: a published record's quote leaves with a correction note.
    curator_client.post(reverse("admin:register_evidence_delete", args=[evidence.pk]), {"post": "yes"})
    assert Evidence.objects.filter(pk=evidence.pk).exists()
    url = reverse("admin:register_incident_change", args=[incident.pk])
    response = curator_client.get(url)
    prefix = response.context["inline_admin_formsets"][0].formset.prefix
    data = unchanged_form_data(response)
    data.update({f"{prefix}-0-DELETE": "on", "correction_note": "The passage is about the theatre."})
    assert curator_client.post(url, data).status_code == 302
    assert stored(tetrapylon) == "good"
    assert_stored_is_derived(tetrapylon)


def test_deleting_incidents_from_the_changelist_refreshes_their_monuments(
    curator_client, tetrapylon, incident, make_evidence
):
    Evidence.objects.filter(pk=make_evidence(incident).pk).delete()
    # The quote is gone by a path that does not refresh; deleting the incident in the admin puts it right.
    assert stored(tetrapylon) == "destroyed"
    response = curator_client.post(
        reverse("admin:register_incident_changelist"),
        {"action": "delete_selected", "_selected_action": [incident.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Incident.objects.exists()
    assert stored(tetrapylon) == "good"
    assert_stored_is_derived(tetrapylon)


def test_a_restoration_of_an_artefact_stores_the_artefacts_condition(palmyra_names, make_evidence):
    busts = palmyra_names["funerary-busts"]
    restoration = Restoration.objects.create(
        slug="busts-restored",
        artefact=busts,
        kind=RestorationKind.RESTORATION,
        finished="2017-02",
        condition_after="fair",
        summary="Restored in Rome.",
        **published(),
    )
    make_evidence(restoration)
    assert stored(busts) == "fair"
    assert_stored_is_derived(busts)


def test_accepting_a_suggestion_as_an_incidents_quote_stores_the_new_condition(
    tetrapylon, incident, article, django_user_model
):
    quote = "IS destroyed Palmyra's tetrapylon monument"
    suggestion = Suggestion.objects.create(
        article=article,
        monument=tetrapylon,
        quote=quote,
        position=article.body.index(quote),
        kind=IncidentKind.DESTROYED,
        subject_text="Palmyra's tetrapylon monument",
        trigger="destroyed",
        asserted="2017-02",
    )
    assert stored(tetrapylon) == "unknown"
    suggestion_accept(suggestion=suggestion, incident=incident, user=django_user_model.objects.create_user("c"))
    assert stored(tetrapylon) == "destroyed"
    assert_stored_is_derived(tetrapylon)


def test_refreshing_all_conditions_repairs_rows_loaded_without_them(tetrapylon, incident, make_evidence):
    make_evidence(incident)
    Monument.objects.update(condition="unknown")
    Artefact.objects.update(condition="unknown")
    # Only the tetrapylon changes: Palmyra's condition is its baseline, unknown.
    assert conditions_refresh(batch_size=1) == 1
    assert_stored_is_derived(tetrapylon, tetrapylon.part_of)


def test_the_api_and_the_page_filter_monuments_on_the_stored_condition(
    client, site, tetrapylon, incident, make_evidence
):
    make_evidence(incident)
    page = client.get(reverse("register:monument-list"), {"condition": "destroyed"})
    assert [monument.slug for monument, _condition in page.context["rows"]] == ["tetrapylon"]
    body = client.get("/api/v1/monuments/", {"condition": "destroyed"}).json()
    assert [row["slug"] for row in body["results"]] == ["tetrapylon"]
    # A stale stored value is what the filter reads: the proof it no longer recomputes every monument.
    Monument.objects.filter(pk=site.pk).update(condition="destroyed")
    page = client.get(reverse("register:monument-list"), {"condition": "destroyed"})
    assert {monument.slug for monument, _condition in page.context["rows"]} == {"palmyra", "tetrapylon"}


def test_a_generated_register_stores_every_condition_as_derived(db):
    call_command("generate_register", monuments=40, seed=7, verbosity=0)
    for subject in Monument.objects.all():
        assert subject.condition == condition_now(subject), subject
        assert (subject.incident_count, subject.evidence_count) == counted(subject), subject
    assert Monument.objects.exclude(condition="unknown").exists()
    assert Monument.objects.filter(incident_count__gt=1).exists()


def test_counts_follow_quotes_added_and_deleted_through_the_api(
    curator_client, tetrapylon, incident, make_evidence, article
):
    first = make_evidence(incident)
    second_quote = "satellite images showed damage"
    response = curator_client.post(
        "/api/v1/evidence/",
        {
            "article": article.pk,
            "incident": incident.slug,
            "quote": second_quote,
            "position": article.body.index(second_quote),
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    # Two quotes about one incident: one evidenced incident, two quotes.
    assert Monument.objects.values_list("incident_count", "evidence_count").get(pk=tetrapylon.pk) == (1, 2)
    assert curator_client.get("/api/v1/monuments/tetrapylon/").json()["evidence_count"] == 2
    for evidence in (first, Evidence.objects.get(quote=second_quote)):
        url = f"/api/v1/evidence/{evidence.pk}/"
        etag = curator_client.get(url).headers["ETag"]
        deleted = curator_client.delete(f"{url}?correction_note=About+the+theatre.", HTTP_IF_MATCH=etag)
        assert deleted.status_code == 204, deleted.content
    assert Monument.objects.values_list("incident_count", "evidence_count").get(pk=tetrapylon.pk) == (0, 0)
    assert_stored_is_derived(tetrapylon)


def test_refreshing_all_repairs_counts_written_by_a_path_that_does_not_refresh(tetrapylon, incident, make_evidence):
    make_evidence(incident)
    Monument.objects.update(incident_count=7, evidence_count=9)
    assert conditions_refresh() == 2
    assert_stored_is_derived(tetrapylon, tetrapylon.part_of)
