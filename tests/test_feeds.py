"""Feeds and harvesting: valid Atom feeds of what the public sees, and the API's ``updated_after`` on every list.

The feeds are read as a client reads them, with feedparser: valid (its bozo flag down), one entry per public record,
each with its quotes, their citations and its publishers, latest change first; never a record the public may not see.
"""

import datetime as dt
import html

import feedparser
import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from register import feeds
from register.api.urls import router
from register.models import Article, Evidence, Incident, Monument, Restoration
from register.services.condition import conditions_refresh_for
from tests.conftest import published

pytestmark = pytest.mark.django_db

HIDDEN = "hidden-feed-canary"


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


@pytest.fixture
def palmyra(db):
    call_command("loaddata", "palmyra", verbosity=0)
    call_command("refresh_conditions", verbosity=0)
    site = Monument.objects.get(slug="palmyra")
    # An incident no quote supports, with a report held by reference pointing at it: the public never sees it.
    hidden = Incident.objects.create(
        slug=HIDDEN,
        monument=Monument.objects.get(slug="roman-theatre"),
        kind="looted",
        occurred="2016",
        summary="A hidden summary no quote supports.",
        **published(),
    )
    Evidence.objects.create(
        article=Article.objects.exclude(body="").first(), incident=hidden, note="A hidden note on the theatre."
    )
    conditions_refresh_for(records=[hidden])
    return site


