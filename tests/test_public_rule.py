"""What the public may see is decided once (register.visibility) and every channel applies it.

An incident or restoration is public once a quote supports it; evidence is public when its event is; a report
held by reference (no quote) makes nothing public. Curators who may change a record see it in the API anyway.
"""

import csv
import io
import json
import re
import zipfile

import pytest
from django.contrib.auth.models import AnonymousUser, Group, User
from django.core.cache import cache
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from register import visibility
from register.models import Article, Evidence, Incident, Monument, Restoration
from register.models.vocabularies import IncidentKind, MonumentKind, RestorationKind
from register.services.bulk_export import bulk_export
from tests.conftest import published

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_cached_counts():
    cache.clear()


@pytest.fixture
def public_quote(incident, make_evidence):
    return make_evidence(incident)


@pytest.fixture
def reference(afp):
    """An article the register holds only by reference: a URL, no text."""
    return Article.objects.create(title="Held by reference", publisher=afp, url="https://example.org/report")


@pytest.fixture
def hidden_ties(site):
    """A monument that only an unpublished incident concerns."""
    return Monument.objects.create(name="Shrine of Hidden Ties", slug="hidden-ties", kind=MonumentKind.TEMPLE)


@pytest.fixture
def unpublished(hidden_ties, reference, tetrapylon):
    """An incident and a restoration no quote supports, each with a report held by reference."""
    incident = Incident.objects.create(
        slug="unpublished-damage",
        monument=hidden_ties,
        kind=IncidentKind.DAMAGED,
        occurred="2016",
        summary="Hidden.",
        **published(),
    )
    restoration = Restoration.objects.create(
        slug="unpublished-repair",
        monument=tetrapylon,
        kind=RestorationKind.RESTORATION,
        finished="2019",
        summary="H.",
        **published(),
    )
    return {
        "incident": incident,
        "restoration": restoration,
        "incident_note": Evidence.objects.create(article=reference, incident=incident, note="Says it was damaged."),
        "restoration_note": Evidence.objects.create(article=reference, restoration=restoration, note="Says repaired."),
    }


@pytest.fixture
def curator_api(db):
    user = User.objects.create_user("token-curator")
    user.groups.add(Group.objects.get(name="Curators"))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


# The rule


def test_an_event_is_public_once_a_quote_supports_it(incident, unpublished, public_quote):
    assert list(visibility.public(Incident.objects.all())) == [incident]
    assert list(visibility.public(Restoration.objects.all())) == []


def test_evidence_is_public_when_its_event_is(incident, unpublished, public_quote, reference):
    by_reference = Evidence.objects.create(article=reference, incident=incident, note="Also reported.")
    assert set(visibility.public(Evidence.objects.all())) == {public_quote, by_reference}


def test_records_without_a_publication_state_are_all_public(hidden_ties, unpublished):
    assert hidden_ties in visibility.public(Monument.objects.all())


def test_a_curator_may_see_unpublished_records_and_the_public_may_not(curator, unpublished):
    assert visibility.visible_to(curator, Incident.objects.all()).get() == unpublished["incident"]
    assert not visibility.visible_to(AnonymousUser(), Incident.objects.all()).exists()
    assert not visibility.visible_to(None, Incident.objects.all()).exists()


# The browsable API's filter form


def test_the_evidence_filter_form_offers_no_unpublished_incident_or_restoration(public_quote, unpublished):
    page = APIClient().get("/api/v1/evidence/", {"format": "api"}).content.decode()
    assert 'value="tetrapylon-destroyed"' in page
    assert "unpublished-damage" not in page
    assert "unpublished-repair" not in page


def test_a_curator_is_offered_unpublished_incidents_and_the_public_still_is_not(
    curator_client, public_quote, unpublished
):
    assert 'value="unpublished-damage"' in curator_client.get("/api/v1/evidence/", {"format": "api"}).text
    # The form a curator was offered is not offered to the next anonymous visitor.
    assert "unpublished-damage" not in APIClient().get("/api/v1/evidence/", {"format": "api"}).content.decode()


# Evidence held by reference for an unpublished event


@pytest.mark.parametrize("format_", ["json", "api", "csv"])
def test_a_report_held_by_reference_for_an_unpublished_event_is_not_listed(format_, public_quote, unpublished):
    response = APIClient().get("/api/v1/evidence/", {"format": format_})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Says it was damaged." not in text
    assert "unpublished-damage" not in text
    assert "unpublished-repair" not in text
    assert QUOTE_START in text


QUOTE_START = "IS destroyed Palmyra"


@pytest.mark.parametrize("format_", ["json", "api", "csv"])
def test_a_report_held_by_reference_for_an_unpublished_event_answers_as_an_unknown_id(format_, unpublished):
    client = APIClient()
    address = f"/api/v1/evidence/{unpublished['incident_note'].pk}/"
    held, unknown = (
        client.get(address, {"format": format_}),
        client.get("/api/v1/evidence/999999/", {"format": format_}),
    )
    assert held.status_code == unknown.status_code == 404
    shown = held.content.decode().replace(address, "/api/v1/evidence/999999/")
    assert without_csrf_token(shown) == without_csrf_token(unknown.content.decode())


