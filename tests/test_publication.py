"""The publication step: drafts, publishing complete records, corrections in public, withdrawals that leave a trace.

A curator accepts an importer's suggestion and gets a draft no one else sees; publishing refuses it until a curator
has written its summary and given what it lacks, and says what that is; a change in substance to a published record
needs a correction note, which its page and the feeds show; a withdrawn record keeps its page with the reason and
leaves the lists, counts, maps, conditions and feeds of records, while harvesters learn of it.
"""

import feedparser
import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from register.models import Correction, Incident, Monument, Suggestion
from register.models.vocabularies import Condition, DamageGrade, IncidentKind, PublicationState
from register.services.articles import suggestion_accept
from register.services.condition import condition_now
from register.services.publication import PublicationRefused, missing_for_publication, publish, withdraw
from tests.conftest import BODY
from tests.test_admin import unchanged_form_data

pytestmark = pytest.mark.django_db

SUGGESTED = "Last month, IS destroyed Palmyra's tetrapylon monument"


@pytest.fixture(autouse=True)
def fresh_cache():
    # Public pages are cached per address; each test reads what it has just changed.
    cache.clear()


@pytest.fixture
def draft(article, tetrapylon, curator):
    """The incident a curator gets by accepting the importer's suggestion: a draft, its summary the raw sentence."""
    suggestion = Suggestion.objects.create(
        article=article,
        monument=tetrapylon,
        quote=SUGGESTED,
        position=BODY.index(SUGGESTED),
        kind=IncidentKind.DESTROYED,
        subject_text="Palmyra's tetrapylon monument",
        trigger="destroyed",
        date_phrase="Last month",
        asserted="2017-02",
    )
    evidence = suggestion_accept(suggestion=suggestion, user=curator, date="2017-02")
    return evidence.incident


def publish_action(client, event):
    changelist = reverse(f"admin:register_{event._meta.model_name}_changelist")
    return client.post(changelist, {"action": "publish_selected", "_selected_action": [event.pk]}, follow=True)


def shown_messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_accepting_a_suggestion_makes_a_draft_no_one_but_curators_sees(draft, client, curator):
    assert draft.state == PublicationState.DRAFT
    assert not draft.is_public
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert draft.slug not in client.get(reverse("register:incident-list")).content.decode()
    public = APIClient()
    assert public.get("/api/v1/incidents/", {"state": "draft"}).json()["results"] == []
    assert public.get(f"/api/v1/incidents/{draft.slug}/").status_code == 404
    curators = APIClient()
    curators.force_authenticate(curator)
    listed = curators.get("/api/v1/incidents/", {"state": "draft"}).json()["results"]
    assert [row["slug"] for row in listed] == [draft.slug]
    assert listed[0]["state"] == "draft"
    assert curators.get("/api/v1/incidents/", {"state": "published"}).json()["results"] == []


def test_publishing_refuses_an_incomplete_record_and_says_what_is_missing(draft, curator_client):
    response = publish_action(curator_client, draft)

    draft.refresh_from_db()
    assert draft.state == PublicationState.DRAFT
    [message] = shown_messages(response)
    assert "was not published" in message
    assert "Write the summary in your own words" in message
    assert "Give the damage grade." in message
    assert "Add at least one verbatim quote" not in message


def test_publishing_a_complete_record_makes_it_public_and_marks_it_changed_for_harvesters(draft, curator_client):
    before = timezone.now()
    Incident.objects.filter(pk=draft.pk).update(
        summary="IS blew up the tetrapylon in January 2017.", grade=DamageGrade.DESTROYED
    )

    response = publish_action(curator_client, draft)

    draft.refresh_from_db()
    assert shown_messages(response) == ["1 record published."]
    assert draft.state == PublicationState.PUBLISHED and draft.is_public
    assert draft.published >= before and draft.updated >= before
    harvested = APIClient().get("/api/v1/incidents/", {"updated_after": before.isoformat()}).json()["results"]
    assert [row["slug"] for row in harvested] == [draft.slug]


def test_a_record_without_a_quote_cannot_be_published(make_incident):
    incident = make_incident(state=PublicationState.DRAFT, summary="A curator's summary.")

    with pytest.raises(PublicationRefused) as refused:
        publish(incident)

    assert [str(message) for message in refused.value.messages] == [
        "Add at least one verbatim quote from a stored document."
    ]
    assert missing_for_publication(incident) == refused.value.messages


