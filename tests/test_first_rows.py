"""EventQuerySet.first_rows: the same rows as a slice, the quote check applied after ordering on PostgreSQL."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import F
from django.test import Client
from django.test.utils import CaptureQueriesContext

from register.api import querysets
from register.models import Evidence, Incident, Monument, Restoration, Source

pytestmark = pytest.mark.django_db

ON_POSTGRESQL = connection.vendor == "postgresql"


@pytest.fixture
def register(db):
    """A generated register in which every third incident and restoration has lost its quotes."""
    call_command("generate_register", monuments=30, seed=7, verbosity=0)
    unquoted_incidents = list(Incident.objects.order_by("pk").values_list("pk", flat=True))[::3]
    unquoted_restorations = list(Restoration.objects.order_by("pk").values_list("pk", flat=True))[::3]
    Evidence.objects.filter(incident__in=unquoted_incidents).delete()
    Evidence.objects.filter(restoration__in=unquoted_restorations).delete()
    assert Incident.objects.with_evidence().count() < Incident.objects.count()


def ids(rows) -> list[int]:
    return [row.pk for row in rows]


def event_lists():
    """Public event lists as the API orders and filters them, forwards and backwards, with a cursor or not."""
    middle = Incident.objects.order_by("occurred_earliest", "pk")[Incident.objects.count() // 2]
    site = Monument.objects.sites().order_by("pk").first()
    source = Source.objects.order_by("pk").first()
    by_date = ("occurred_earliest", "id")
    yield querysets.incidents().order_by(*by_date)
    yield querysets.incidents().order_by("-occurred_earliest", "-id")
    yield querysets.incidents().order_by("id")
    yield querysets.incidents().filter(occurred_earliest__gte=middle.occurred_earliest).order_by(*by_date)
    yield querysets.incidents().overlapping(dt.date(2015, 1, 1), dt.date(2016, 12, 31)).order_by(*by_date)
    yield querysets.incidents().filter(grade="destroyed").overlapping(dt.date(2014, 1, 1), None).order_by(*by_date)
    yield querysets.incidents().for_monument(site).order_by(*by_date)
    yield querysets.incidents().cited_from(source).order_by("-occurred_earliest", "-id")
    yield querysets.incidents().filter(monument__kind="temple").order_by("monument__name", "id")
    yield querysets.restorations().order_by("finished_earliest", "id")
    yield querysets.restorations().order_by("-id")


@pytest.mark.parametrize("count", [1, 7, 101])
def test_first_rows_are_the_first_rows_of_the_slice(register, count):
    compared = 0
    for queryset in event_lists():
        expected = ids(queryset[:count])
        assert ids(queryset.first_rows(count)) == expected, str(queryset.query)
        compared += len(expected)
    assert compared > 0


def test_first_rows_leave_out_events_without_a_quote(register):
    quoted = set(Incident.objects.with_evidence().values_list("pk", flat=True))
    rows = ids(querysets.incidents().order_by("occurred_earliest", "id").first_rows(1000))
    assert rows and set(rows) <= quoted
    assert len(rows) == len(quoted)


def test_first_rows_check_for_quotes_after_ordering_on_postgresql(register):
    queryset = querysets.incidents().overlapping(dt.date(2015, 1, 1), dt.date(2016, 12, 31))
    with CaptureQueriesContext(connection) as captured:
        rows = list(queryset.order_by("occurred_earliest", "id").first_rows(20))
    assert rows
    # The page is one query, its quotes read in each row (register.api.inline_quotes).
    page_sql = captured[0]["sql"]
    assert len(captured) == 1
    # PostgreSQL gets the ids sorted in a derived table it may not flatten, then checked; elsewhere, the slice.
    assert ("OFFSET 0" in page_sql) is ON_POSTGRESQL
    if ON_POSTGRESQL:
        candidates, _offset, checked = page_sql.partition("OFFSET 0")
        assert "EXISTS" not in candidates and "EXISTS" in checked


def test_an_unfiltered_list_is_the_slice(register):
    # Walking the order's index checks only the rows it keeps: nothing to move.
    queryset = querysets.incidents().order_by("occurred_earliest", "id")
    assert str(queryset.first_rows(5).query) == str(queryset[:5].query)


def test_first_rows_without_a_quote_check_are_the_slice(register):
    # Curators see every event: no check to move, so the query is the plain slice.
    queryset = querysets.incidents(public=False).order_by("occurred_earliest", "id")
    assert str(queryset.first_rows(5).query) == str(queryset[:5].query)


def test_unordered_or_sliced_querysets_are_the_slice(register):
    unordered = querysets.incidents().order_by()
    assert str(unordered.first_rows(5).query) == str(unordered[:5].query)
    # An order by an expression is left to the plain slice too.
    by_expression = querysets.incidents().order_by(F("occurred_earliest").desc(), "id")
    assert ids(by_expression.first_rows(5)) == ids(by_expression[:5])
    assert "OFFSET 0" not in str(by_expression.first_rows(5).query)


def test_api_pages_walk_the_same_incidents_forwards_and_back(register):
    client = Client()
    expected = ids(querysets.incidents().order_by("occurred_earliest", "id"))
    seen, url = [], "/api/v1/incidents/?page_size=7"
    while url:
        page = client.get(url).json()
        seen += [row["id"] for row in page["results"]]
        last, url = page, page["next"]
    assert seen == expected
    back = []
    url = last["previous"]
    while url:
        page = client.get(url).json()
        back = [row["id"] for row in page["results"]] + back
        url = page["previous"]
    assert back + [row["id"] for row in last["results"]] == expected


@pytest.mark.skipif(not ON_POSTGRESQL, reason="GiST indexes on date ranges are PostgreSQL's")
def test_a_filtered_page_finds_its_candidates_in_the_window_index_alone(register):
    # Migration 0012: the window indexes carry the window's ends and the id, so sorting a window's candidates
    # reads the index, not the table. The planner is told to prefer indexes, as it does at scale.
    queryset = querysets.incidents().filter(grade="destroyed").overlapping(dt.date(2015, 6, 1), dt.date(2015, 6, 30))
    page = queryset.order_by("occurred_earliest", "id").first_rows(101)
    sql, params = page.query.get_compiler(using=page.db).as_sql()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Index Only Scan using incident_grade_window" in plan, plan
