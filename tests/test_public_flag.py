"""Whether an event is public is stored (is_public) and equals the rule (public_rule) after every kind of change.

Every path that changes events or evidence refreshes the flag: the API's writes, the admin's forms and inlines,
accepting a suggestion, restoring a backup, refresh_conditions after a load, generating a register.
"""

import io
import json
import zipfile

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from register.models import Article, Assessment, Evidence, Incident, Restoration, Suggestion
from register.models.events import public_rule
from register.models.vocabularies import IncidentKind, RestorationKind
from register.services.articles import suggestion_accept
from register.services.publication import publish
from tests.conftest import QUOTE, published
from tests.test_admin import unchanged_form_data
from tests.test_backup import wipe_register

pytestmark = pytest.mark.django_db

OTHER_QUOTE = "satellite images showed damage"


def assert_flags_match_rule():
    """Assert that every incident's, restoration's and assessment's stored flag is what the rule says now."""
    for model in (Incident, Restoration, Assessment):
        rows = model.objects.annotate(rule=public_rule(model)).values_list("slug", "is_public", "rule")
        wrong = [(slug, stored, rule) for slug, stored, rule in rows if stored != rule]
        assert not wrong, f"{model.__name__} (slug, stored, rule): {wrong}"


def is_public(event) -> bool:
    return type(event).objects.values_list("is_public", flat=True).get(pk=event.pk)


@pytest.fixture
def other_incident(make_incident, site):
    """An incident of another monument than ``incident``'s, so a quote moved between them changes subject too."""
    return make_incident(
        slug="palmyra-damaged", monument=site, occurred="2015-08", grade="severe", kind=IncidentKind.DAMAGED
    )


@pytest.fixture
def restoration(tetrapylon):
    return Restoration.objects.create(
        slug="tetrapylon-rebuilt",
        monument=tetrapylon,
        kind=RestorationKind.RESTORATION,
        finished="2019",
        summary="R.",
        **published(),
    )


@pytest.fixture
def assessment(tetrapylon):
    return Assessment.objects.create(
        slug="tetrapylon-assessed",
        monument=tetrapylon,
        assessed="2017-02",
        condition="destroyed",
        method="report",
        summary="A.",
        **published(),
    )


@pytest.fixture
def reference(afp):
    """An article the register holds only by reference: a URL, no text."""
    return Article.objects.create(title="Held by reference", publisher=afp, url="https://example.org/report")


# The rule and the flag


def test_a_new_event_is_not_public_until_a_quote_supports_it(incident, restoration, assessment):
    assert not is_public(incident) and not is_public(restoration) and not is_public(assessment)
    assert not Incident.objects.public().exists()
    assert_flags_match_rule()


def test_the_public_lists_read_the_stored_flag_not_the_evidence(incident, make_evidence):
    make_evidence(incident)
    assert list(Incident.objects.public()) == [incident]
    # A write that bypasses every service leaves the flag as it was: lists no longer re-derive it per row.
    Evidence.objects.all().delete()
    assert list(Incident.objects.public()) == [incident]
    call_command("refresh_conditions", verbosity=0)
    assert not Incident.objects.public().exists()
    assert_flags_match_rule()


def test_evidence_is_public_when_its_event_is_whichever_kind_the_event_is(
    incident, restoration, assessment, make_evidence
):
    quote = make_evidence(incident)
    repair = make_evidence(restoration, quote=OTHER_QUOTE)
    survey = make_evidence(assessment)
    assert set(Evidence.objects.public()) == {quote, repair, survey}
    Restoration.objects.update(is_public=False)
    assert set(Evidence.objects.public()) == {quote, survey}
    Assessment.objects.update(is_public=False)
    assert set(Evidence.objects.public()) == {quote}


# Through the API: curators write with the ETag of their last read


@pytest.fixture
def curator_api(db):
    user = User.objects.create_user("api-curator")
    user.groups.add(Group.objects.get(name="Curators"))
    client = APIClient()
    client.force_authenticate(user)
    return client