def read_feed(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return response, parsed


def public_records(scope=None):
    records = []
    for model in feeds.FEED_MODELS:
        found = model.objects.public()
        records += list(found.for_monument(scope) if scope is not None else found)
    return records


def test_the_register_feed_is_valid_atom_with_an_entry_for_every_public_record(client, palmyra):
    response, parsed = read_feed(client, reverse("register:feed"))
    records = public_records()
    assert len(records) > 5
    assert {entry.link for entry in parsed.entries} == {
        f"http://testserver{record.get_absolute_url()}" for record in records
    }
    assert parsed.feed.title == "Heritage Damage Register: latest changes"
    assert parsed.feed.author == "Heritage Damage Register"
    assert response["Cache-Control"] == "public, max-age=300"


def test_each_entry_carries_its_quotes_their_citations_its_publishers_and_when_it_changed(client, palmyra):
    _response, parsed = read_feed(client, reverse("register:feed"))
    by_link = {entry.link: entry for entry in parsed.entries}
    for record in public_records():
        entry = by_link[f"http://testserver{record.get_absolute_url()}"]
        content = html.unescape(entry.content[0].value)
        evidence = list(record.evidence.with_citation())
        for item in evidence:
            if item.is_quote:
                assert item.quote in content, record.slug
                assert f"http://testserver{item.article.get_absolute_url()}#evidence-{item.pk}" in content
            else:
                assert "A report held by reference, with no quote:" in content
        assert entry.author == ", ".join(dict.fromkeys(item.article.publisher.citation_name for item in evidence))
        assert entry.updated_parsed[:6] == record.updated.astimezone(dt.UTC).timetuple()[:6]
        assert entry.id == entry.link
        assert entry.tags[0].term == record._meta.model_name


def test_the_tetrapylon_entry_tells_its_date_in_words(client, palmyra):
    _response, parsed = read_feed(client, reverse("register:monument-feed", args=["tetrapylon"]))
    [entry] = parsed.entries
    # The fixture's 2016-12/2017-01, as the issue asks it told.
    assert entry.title == "Incident: Tetrapylon, destroyed, between December 2016 and January 2017"
    assert "AFP" in entry.author


def test_a_site_feed_holds_its_parts_and_the_artefacts_from_them(client, palmyra):
    _response, parsed = read_feed(client, reverse("register:monument-feed", args=["palmyra"]))
    expected = public_records(palmyra)
    assert {entry.link for entry in parsed.entries} == {f"http://testserver{r.get_absolute_url()}" for r in expected}
    subjects = {record.subject.slug for record in expected}
    assert {"tetrapylon", "roman-theatre", "funerary-busts"} <= subjects
    assert parsed.feed.link == "http://testserver/en/monuments/palmyra/"


def test_a_record_the_public_may_not_see_is_in_no_feed(client, palmyra):
    for url in (
        reverse("register:feed"),
        reverse("register:monument-feed", args=["palmyra"]),
        reverse("register:monument-feed", args=["roman-theatre"]),
    ):
        response, _parsed = read_feed(client, url)
        assert HIDDEN not in response.text
        assert "hidden" not in response.text.lower()


def test_entries_come_latest_change_first_and_a_changed_record_moves_to_the_top(client, palmyra):
    _response, parsed = read_feed(client, reverse("register:feed"))
    updated = [entry.updated_parsed for entry in parsed.entries]
    assert updated == sorted(updated, reverse=True)
    oldest = Incident.objects.public().order_by("updated").first()
    oldest.summary += " Corrected."
    oldest.save()
    cache.clear()
    _response, parsed = read_feed(client, reverse("register:feed"))
    assert parsed.entries[0].link.endswith(oldest.get_absolute_url())
    assert "Corrected." in parsed.entries[0].summary


def test_a_summary_is_text_even_where_it_looks_like_markup(client, palmyra):
    incident = Incident.objects.public().get(monument__slug="tetrapylon")
    incident.summary = "Blown up <b>at night</b> & burnt."
    incident.save()
    _response, parsed = read_feed(client, reverse("register:monument-feed", args=["tetrapylon"]))
    assert parsed.entries[0].summary == "Blown up &lt;b&gt;at night&lt;/b&gt; &amp; burnt."


def test_another_kind_of_entry_joins_the_feeds_through_entry_sources(client, palmyra, monkeypatch):
    # The publication step's corrections join this way: an entry of their own, updated when the record was corrected.
    incident = Incident.objects.public().first()
    corrected = timezone.now() + dt.timedelta(days=1)

    def corrections(scope, limit):
        link = scope.absolute(incident.get_absolute_url())
        return [
            feeds.FeedEntry(
                guid=f"{link}#correction-1",
                title="Correction: the date was wrong.",
                link=link,
                updated=corrected,
                published=corrected,
                author="Heritage Damage Register",
                summary="The date was wrong.",
                content="<p>The date was wrong.</p>",
                category="correction",
            )
        ]

    monkeypatch.setattr(feeds, "ENTRY_SOURCES", [*feeds.ENTRY_SOURCES, corrections])
    _response, parsed = read_feed(client, reverse("register:feed"))
    assert parsed.entries[0].id.endswith("#correction-1")
    assert len(parsed.entries) == len(public_records()) + 1


def test_a_feed_holds_at_most_its_length_and_costs_the_same_queries_however_long(client, palmyra, monkeypatch):
    url = reverse("register:monument-feed", args=["palmyra"])
    with CaptureQueriesContext(connection) as few:
        read_feed(client, url)
    theatre = Monument.objects.get(slug="roman-theatre")
    evidence = Evidence.objects.filter(incident__is_public=True).exclude(position=None).first()
    for number in range(8):
        incident = Incident.objects.create(
            slug=f"more-{number}", monument=theatre, kind="damaged", occurred="2017", summary="More.", **published()
        )
        Evidence.objects.create(
            article=evidence.article, incident=incident, quote=evidence.quote, position=evidence.position
        )
        conditions_refresh_for(records=[incident])
    monkeypatch.setattr(feeds, "FEED_LENGTH", 5)
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        _response, parsed = read_feed(client, url)
    assert len(parsed.entries) == 5
    assert len(many) == len(few)


def test_an_empty_feed_is_the_same_document_each_time(client, palmyra):
    empty = Monument.objects.create(name="Quiet Tomb", slug="quiet-tomb", kind="tomb")
    first, parsed = read_feed(client, reverse("register:monument-feed", args=[empty.slug]))
    assert parsed.entries == []
    cache.clear()
    again, _parsed = read_feed(client, reverse("register:monument-feed", args=[empty.slug]))
    assert first.content == again.content


def test_an_unknown_monument_has_no_feed(client, db):
    assert client.get(reverse("register:monument-feed", args=["atlantis"])).status_code == 404


def test_pages_link_their_feeds(client, palmyra):
    alternate = '<link rel="alternate" type="application/atom+xml" href="{}"'
    home = client.get(reverse("register:home")).text
    assert alternate.format("/en/feed/") in home
    site = client.get(reverse("register:monument-detail", args=["palmyra"])).text
    assert alternate.format("/en/feed/") in site
    assert alternate.format("/en/monuments/palmyra/feed/") in site
    part = client.get(reverse("register:monument-detail", args=["tetrapylon"])).text
    assert alternate.format("/en/monuments/tetrapylon/feed/") in part


# Harvesting: ?updated_after= and ?ordering=updated on every list.


def list_addresses() -> list[str]:
    return [f"/api/v1/{prefix}/" for prefix, _viewset, _basename in router.registry]


def test_every_list_takes_updated_after(palmyra):
    api = APIClient()
    # The fixture's records carry the times it was made at.
    before = "2000-01-01T00:00:00Z"
    after = (timezone.now() + dt.timedelta(days=1)).isoformat()
    for address in list_addresses():
        everything = api.get(address, {"ordering": "updated", "page_size": 500})
        assert everything.status_code == 200, address
        since = api.get(address, {"updated_after": before, "ordering": "updated", "page_size": 500})
        assert since.json() == everything.json(), address
        nothing = api.get(address, {"updated_after": after})
        assert nothing.status_code == 200, address
        assert nothing.json()["results"] == [], address


@pytest.mark.parametrize("value", ["yesterday", "2024-13-01T00:00:00Z", "2024-05-01T25:00", "2024-05-01 12:00 02:00"])
def test_a_malformed_updated_after_answers_400_naming_it(palmyra, value):
    for address in list_addresses():
        response = APIClient().get(address, {"updated_after": value})
        assert response.status_code == 400, address
        assert list(response.json()) == ["updated_after"], address


def test_a_harvester_fetches_only_what_changed_since_its_last_visit(palmyra):
    api = APIClient()
    last_visit = timezone.now()
    changed = Restoration.objects.public().first()
    changed.summary += " Amended."
    changed.save()
    hidden = Incident.objects.get(slug=HIDDEN)
    hidden.summary += " Still hidden."
    hidden.save()
    incident = Incident.objects.public().last()
    incident.save()

    since = {"updated_after": last_visit.isoformat(), "ordering": "updated"}
    assert [r["slug"] for r in api.get("/api/v1/restorations/", since).json()["results"]] == [changed.slug]
    # The hidden incident changed too, but the public never sees it, as in every other list.
    assert [r["slug"] for r in api.get("/api/v1/incidents/", since).json()["results"]] == [incident.slug]
    assert api.get("/api/v1/monuments/", since).json()["results"] == []
    # With an offset, and with a plus sign written as %2B.
    offset = last_visit.astimezone(dt.timezone(dt.timedelta(hours=3))).isoformat()
    response = api.get(f"/api/v1/restorations/?updated_after={offset.replace('+', '%2B')}")
    assert [r["slug"] for r in response.json()["results"]] == [changed.slug]
