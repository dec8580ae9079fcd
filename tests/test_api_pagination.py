"""Keyset pagination: every record once, in order, whatever the ties; no OFFSET and no COUNT."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from register.models import Incident, Source
from tests.conftest import published

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def seven_incidents(tetrapylon, make_evidence):
    """Seven incidents, five of them sharing one date window: ties the cursor must break."""
    dates = ["2017-01", "2017-01", "2016-05", "2017-01", "2017-01", "2018", "2017-01"]
    for number, occurred in enumerate(dates):
        incident = Incident.objects.create(
            slug=f"incident-{number}",
            monument=tetrapylon,
            kind="damaged",
            grade="severe",
            occurred=occurred,
            summary="S.",
            **published(),
        )
        make_evidence(incident)
    return dates


def walk(api, url, params, direction="next"):
    pages, response = [], api.get(url, params).json()
    pages.append(response)
    while response[direction]:
        response = api.get(response[direction]).json()
        pages.append(response)
    return pages


def slugs_of(pages):
    return [row["slug"] for page in pages for row in page["results"]]


def test_walking_next_links_visits_every_record_once_in_order_despite_ties(api, seven_incidents):
    pages = walk(api, "/api/v1/incidents/", {"page_size": 2})
    expected = list(Incident.objects.order_by("occurred_earliest", "id").values_list("slug", flat=True))
    assert slugs_of(pages) == expected
    assert [len(page["results"]) for page in pages] == [2, 2, 2, 1]


def test_descending_order_walks_the_other_way(api, seven_incidents):
    pages = walk(api, "/api/v1/incidents/", {"page_size": 3, "ordering": "-occurred_earliest"})
    expected = list(Incident.objects.order_by("-occurred_earliest", "-id").values_list("slug", flat=True))
    assert slugs_of(pages) == expected


def test_previous_links_walk_back_to_the_first_page(api, seven_incidents):
    forward = walk(api, "/api/v1/incidents/", {"page_size": 3})
    backward = [forward[-1]]
    while backward[-1]["previous"]:
        backward.append(api.get(backward[-1]["previous"]).json())
    assert [slugs_of([page]) for page in reversed(backward)] == [slugs_of([page]) for page in forward]
    assert backward[-1]["previous"] is None


def test_the_link_header_carries_the_same_links(api, seven_incidents):
    response = api.get("/api/v1/incidents/", {"page_size": 3, "format": "csv"})
    assert response.headers["Link"].startswith("<http://testserver/api/v1/incidents/?")
    assert response.headers["Link"].endswith('>; rel="next"')


def test_page_size_beyond_500_is_refused_not_capped(api, db):
    Source.objects.bulk_create(Source(name=f"Outlet {n}", slug=f"outlet-{n:03}", kind="outlet") for n in range(501))
    refused = api.get("/api/v1/sources/", {"page_size": 10_000})
    assert refused.status_code == 400
    assert refused.json() == {"page_size": ["A whole number from 1 to 500."]}
    response = api.get("/api/v1/sources/", {"page_size": 500}).json()
    assert len(response["results"]) == 500
    assert response["next"]


def test_a_cursor_made_for_another_ordering_answers_400(api, seven_incidents):
    next_link = api.get("/api/v1/incidents/", {"page_size": 2}).json()["next"]
    response = api.get(next_link + "&ordering=slug")
    assert response.status_code == 400
    assert list(response.json()) == ["cursor"]


def test_a_page_asks_the_database_for_one_page_without_offset_or_count(api, seven_incidents):
    first = api.get("/api/v1/incidents/", {"page_size": 2}).json()
    with CaptureQueriesContext(connection) as queries:
        api.get(first["next"])
    page_query = queries.captured_queries[0]["sql"].upper()
    # No row is skipped: the only OFFSET allowed is PostgreSQL's "OFFSET 0" fence (EventQuerySet.first_rows).
    assert re.findall(r"OFFSET \w+", page_query) in ([], ["OFFSET 0"])
    assert "COUNT(" not in page_query
    assert "LIMIT 3" in page_query