def test_looting_needs_no_grade_but_damage_does(make_incident, make_evidence):
    looted = make_incident(slug="looted", kind=IncidentKind.LOOTED, grade="", state=PublicationState.DRAFT)
    damaged = make_incident(slug="damaged", kind=IncidentKind.DAMAGED, grade="", state=PublicationState.DRAFT)
    for incident in (looted, damaged):
        make_evidence(incident)

    assert missing_for_publication(looted) == []
    assert [str(message) for message in missing_for_publication(damaged)] == ["Give the damage grade."]


def test_a_change_in_substance_to_a_published_record_needs_a_correction_note(incident, make_evidence, curator_client):
    make_evidence(incident)
    url = reverse("admin:register_incident_change", args=[incident.pk])
    data = unchanged_form_data(curator_client.get(url))
    data["grade"] = DamageGrade.SEVERE

    refused = curator_client.post(url, data)

    assert refused.status_code == 200
    assert "correction note" in str(refused.context["adminform"].form.errors["correction_note"])
    incident.refresh_from_db()
    assert incident.grade == DamageGrade.DESTROYED and not Correction.objects.exists()

    data["correction_note"] = "The grade was destroyed; the satellite images show severe damage."
    assert curator_client.post(url, data).status_code == 302
    incident.refresh_from_db()
    [correction] = Correction.objects.of(incident)
    assert incident.grade == DamageGrade.SEVERE
    assert correction.changed == ["grade"]

    page = APIClient().get(incident.get_absolute_url()).content.decode()
    assert "Corrections" in page
    assert "the satellite images show severe damage" in page
    assert correction.made.strftime("%Y") in page


def test_a_change_to_a_draft_needs_no_note(make_incident, curator_client):
    draft = make_incident(state=PublicationState.DRAFT)
    url = reverse("admin:register_incident_change", args=[draft.pk])
    data = unchanged_form_data(curator_client.get(url))
    data["grade"] = DamageGrade.SEVERE

    assert curator_client.post(url, data).status_code == 302
    assert not Correction.objects.exists()


def test_removing_a_quote_from_a_published_record_needs_a_correction_note(incident, make_evidence, curator_client):
    make_evidence(incident)
    make_evidence(incident, quote="satellite images showed damage")
    url = reverse("admin:register_incident_change", args=[incident.pk])
    response = curator_client.get(url)
    prefix = response.context["inline_admin_formsets"][0].formset.prefix
    data = unchanged_form_data(response)
    data[f"{prefix}-1-DELETE"] = "on"

    refused = curator_client.post(url, data)
    assert refused.status_code == 200
    assert incident.evidence.count() == 2

    data["correction_note"] = "The second passage is about the theatre, not the tetrapylon."
    assert curator_client.post(url, data).status_code == 302
    assert incident.evidence.count() == 1
    assert Correction.objects.get().changed == ["evidence"]


def test_a_withdrawn_record_keeps_its_page_and_leaves_lists_counts_maps_and_conditions(
    incident, make_evidence, tetrapylon, curator_client, client
):
    baseline = condition_now(tetrapylon)
    make_evidence(incident)
    tetrapylon.refresh_from_db()
    assert tetrapylon.condition == Condition.DESTROYED != baseline
    changelist = reverse("admin:register_incident_changelist")
    asked = curator_client.post(changelist, {"action": "withdraw_selected", "_selected_action": [incident.pk]})
    assert asked.status_code == 200 and "Reason for withdrawal" in asked.content.decode()

    reason = "The report confused the tetrapylon with the tetrakionion."
    curator_client.post(
        changelist,
        {"action": "withdraw_selected", "_selected_action": [incident.pk], "apply": "1", "reason": reason},
    )

    incident.refresh_from_db()
    tetrapylon.refresh_from_db()
    assert incident.state == PublicationState.WITHDRAWN and not incident.is_public
    page = client.get(incident.get_absolute_url())
    assert page.status_code == 200
    assert reason in page.content.decode()
    assert f"Withdrawn on {incident.withdrawn.day}" in page.content.decode()
    assert incident.slug not in client.get(reverse("register:incident-list")).content.decode()
    assert tetrapylon.condition == baseline
    assert Monument.objects.get(pk=tetrapylon.pk).incident_count == 0
    public = APIClient()
    assert public.get("/api/v1/incidents/").json()["results"] == []
    geojson = public.get("/api/v1/monuments/", {"format": "geojson"}).json()
    assert all(feature["properties"].get("condition") != "destroyed" for feature in geojson["features"])
    harvested = public.get("/api/v1/incidents/", {"updated_after": "2000-01-01T00:00:00Z"}).json()["results"]
    assert [(row["slug"], row["state"], row["withdrawal_reason"]) for row in harvested] == [
        (incident.slug, "withdrawn", reason)
    ]
    assert public.get(f"/api/v1/incidents/{incident.slug}/").json()["state"] == "withdrawn"


