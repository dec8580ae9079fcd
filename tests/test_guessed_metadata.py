"""Guessed metadata: an outlet inferred from page furniture, a publisher taken from a page's site name.

The importer flags each guess on the article for a curator to confirm, and until one does, no public channel shows
it as fact: the page, the API in JSON and CSV, JSON-LD and the feed leave a guessed outlet out ("AFP", not
"AFP (via Business Insider)") and mark a guessed publisher as not confirmed. A curator's token shows the guess with
its flag; the admin action confirms it, recorded in the article's history.
"""

import csv
import html
import io
import json
import re
import zipfile

import feedparser
import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from register.models import Article, Evidence, Incident, Source
from register.models.vocabularies import DamageGrade, IncidentKind, PublicationState, SourceKind
from register.services.articles import article_import, article_import_file
from register.services.bulk_export import bulk_export
from register.services.condition import conditions_refresh_for
from tests import document_files as files

pytestmark = pytest.mark.django_db

TITLE = "Militants destroy Palmyra's Tetrapylon"
QUOTE = "Islamic State militants destroyed the Tetrapylon in Palmyra, the Syrian antiquities chief said."
REPORT = f"""date 2017-01-20 {TITLE}

BEIRUT (AFP) - {QUOTE}

The group also damaged the facade of the Roman Theatre, satellite images showed.

NOW WATCH: Why this city's skyline is changing so fast
"""
PUBLIC_CITATION = f"AFP, “{TITLE}”, 2017-01-20"
CONFIRMED_CITATION = f"AFP (via Business Insider), “{TITLE}”, 2017-01-20"
CURATORS_CITATION = f"AFP (via Business Insider, not confirmed), “{TITLE}”, 2017-01-20"
OUTLET_NOTE = "The outlet Business Insider was inferred from page furniture (“NOW WATCH:”); confirm it or remove it."


@pytest.fixture(autouse=True)
def fresh_cache():
    # Pages and feeds are cached; each test reads what its own database holds.
    cache.clear()


@pytest.fixture
def imported(tmp_path, palmyra_names):
    """Return the article imported from a real text file whose only sign of an outlet is a "NOW WATCH:" line."""
    path = tmp_path / "tetrapylon.txt"
    path.write_text(REPORT, encoding="utf-8")
    result = article_import_file(path=path)
    assert result.status == "created", result.error
    return Article.objects.get(pk=result.article.pk)


@pytest.fixture
def quoted(imported, palmyra_names):
    """Return the public incident the imported article's quote supports, and that quote."""
    incident = Incident.objects.create(
        slug="tetrapylon-destroyed",
        monument=palmyra_names["tetrapylon"],
        kind=IncidentKind.DESTROYED,
        grade=DamageGrade.DESTROYED,
        occurred="2017-01",
        summary="The Tetrapylon was destroyed.",
        state=PublicationState.PUBLISHED,
        published=timezone.now(),
    )
    evidence = Evidence.objects.create(
        article=imported, incident=incident, quote=QUOTE, position=imported.body.index(QUOTE)
    )
    conditions_refresh_for(records=[evidence])
    return incident, evidence


def curators_api(curator) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=curator).key}")
    return api


def page_citation(client, article) -> str:
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    start = page.index('<p class="lead">') + len('<p class="lead">')
    # The citation's text, without the isolates that keep each name in its own direction.
    return html.unescape(re.sub(r"<[^>]+>", "", page[start : page.index("</p>", start)]))


def csv_rows(response) -> list[dict]:
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def feed_entry_text(client) -> str:
    response = client.get(reverse("register:feed"))
    assert response.status_code == 200
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    [entry] = parsed.entries
    return html.unescape(entry.content[0].value)


def test_an_outlet_inferred_from_furniture_is_flagged_for_review(imported):
    assert (imported.publisher.slug, imported.carried_by.name) == ("afp", "Business Insider")
    assert (imported.carried_by_guessed, imported.publisher_guessed) == (True, False)
    assert imported.needs_review
    assert imported.review_note == OUTLET_NOTE
    assert imported.guessed_fields == ["carried_by"]


def test_the_public_page_cites_the_report_without_the_guessed_outlet(client, imported):
    assert page_citation(client, imported) == PUBLIC_CITATION
    page = client.get(imported.get_absolute_url()).content.decode()
    assert "Business Insider" not in page
    listed = client.get(reverse("register:article-list")).content.decode()
    assert TITLE.replace("'", "&#x27;") in listed and "Business Insider" not in listed


def test_the_api_leaves_the_guessed_outlet_out_in_json_and_csv(imported, quoted):
    api = APIClient()
    record = api.get(f"/api/v1/articles/{imported.pk}/").json()
    assert (record["carried_by"], record["citation"], record["unconfirmed"]) == (None, PUBLIC_CITATION, [])

    _incident, evidence = quoted
    quote = api.get(f"/api/v1/evidence/{evidence.pk}/").json()
    assert (quote["citation"]["carried_by"], quote["citation"]["text"]) == (None, PUBLIC_CITATION)
    assert (quote["attribution"]["carried_by"], quote["attribution"]["text"]) == (None, "AFP")

    [row] = csv_rows(api.get("/api/v1/articles/", {"format": "csv"}))
    assert (row["carried_by"], row["citation"], row["unconfirmed"]) == ("", PUBLIC_CITATION, "")
    [row] = csv_rows(api.get("/api/v1/evidence/", {"format": "csv"}))
    assert (row["citation.carried_by.slug"], row["citation.text"], row["attribution.text"]) == (
        "",
        PUBLIC_CITATION,
        "AFP",
    )

    linked = api.get(f"/api/v1/articles/{imported.pk}/", {"format": "jsonld"}).content.decode()
    assert "Business Insider" not in linked and "business-insider" not in linked
    # Nor does a filter by the guessed outlet find the article.
    assert api.get("/api/v1/articles/", {"carried_by": "business-insider"}).json()["results"] == []


