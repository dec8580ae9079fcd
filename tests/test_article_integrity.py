"""An article's raw text and fingerprint never change once imported, and its body keeps every quote verbatim."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.fields.files import FieldFile
from django.urls import reverse
from rest_framework.test import APIClient

from register.models import Article, fingerprint
from tests.conftest import BODY, QUOTE

pytestmark = pytest.mark.django_db

SECOND_QUOTE = "satellite images showed damage to the theatre's facade"


@pytest.fixture
def curator_api(curator):
    client = APIClient()
    client.force_authenticate(curator)
    return client


@pytest.fixture
def quoted(article, incident, make_evidence):
    """The test article with two quotes standing in its body."""
    return article, [make_evidence(incident), make_evidence(incident, quote=SECOND_QUOTE)]


def patch_article(client: APIClient, article: Article, body: dict):
    url = f"/api/v1/articles/{article.pk}/"
    return client.patch(url, body, format="json", HTTP_IF_MATCH=client.get(url).headers["ETag"])


def test_patching_an_articles_raw_text_is_refused_naming_the_field(curator_api, article):
    stored = (article.raw_text, article.sha256)

    response = patch_article(curator_api, article, {"raw_text": "date 2017-03-02 Test report\n\nTampered.\n"})

    assert response.status_code == 400
    assert list(response.json()) == ["raw_text"]
    article.refresh_from_db()
    assert (article.raw_text, article.sha256) == stored
    assert article.sha256 == fingerprint(article.raw_text)


def test_patching_an_articles_fingerprint_is_refused_naming_the_field(curator_api, article):
    response = patch_article(curator_api, article, {"sha256": "0" * 64})

    assert response.status_code == 400
    assert list(response.json()) == ["sha256"]
    article.refresh_from_db()
    assert article.sha256 == fingerprint(article.raw_text)


def test_sending_the_raw_text_and_fingerprint_unchanged_is_no_change(curator_api, article):
    response = patch_article(
        curator_api, article, {"raw_text": article.raw_text, "sha256": article.sha256, "title": "Renamed"}
    )

    assert response.status_code == 200, response.json()
    article.refresh_from_db()
    assert article.title == "Renamed"


def test_an_article_created_through_the_api_is_fingerprinted_from_the_raw_text_it_was_sent(curator_api, afp):
    raw = "A report received today.\n"
    response = curator_api.post(
        "/api/v1/articles/", {"publisher": "afp", "raw_text": raw, "body": raw.strip()}, format="json"
    )

    assert response.status_code == 201, response.json()
    assert response.json()["sha256"] == fingerprint(raw)


def test_the_model_refuses_a_changed_raw_text_in_full_clean(article):
    article.raw_text = "Something else entirely.\n"

    with pytest.raises(ValidationError) as refused:
        article.full_clean()

    assert "raw_text" in refused.value.message_dict


def test_a_reference_only_article_may_receive_its_text_once(afp):
    article = Article.objects.create(publisher=afp, url="https://example.org/report")
    article.raw_text, article.body = "The report itself.\n", "The report itself."

    article.full_clean()
    article.save()

    assert Article.objects.get(pk=article.pk).sha256 == fingerprint("The report itself.\n")


@pytest.mark.parametrize(
    "change",
    [
        {"raw_text": "date 2017-03-02 Tampered\n"},
        {"sha256": "0" * 64},
        {"raw_text": "x\n", "sha256": fingerprint("x\n")},
    ],
    ids=["raw text", "fingerprint", "both, consistently"],
)
def test_the_database_refuses_to_change_an_imported_raw_text_or_fingerprint(article, change):
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(**change)

    stored = Article.objects.get(pk=article.pk)
    assert stored.sha256 == fingerprint(stored.raw_text)


def test_the_database_lets_other_fields_of_an_article_change(article):
    Article.objects.filter(pk=article.pk).update(title="Renamed", needs_review=True)
    assert Article.objects.get(pk=article.pk).title == "Renamed"


def test_an_api_body_edit_that_would_orphan_quotes_is_refused_naming_them(curator_api, quoted):
    article, (first, second) = quoted
    edited = BODY.replace("tetrapylon", "tetrapylon (four pillars)").replace("satellite", "Satellite")

    response = patch_article(curator_api, article, {"body": edited})

    assert response.status_code == 400
    [message] = response.json()["body"]
    assert f"#{first.pk}" in message and f"#{second.pk}" in message
    assert QUOTE[:20] in message
    article.refresh_from_db()
    assert article.body == BODY


def test_a_body_edit_that_keeps_every_quote_in_place_is_accepted(curator_api, quoted):
    article, _ = quoted
    response = patch_article(curator_api, article, {"body": BODY + "\n\nA correction appended."})

    assert response.status_code == 200, response.json()
    for evidence in article.evidence.all():
        evidence.full_clean()


def test_an_admin_body_edit_that_would_orphan_a_quote_is_refused_naming_it(curator_client, quoted):
    article, (first, _second) = quoted
    url = reverse("admin:register_article_change", args=[article.pk])
    page = curator_client.get(url)
    # What a browser posts back for the form left as it is: the article's fields and each read-only inline's count.
    forms = [page.context["adminform"].form]
    forms += [inline.formset.management_form for inline in page.context["inline_admin_formsets"]]
    data = {}
    for form in forms:
        for field in form:
            value = field.value()
            if value is None or value is False or isinstance(value, FieldFile):
                continue
            data[field.html_name] = "on" if value is True else value
    data["body"] = BODY.replace("IS destroyed", "IS blew up")

    response = curator_client.post(url, data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["body"]
    assert f"#{first.pk}" in errors["body"][0]
    article.refresh_from_db()
    assert article.body == BODY