def test_only_a_published_record_can_be_withdrawn_and_only_with_a_reason(make_incident, incident):
    draft = make_incident(slug="a-draft", state=PublicationState.DRAFT)
    with pytest.raises(PublicationRefused):
        withdraw(draft, reason="Wrong.")
    with pytest.raises(PublicationRefused):
        withdraw(incident, reason="  ")


def test_the_feeds_carry_corrections_and_withdrawals_as_entries_of_their_own(
    incident, make_incident, make_evidence, site, client
):
    make_evidence(incident)
    other = make_incident(slug="tetrapylon-looted", kind=IncidentKind.LOOTED, grade="", occurred="2016")
    make_evidence(other)
    Correction.objects.create(incident=incident, note="The date was 2016; the report says last month.")
    withdraw(other, reason="A duplicate of the destruction.")

    feed = feedparser.parse(client.get(reverse("register:monument-feed", args=[site.slug])).content)

    assert not feed.bozo
    kinds = {entry.tags[0].term: entry for entry in feed.entries}
    assert set(kinds) == {"incident", "correction", "withdrawal"}
    assert kinds["correction"].summary == "The date was 2016; the report says last month."
    assert kinds["correction"].link.endswith(f"{incident.get_absolute_url()}#correction-{Correction.objects.get().pk}")
    assert kinds["withdrawal"].summary == "A duplicate of the destruction."
    assert kinds["withdrawal"].title.startswith("Withdrawn: Incident: ")
    assert kinds["withdrawal"].link.endswith(f"{other.get_absolute_url()}#withdrawn")
    assert kinds["incident"].link.endswith(incident.get_absolute_url())


def test_publishing_again_after_withdrawal_keeps_the_first_publication_date(incident, make_evidence):
    make_evidence(incident)
    first = incident.published
    withdraw(incident, reason="Checking a second source.")
    Incident.objects.filter(pk=incident.pk).update(summary="IS blew up the tetrapylon.")
    incident.refresh_from_db()

    publish(incident)

    incident.refresh_from_db()
    assert incident.state == PublicationState.PUBLISHED and incident.is_public
    assert incident.published == first and incident.withdrawn is None and incident.withdrawal_reason == ""


def test_the_database_refuses_a_withdrawal_without_its_reason(incident):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Incident.objects.filter(pk=incident.pk).update(state=PublicationState.WITHDRAWN, withdrawn=timezone.now())


def curator_api(curator) -> APIClient:
    api = APIClient()
    api.force_authenticate(curator)
    return api


def test_through_the_api_a_change_in_substance_to_a_published_record_needs_a_correction_note(
    incident, make_evidence, curator
):
    make_evidence(incident)
    api, url = curator_api(curator), f"/api/v1/incidents/{incident.slug}/"

    refused = api.patch(url, {"grade": "severe"}, format="json", HTTP_IF_MATCH=api.get(url).headers["ETag"])
    assert refused.status_code == 400
    assert "correction_note" in refused.json()
    assert not Correction.objects.exists()

    note = "The satellite images show severe damage, not destruction."
    body = {"grade": "severe", "correction_note": note}
    corrected = api.patch(url, body, format="json", HTTP_IF_MATCH=api.get(url).headers["ETag"])
    assert corrected.status_code == 200, corrected.content
    assert (Correction.objects.get().note, Correction.objects.get().changed) == (note, ["grade"])

    summary_only = {"summary": "IS blew up the tetrapylon in January 2017."}
    assert api.patch(url, summary_only, format="json", HTTP_IF_MATCH=api.get(url).headers["ETag"]).status_code == 200
    assert Correction.objects.count() == 1


def test_through_the_api_a_quote_leaves_a_published_record_only_with_a_correction_note(
    incident, make_evidence, curator
):
    quote = make_evidence(incident)
    api, url = curator_api(curator), f"/api/v1/evidence/{quote.pk}/"

    refused = api.delete(url, HTTP_IF_MATCH=api.get(url).headers["ETag"])
    assert refused.status_code == 400 and "correction_note" in refused.json()
    nul = api.delete(f"{url}?correction_note=a%00b", HTTP_IF_MATCH=api.get(url).headers["ETag"])
    assert nul.status_code == 400 and "correction_note" in nul.json()

    noted = f"{url}?correction_note=The+passage+is+about+the+theatre."
    assert api.delete(noted, HTTP_IF_MATCH=api.get(url).headers["ETag"]).status_code == 204
    assert Correction.objects.get().changed == ["evidence"]
    incident.refresh_from_db()
    assert not incident.is_public