def api_write(api, method: str, url: str, body=None):
    """Send a write as a curator's script does: with the ETag of a read just made."""
    etag = api.get(url).headers["ETag"]
    response = getattr(api, method)(url, body, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code in (200, 204), response.content
    return response


def test_a_quote_added_through_the_api_makes_its_event_public(curator_api, incident, restoration, assessment, article):
    for event, kind in ((incident, "incident"), (restoration, "restoration"), (assessment, "assessment")):
        body = {"article": article.pk, kind: event.slug, "quote": QUOTE, "position": article.body.index(QUOTE)}
        response = curator_api.post("/api/v1/evidence/", body, format="json")
        assert response.status_code == 201, response.content
        assert is_public(event)
    assert_flags_match_rule()


def test_deleting_the_last_quote_through_the_api_makes_its_event_unpublished(curator_api, incident, make_evidence):
    first, second = make_evidence(incident), make_evidence(incident, quote=OTHER_QUOTE)
    for quote, public_after in ((first, True), (second, False)):
        url = f"/api/v1/evidence/{quote.pk}/"
        etag = curator_api.get(url).headers["ETag"]
        response = curator_api.delete(f"{url}?correction_note=About+the+theatre.", HTTP_IF_MATCH=etag)
        assert response.status_code == 204, response.content
        assert is_public(incident) == public_after
    assert not is_public(incident)
    assert_flags_match_rule()


def test_a_quote_moved_to_another_incident_through_the_api_refreshes_both(
    curator_api, incident, other_incident, make_evidence
):
    quote = make_evidence(incident)
    api_write(curator_api, "patch", f"/api/v1/evidence/{quote.pk}/", {"incident": other_incident.slug})
    assert (is_public(incident), is_public(other_incident)) == (False, True)
    assert_flags_match_rule()


def test_a_quote_turned_into_a_report_held_by_reference_through_the_api_unpublishes_its_event(
    curator_api, incident, make_evidence, reference
):
    quote = make_evidence(incident)
    body = {"article": reference.pk, "quote": "", "position": None, "note": "Says it was destroyed."}
    api_write(curator_api, "patch", f"/api/v1/evidence/{quote.pk}/", body)
    assert Evidence.objects.get(pk=quote.pk).position is None
    assert not is_public(incident)
    assert_flags_match_rule()


def test_an_incident_moved_to_another_monument_through_the_api_keeps_its_flag(
    curator_api, site, incident, make_evidence
):
    make_evidence(incident)
    body = {"monument": site.slug, "correction_note": "The report names the site, not its tetrapylon."}
    api_write(curator_api, "patch", f"/api/v1/incidents/{incident.slug}/", body)
    assert is_public(incident)
    assert_flags_match_rule()


# Through the admin: its forms and the quotes edited inline


@pytest.fixture
def admin_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("admin-curator", password="not-used-1"))
    return client


def test_a_quote_added_in_the_admin_makes_its_event_public(admin_client, incident, article):
    url = reverse("admin:register_evidence_add")
    data = unchanged_form_data(admin_client.get(url))
    data.update(article=article.pk, incident=incident.pk, quote=QUOTE, position=article.body.index(QUOTE))
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    assert is_public(incident)
    assert_flags_match_rule()


def test_a_quote_moved_to_another_incident_in_the_admin_refreshes_both(
    admin_client, incident, other_incident, make_evidence
):
    quote = make_evidence(incident)
    url = reverse("admin:register_evidence_change", args=[quote.pk])
    data = unchanged_form_data(admin_client.get(url))
    data["incident"] = other_incident.pk
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    assert (is_public(incident), is_public(other_incident)) == (False, True)
    assert_flags_match_rule()


def test_a_published_records_quote_is_not_deleted_from_the_evidence_admin(admin_client, incident, make_evidence):
    # It leaves on the record's own page, which asks for the correction note (test_publication).
    quote = make_evidence(incident)
    url = reverse("admin:register_evidence_delete", args=[quote.pk])
    assert "page, with a correction note" in admin_client.get(url).text
    admin_client.post(url, {"post": "yes"})
    assert Evidence.objects.filter(pk=quote.pk).exists()
    assert is_public(incident)
    assert_flags_match_rule()


