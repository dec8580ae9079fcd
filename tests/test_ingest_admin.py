"""Curators import files from the article list, see what each article names, and work the review queue."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from register.models import Article, Evidence, Incident, Suggestion, SuggestionStatus
from register.services.articles import article_import_file

pytestmark = pytest.mark.django_db

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
AFP_SEED = SEEDS / "000_510c1c6efbd3d72d.txt"
REUTERS_SEED = SEEDS / "001_e46c036f3a77ff87.txt"
IMPORT_URL = "admin:register_article_import"


@pytest.fixture
def imported(palmyra_names):
    return article_import_file(path=AFP_SEED).article, article_import_file(path=REUTERS_SEED).article


def upload(path: Path, name: str | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name or path.name, path.read_bytes(), content_type="text/plain")


def test_the_article_list_offers_the_import(curator_client):
    response = curator_client.get(reverse("admin:register_article_changelist"))
    assert reverse(IMPORT_URL).encode() in response.content


def test_a_curator_uploads_several_files_and_sees_what_became_of_each(curator_client, palmyra_names):
    files = [
        upload(AFP_SEED),
        upload(REUTERS_SEED),
        SimpleUploadedFile("empty.txt", b""),
        upload(AFP_SEED, "again.txt"),
    ]
    response = curator_client.post(reverse(IMPORT_URL), {"files": files}, follow=True)
    assert response.status_code == 200
    statuses = [(result.file, result.status, result.error) for result in response.context["results"]]
    assert statuses == [
        (AFP_SEED.name, "created", None),
        (REUTERS_SEED.name, "created", None),
        ("empty.txt", "failed", "empty file"),
        ("again.txt", "duplicate", None),
    ]
    assert Article.objects.count() == 2
    assert Suggestion.objects.pending().count() == 9
    content = response.content.decode()
    assert "4 files: 2 created, 1 duplicate, 1 failed." in content
    assert "empty file" in content
    assert Article.objects.get(source_file=REUTERS_SEED.name).needs_review


def test_uploading_without_the_right_to_add_articles_is_refused(client, db):
    viewer = User.objects.create_user("viewer", password="unused", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(viewer)
    assert client.get(reverse(IMPORT_URL)).status_code == 403
    response = client.post(reverse(IMPORT_URL), {"files": [upload(AFP_SEED)]})
    assert response.status_code == 403
    assert not Article.objects.exists()


def test_the_article_page_shows_the_monuments_it_names_and_its_suggestions(curator_client, imported):
    afp, _ = imported
    response = curator_client.get(reverse("admin:register_article_change", args=[afp.pk]))
    content = response.content.decode()
    assert '<mark title="Tetrapylon">tetrapylon</mark>' in content
    assert '<mark title="Funerary towers">funerary towers</mark>' in content
    assert "monuments and artefacts the article names" in content.lower()
    assert reverse("admin:register_suggestion_review", args=[afp.suggestions.first().pk]) in content


def queue(client, **filters):
    response = client.get(reverse("admin:register_suggestion_changelist"), filters)
    assert response.status_code == 200
    return {(s.subject.slug, s.kind) for s in response.context["cl"].result_list}


def test_the_review_queue_filters_by_article_monument_kind_and_status(curator_client, imported, palmyra_names):
    afp, reuters = imported
    assert len(queue(curator_client)) == 8
    assert queue(curator_client, article__id__exact=reuters.pk) == {
        ("monumental-arch", "destroyed"),
        ("tetrapylon", "destroyed"),
        ("roman-theatre", "destroyed"),
    }
    assert queue(curator_client, monument__id__exact=palmyra_names["roman-theatre"].pk) == {
        ("roman-theatre", "misuse"),
        ("roman-theatre", "damaged"),
        ("roman-theatre", "destroyed"),
    }
    assert queue(curator_client, kind__exact="return") == {("funerary-busts", "return")}
    assert queue(curator_client, status__exact="accepted") == set()


def review(client, suggestion, **data):
    return client.post(reverse("admin:register_suggestion_review", args=[suggestion.pk]), data)


def test_a_curator_accepts_a_suggestion_onto_an_existing_incident(curator_client, curator, imported, make_incident):
    incident = make_incident(slug="tetrapylon-2017", occurred="2016-12/2017-01")
    suggestion = Suggestion.objects.get(monument__slug="tetrapylon", article=imported[0])
    page = curator_client.get(reverse("admin:register_suggestion_review", args=[suggestion.pk]))
    assert incident in page.context["form"].fields["incident"].queryset
    response = review(curator_client, suggestion, incident=incident.pk, _accept="Accept")
    assert response.status_code == 302
    assert response.url.endswith("?status__exact=pending")
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.reviewed_by, suggestion.evidence.incident) == ("accepted", curator, incident)


def test_a_curator_accepts_a_return_as_a_new_restoration_prefilled_from_it(curator_client, imported):
    suggestion = Suggestion.objects.get(artefact__slug="funerary-busts")
    response = review(curator_client, suggestion, _accept="Accept", date="2017-03-01")
    assert response.status_code == 302
    restoration = Suggestion.objects.get(pk=suggestion.pk).evidence.restoration
    assert (restoration.kind, restoration.returned, restoration.summary) == ("return", "2017-03-01", suggestion.quote)


def test_accepting_a_suggestion_without_a_date_asks_for_one(curator_client, imported):
    suggestion = Suggestion.objects.get(monument__slug="monumental-arch")
    response = review(curator_client, suggestion, _accept="Accept", date="")
    assert response.status_code == 200
    assert "gives no date" in response.content.decode()
    assert not Incident.objects.exists()
    assert Suggestion.objects.get(pk=suggestion.pk).status == SuggestionStatus.PENDING


def test_a_curator_rejects_a_suggestion_with_a_reason(curator_client, curator, imported):
    suggestion = Suggestion.objects.get(monument__slug="palmyra")
    response = review(curator_client, suggestion, _reject="Reject", reason="Too general.")
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.review_note, suggestion.reviewed_by) == ("rejected", "Too general.", curator)
    assert not Evidence.objects.exists()


def test_the_suggestion_page_links_to_its_review_until_it_is_decided(curator_client, curator, imported):
    suggestion = Suggestion.objects.get(monument__slug="palmyra")
    change = reverse("admin:register_suggestion_change", args=[suggestion.pk])
    review_url = reverse("admin:register_suggestion_review", args=[suggestion.pk])
    assert review_url in curator_client.get(change).content.decode()
    review(curator_client, suggestion, _reject="Reject")
    assert review_url not in curator_client.get(change).content.decode()
    assert "Accept" not in curator_client.get(review_url).content.decode().split("Correct the subject")[1]


def test_reviewing_a_suggestion_asks_a_visitor_to_log_in(client, imported):
    suggestion = Suggestion.objects.get(monument__slug="palmyra")
    response = client.get(reverse("admin:register_suggestion_review", args=[suggestion.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_a_staff_member_who_may_only_view_suggestions_cannot_review_one(client, imported):
    viewer = User.objects.create_user("viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_suggestion"))
    client.force_login(viewer)
    suggestion = Suggestion.objects.get(monument__slug="palmyra")
    assert client.get(reverse("admin:register_suggestion_review", args=[suggestion.pk])).status_code == 403
    assert review(client, suggestion, _reject="Reject").status_code == 403
    assert Suggestion.objects.get(pk=suggestion.pk).status == SuggestionStatus.PENDING


def test_accepting_needs_the_right_to_add_evidence_and_rejecting_does_not(client, imported):
    reviewer = User.objects.create_user("reviewer", is_staff=True)
    reviewer.user_permissions.add(Permission.objects.get(codename="change_suggestion"))
    client.force_login(reviewer)
    accepted, rejected = Suggestion.objects.pending().order_by("pk")[:2]
    assert review(client, accepted, _accept="Accept", date="2017-03-01").status_code == 403
    assert Suggestion.objects.get(pk=accepted.pk).status == SuggestionStatus.PENDING
    assert not Evidence.objects.exists()
    assert review(client, rejected, _reject="Reject").status_code == 302
    assert Suggestion.objects.get(pk=rejected.pk).status == SuggestionStatus.REJECTED
