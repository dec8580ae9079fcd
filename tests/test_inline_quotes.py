"""An event's quotes read in its own row: the same records, joined records and order as Django's prefetch gave."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Prefetch
from django.test.utils import CaptureQueriesContext

from register.api import inline_quotes, querysets
from register.models import Article, Evidence, Incident, Restoration, fingerprint
from tests.conftest import BODY, QUOTE

pytestmark = pytest.mark.django_db

RELATED = ("article", "article__publisher", "article__carried_by", "cited_source")


def loaded(record) -> dict | None:
    """The values a record holds as loaded (deferred columns are absent), with their types."""
    if record is None:
        return None
    return {
        name: (value, type(value), getattr(value, "tzinfo", None))
        for name, value in record.__dict__.items()
        if not name.startswith("_")
    }


def described(quote: Evidence) -> tuple:
    parts = [loaded(quote)]
    for path in RELATED:
        record = quote
        for step in path.split("__"):
            record = None if record is None else getattr(record, step)
        parts.append(loaded(record))
    return tuple(parts)


def prefetched(model) -> dict:
    """Each event's quotes as Django's prefetch reads them, deferring what the inline rows leave out."""
    deferred = [
        f"{path}__{field.name}"
        for path, part in zip(RELATED, inline_quotes.PARTS[1:], strict=True)
        for field in part.model._meta.concrete_fields
        if field not in part.fields
    ]
    quotes = Evidence.objects.with_citation().defer(*deferred).order_by("article", "position")
    events = model.objects.prefetch_related(Prefetch("evidence", queryset=quotes, to_attr="quotes"))
    return {event.pk: [described(quote) for quote in event.quotes] for event in events}


def inline(model) -> dict:
    events = querysets.incidents(public=False) if model is Incident else querysets.restorations(public=False)
    with CaptureQueriesContext(connection) as captured:
        listed = {event.pk: [described(quote) for quote in event.prefetched_evidence] for event in events}
    assert len(captured) == 1, "the quotes and their joined records come with the page, in one query"
    return listed


@pytest.fixture
def palmyra(db):
    call_command("loaddata", "palmyra", verbosity=0)


@pytest.mark.parametrize("model", [Incident, Restoration])
def test_palmyra_quotes_inline_are_the_prefetched_ones(palmyra, model):
    expected = prefetched(model)
    assert any(expected.values())
    assert inline(model) == expected


@pytest.mark.parametrize("model", [Incident, Restoration])
def test_generated_quotes_inline_are_the_prefetched_ones(db, model):
    call_command("generate_register", monuments=60, seed=5, verbosity=0)
    expected = prefetched(model)
    assert sum(len(quotes) for quotes in expected.values()) > 1
    assert inline(model) == expected


def test_quotes_keep_the_order_of_their_articles_then_their_place(incident, article, afp, make_evidence):
    # Undated first (newest first puts an empty date first on PostgreSQL, last on SQLite, as Django orders
    # them), then by date, newest first, then title, then article, then the quote's place in its article.
    def report(title, published):
        raw = f"{title}\n\n{BODY}\n"
        return Article.objects.create(
            title=title, publisher=afp, raw_text=raw, body=BODY, sha256=fingerprint(raw), published=published
        )

    undated = report("Undated", None)
    older = report("Older", dt.date(2015, 5, 1))
    same_day_b = report("B report", dt.date(2016, 1, 1))
    same_day_a = report("A report", dt.date(2016, 1, 1))
    second = "The new destruction was condemned by the United Nations"
    for quoting in (older, undated, same_day_b, same_day_a):
        make_evidence(incident, article=quoting)
        Evidence.objects.create(article=quoting, incident=incident, quote=second, position=BODY.index(second))
    # A report held by reference only: no place in the article.
    Evidence.objects.create(article=older, incident=incident, quote="", position=None, note="By reference.")
    expected = prefetched(Incident)
    assert len(expected[incident.pk]) == 9
    assert inline(Incident) == expected
    titles = [quote[1]["title"][0] for quote in inline(Incident)[incident.pk]]
    assert titles.index("A report") < titles.index("B report") < titles.index("Older")


def test_each_quote_carries_its_joined_records_and_no_link_back_to_its_event(incident, make_evidence):
    make_evidence(incident)
    (event,) = list(querysets.incidents())
    with CaptureQueriesContext(connection) as captured:
        (quote,) = event.prefetched_evidence
        assert quote.article.publisher.short_name == "AFP"
        assert quote.article.carried_by is None
        assert quote.cited_source is None
        assert quote.quote == QUOTE
        assert quote.created.tzinfo is not None and quote.created.utcoffset() == dt.timedelta(0)
    assert len(captured) == 0
    # No cycle between an event and its quotes (the API reads nothing of a quote's event): the event's id is
    # there, the event itself is not cached on the quote.
    assert quote.incident_id == event.pk
    assert not Evidence.incident.field.is_cached(quote)