def test_deleting_quotes_from_the_changelist_spares_those_of_published_records(
    admin_client, incident, make_incident, make_evidence
):
    draft = make_incident(slug="a-draft", state="draft")
    quotes = [make_evidence(incident), make_evidence(draft, quote=OTHER_QUOTE)]
    changelist = reverse("admin:register_evidence_changelist")
    selected = {"action": "delete_selected", "_selected_action": [quote.pk for quote in quotes], "post": "yes"}
    assert "with a correction note" in admin_client.post(changelist, selected).text
    assert Evidence.objects.count() == 2

    selected["_selected_action"] = [quotes[1].pk]
    assert admin_client.post(changelist, selected).status_code == 302
    assert list(Evidence.objects.all()) == [quotes[0]]
    assert is_public(incident) and not is_public(draft)
    assert_flags_match_rule()


def test_a_quote_deleted_inline_on_its_incident_unpublishes_it(admin_client, incident, make_evidence):
    make_evidence(incident)
    url = reverse("admin:register_incident_change", args=[incident.pk])
    response = admin_client.get(url)
    prefix = response.context["inline_admin_formsets"][0].formset.prefix
    data = unchanged_form_data(response)
    data[f"{prefix}-0-DELETE"] = "on"
    data["correction_note"] = "The passage is about the theatre, not the tetrapylon."
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    assert not Evidence.objects.exists()
    assert not is_public(incident)
    assert_flags_match_rule()