def without_csrf_token(page: str) -> str:
    """Return the page without the token the browsable API makes afresh for each request."""
    return re.sub(r'"csrfToken": "[^"]*"', "", page)


def test_filtering_evidence_by_an_unpublished_incident_answers_as_an_unknown_slug(unpublished):
    client = APIClient()
    held = client.get("/api/v1/evidence/", {"incident": "unpublished-damage"})
    unknown = client.get("/api/v1/evidence/", {"incident": "no-such-damage"})
    assert held.status_code == unknown.status_code == 400
    assert held.json() == unknown.json()
    assert "incident" in held.json()


def test_a_curator_filters_evidence_by_an_unpublished_incident(curator_api, unpublished):
    response = curator_api.get("/api/v1/evidence/", {"incident": "unpublished-damage"})
    assert response.status_code == 200
    assert [item["id"] for item in response.json()["results"]] == [unpublished["incident_note"].pk]


def test_curators_see_unpublished_events_and_their_reports_in_the_api(curator_api, unpublished):
    assert curator_api.get("/api/v1/incidents/unpublished-damage/").status_code == 200
    assert curator_api.get("/api/v1/restorations/unpublished-repair/").status_code == 200
    assert curator_api.get(f"/api/v1/evidence/{unpublished['restoration_note'].pk}/").status_code == 200
    listed = {item["id"] for item in curator_api.get("/api/v1/evidence/").json()["results"]}
    assert listed == {unpublished["incident_note"].pk, unpublished["restoration_note"].pk}


def test_the_bulk_download_leaves_out_reports_held_for_unpublished_events(
    settings, tmp_path, public_quote, unpublished
):
    export = bulk_export(directory=tmp_path)
    assert export.counts["evidence"] == 1
    with zipfile.ZipFile(export.path) as archive:
        lines = archive.read("evidence.jsonl").decode().splitlines()
        rows = list(csv.DictReader(io.StringIO(archive.read("evidence.csv").decode())))
    assert [json.loads(line)["id"] for line in lines] == [public_quote.pk]
    assert [int(row["id"]) for row in rows] == [public_quote.pk]


# Pages


def test_an_article_page_neither_names_nor_links_an_unpublished_event(client, public_quote, unpublished, reference):
    page = client.get(reference.get_absolute_url()).text
    assert "Says it was damaged." not in page
    assert unpublished["incident"].get_absolute_url() not in page
    assert "Shrine of Hidden Ties" not in page
    assert "No passage of this article is evidence yet." in page


def test_an_articles_mentions_leave_out_monuments_only_an_unpublished_event_concerns(
    client, public_quote, unpublished, reference, incident, tetrapylon
):
    Evidence.objects.create(article=reference, incident=incident, note="Also says the tetrapylon was destroyed.")
    api = APIClient()
    expected = ["tetrapylon"]
    assert [m["slug"] for m in api.get(f"/api/v1/articles/{reference.pk}/").json()["mentions"]] == expected
    listed = {item["id"]: item for item in api.get("/api/v1/articles/").json()["results"]}
    assert [m["slug"] for m in listed[reference.pk]["mentions"]] == expected
    about = api.get(f"/api/v1/articles/{reference.pk}/", {"format": "jsonld"}).json()["about"]
    assert [node["_label"] for node in about] == ["Tetrapylon"]
    assert list(client.get(reference.get_absolute_url()).context["monuments"]) == [tetrapylon]
    # Nor does the filter of articles by what they mention give the hidden relation away.
    assert api.get("/api/v1/articles/", {"mentions": "hidden-ties"}).json()["results"] == []
    assert [a["id"] for a in api.get("/api/v1/articles/", {"mentions": "tetrapylon"}).json()["results"]] == [
        reference.pk,
        public_quote.article_id,
    ]


def test_the_home_page_counts_only_quotes_as_quotes(client, public_quote, unpublished, reference, incident):
    Evidence.objects.create(article=reference, incident=incident, note="A public report held by reference.")
    assert client.get(reverse("register:home")).context["counts"]["evidence"] == 1


def test_the_incident_list_counts_only_quotes_as_quotes(client, public_quote, reference, incident):
    Evidence.objects.create(article=reference, incident=incident, note="A public report held by reference.")
    (listed,) = client.get(reverse("register:incident-list")).context["page"]
    assert listed.quotes == 1


def test_an_unpublished_event_page_answers_as_an_unknown_one(client, unpublished):
    held = client.get(unpublished["incident"].get_absolute_url())
    unknown = client.get(reverse("register:incident-detail", args=["no-such-damage"]))
    assert held.status_code == unknown.status_code == 404
    assert held.content == unknown.content