def test_the_bulk_download_leaves_the_guessed_outlet_out(quoted, settings, tmp_path):
    settings.EXPORTS_ROOT = tmp_path / "exports"
    with zipfile.ZipFile(bulk_export().path) as archive:
        [article] = [json.loads(line) for line in archive.read("articles.jsonl").decode().splitlines()]
        [quote] = [json.loads(line) for line in archive.read("evidence.jsonl").decode().splitlines()]
        articles_csv = archive.read("articles.csv").decode()
    assert (article["carried_by"], article["citation"]) == (None, PUBLIC_CITATION)
    assert (quote["citation"]["text"], quote["attribution"]["text"]) == (PUBLIC_CITATION, "AFP")
    assert "Business Insider" not in articles_csv and "business-insider" not in articles_csv


def test_the_feed_cites_the_quote_without_the_guessed_outlet(client, quoted):
    entry = feed_entry_text(client)
    assert PUBLIC_CITATION in entry
    assert "Business Insider" not in entry


def test_a_curators_token_shows_the_guess_with_its_flag(imported, quoted, curator):
    api = curators_api(curator)
    record = api.get(f"/api/v1/articles/{imported.pk}/").json()
    assert (record["carried_by"], record["citation"], record["unconfirmed"]) == (
        "business-insider",
        CURATORS_CITATION,
        ["carried_by"],
    )
    _incident, evidence = quoted
    quote = api.get(f"/api/v1/evidence/{evidence.pk}/").json()
    assert (quote["citation"]["carried_by"]["slug"], quote["citation"]["unconfirmed"]) == (
        "business-insider",
        ["carried_by"],
    )
    assert quote["attribution"]["text"] == "AFP (via Business Insider, not confirmed)"
    found = api.get("/api/v1/articles/", {"carried_by": "business-insider"}).json()["results"]
    assert [record["id"] for record in found] == [imported.pk]


def test_confirming_the_guess_in_the_admin_shows_it_everywhere_and_records_who(client, imported, quoted, curator):
    client.force_login(curator)
    response = client.post(
        reverse("admin:register_article_changelist"),
        {"action": "confirm_guesses", "_selected_action": [imported.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "are confirmed" in response.content.decode()

    imported.refresh_from_db()
    assert imported.guessed_fields == []
    confirmation = imported.history.latest()
    assert (confirmation.history_user, confirmation.history_change_reason) == (
        curator,
        "Confirmed the guessed publisher and outlet",
    )
    client.logout()
    cache.clear()
    assert page_citation(client, imported) == CONFIRMED_CITATION
    record = APIClient().get(f"/api/v1/articles/{imported.pk}/").json()
    assert (record["carried_by"], record["citation"], record["unconfirmed"]) == (
        "business-insider",
        CONFIRMED_CITATION,
        [],
    )
    [row] = csv_rows(APIClient().get("/api/v1/articles/", {"format": "csv"}))
    assert row["citation"] == CONFIRMED_CITATION
    assert CONFIRMED_CITATION in feed_entry_text(client)


def test_the_change_page_shows_the_guesses_to_the_curator(client, imported, curator):
    client.force_login(curator)
    page = client.get(reverse("admin:register_article_change", args=[imported.pk])).content.decode()
    checkboxes = dict(re.findall(r'<input type="checkbox" name="(\w+_guessed)"[^>]*?( checked)?>', page))
    assert checkboxes == {"publisher_guessed": "", "carried_by_guessed": " checked"}
    assert OUTLET_NOTE in html.unescape(page)
    listed = client.get(reverse("admin:register_article_changelist")).content.decode()
    assert "Confirm the guessed publisher and outlet" in listed


def test_a_curator_who_changes_or_removes_the_outlet_states_it_and_the_guess_is_cleared(imported):
    pulse = Source.objects.create(name="Pulse News Agency", slug="pulse", kind=SourceKind.OUTLET)
    imported.carried_by = pulse
    imported.full_clean()
    imported.save()
    assert imported.guessed_fields == []

    imported.carried_by_guessed = True
    imported.save()
    imported.carried_by = None
    imported.full_clean()
    assert imported.guessed_fields == []


def test_a_web_page_whose_publisher_is_only_its_site_name_has_a_guessed_publisher(client, palmyra_names):
    story = (
        "Islamic State militants destroyed the Tetrapylon in Palmyra last week, the antiquities chief said.",
        "The ancient city was recaptured by government forces in March 2016.",
    )
    article = article_import(data=files.news_page(story=story), name="page.html").article

    assert (article.publisher.name, article.carried_by) == ("The Desert Courier", None)
    assert (article.publisher_guessed, article.guessed_fields) == (True, ["publisher"])
    assert article.needs_review
    assert (
        "The publisher The Desert Courier was taken from the page's site name, not named in the text; confirm it or "
        "change it."
    ) in article.review_note
    expected = "The Desert Courier (publisher not confirmed), “IS destroys Palmyra's Tetrapylon”, 2017-01-20"
    assert page_citation(client, article) == expected
    record = APIClient().get(f"/api/v1/articles/{article.pk}/").json()
    assert (record["citation"], record["unconfirmed"]) == (expected, ["publisher"])