@pytest.mark.parametrize("kind", ["restoration", "assessment"])
def test_a_quote_added_inline_on_its_restoration_or_assessment_publishes_it(
    admin_client, restoration, assessment, article, kind
):
    event = {"restoration": restoration, "assessment": assessment}[kind]
    url = reverse(f"admin:register_{kind}_change", args=[event.pk])
    response = admin_client.get(url)
    prefix = response.context["inline_admin_formsets"][0].formset.prefix
    data = unchanged_form_data(response)
    data.update(
        {
            f"{prefix}-0-article": article.pk,
            f"{prefix}-0-quote": QUOTE,
            f"{prefix}-0-position": article.body.index(QUOTE),
            f"{prefix}-0-stance": "supports",
            f"{prefix}-TOTAL_FORMS": 1,
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    assert is_public(event)
    assert_flags_match_rule()


def test_a_quote_moved_from_an_incident_to_an_assessment_in_the_api_refreshes_both(
    curator_api, incident, assessment, make_evidence
):
    quote = make_evidence(incident)
    api_write(curator_api, "patch", f"/api/v1/evidence/{quote.pk}/", {"incident": None, "assessment": assessment.slug})
    assert (is_public(incident), is_public(assessment)) == (False, True)
    assert_flags_match_rule()


# Accepting a suggestion


def suggestion_of(article, tetrapylon, **fields) -> Suggestion:
    fields = {"kind": IncidentKind.DESTROYED, "trigger": "destroyed", **fields}
    return Suggestion.objects.create(
        article=article,
        monument=tetrapylon,
        quote=QUOTE,
        position=article.body.index(QUOTE),
        subject_text="Palmyra's tetrapylon monument",
        asserted="2017-02",
        **fields,
    )


def test_accepting_a_suggestion_onto_an_incident_makes_it_public(incident, article, tetrapylon, django_user_model):
    suggestion_accept(
        suggestion=suggestion_of(article, tetrapylon), incident=incident, user=django_user_model.objects.create()
    )
    assert is_public(incident)
    assert_flags_match_rule()


def test_a_suggestion_accepted_as_a_new_incident_is_a_draft_until_published(article, tetrapylon, django_user_model):
    evidence = suggestion_accept(suggestion=suggestion_of(article, tetrapylon), user=django_user_model.objects.create())
    assert not is_public(evidence.incident)
    assert_flags_match_rule()

    Incident.objects.filter(pk=evidence.incident.pk).update(summary="IS blew up the tetrapylon.", grade="destroyed")
    evidence.incident.refresh_from_db()
    publish(evidence.incident)
    assert is_public(evidence.incident)
    assert_flags_match_rule()


def test_an_assessment_suggestion_accepted_is_a_draft_until_published(article, tetrapylon, django_user_model):
    suggestion = suggestion_of(article, tetrapylon, kind="assessment", condition="destroyed")
    evidence = suggestion_accept(suggestion=suggestion, user=django_user_model.objects.create())
    assert not is_public(evidence.assessment)
    Assessment.objects.filter(pk=evidence.assessment.pk).update(summary="The tetrapylon is destroyed.")
    evidence.assessment.refresh_from_db()
    publish(evidence.assessment)
    assert is_public(evidence.assessment)
    assert evidence.assessment.condition == "destroyed"
    assert_flags_match_rule()


# Bulk paths: a backup restored, a fixture loaded, a register generated


def test_a_restored_backup_stores_the_flags_whatever_the_archive_says(
    settings, tmp_path, incident, other_incident, make_evidence
):
    settings.MEDIA_ROOT = tmp_path / "media"
    make_evidence(incident)
    archive = tmp_path / "backup.zip"
    call_command("backup_export", str(archive), stdout=io.StringIO())
    # As an archive made before the flag was stored: no event carries it.
    with zipfile.ZipFile(archive) as opened:
        members = {name: opened.read(name) for name in opened.namelist()}
    records = json.loads(members["data.json"])
    for record in records:
        record["fields"].pop("is_public", None)
    members["data.json"] = json.dumps(records).encode()
    with zipfile.ZipFile(archive, "w") as rewritten:
        for name, data in members.items():
            rewritten.writestr(name, data)
    wipe_register()

    call_command("backup_restore", str(archive), stdout=io.StringIO())

    assert (is_public(incident), is_public(other_incident)) == (True, False)
    assert_flags_match_rule()


def test_the_palmyra_fixture_is_public_once_refreshed_as_make_run_does():
    call_command("loaddata", "palmyra", verbosity=0)
    assert not Incident.objects.public().exists()
    call_command("refresh_conditions", verbosity=0)
    assert Incident.objects.public().exists()
    assert_flags_match_rule()


def test_refresh_conditions_repairs_flags_written_by_a_path_that_does_not_refresh(
    incident, other_incident, make_evidence
):
    make_evidence(incident)
    Incident.objects.update(is_public=False)
    Incident.objects.filter(pk=other_incident.pk).update(is_public=True)
    call_command("refresh_conditions", verbosity=0)
    assert (is_public(incident), is_public(other_incident)) == (True, False)
    assert_flags_match_rule()


@pytest.fixture
def generated(db):
    """A generated register in which every third incident and restoration has lost its quotes, then refreshed."""
    call_command("generate_register", monuments=30, seed=7, verbosity=0)
    assert_flags_match_rule()
    unquoted_incidents = list(Incident.objects.order_by("pk").values_list("pk", flat=True))[::3]
    unquoted_restorations = list(Restoration.objects.order_by("pk").values_list("pk", flat=True))[::3]
    Evidence.objects.filter(incident__in=unquoted_incidents).delete()
    Evidence.objects.filter(restoration__in=unquoted_restorations).delete()
    call_command("refresh_conditions", verbosity=0)
    assert Incident.objects.public().count() == Incident.objects.count() - len(unquoted_incidents)


def test_a_generated_register_stores_every_flag_as_the_rule_says(generated):
    assert_flags_match_rule()
    assert set(Incident.objects.public()) == set(Incident.objects.with_evidence())


def test_api_pages_walk_the_public_incidents_forwards_and_back(generated):
    client = Client()
    expected = list(Incident.objects.public().order_by("occurred_earliest", "id").values_list("pk", flat=True))
    seen, url = [], "/api/v1/incidents/?page_size=7"
    while url:
        page = client.get(url).json()
        seen += [row["id"] for row in page["results"]]
        last, url = page, page["next"]
    assert seen == expected
    back, url = [], last["previous"]
    while url:
        page = client.get(url).json()
        back = [row["id"] for row in page["results"]] + back
        url = page["previous"]
    assert back + [row["id"] for row in last["results"]] == expected
