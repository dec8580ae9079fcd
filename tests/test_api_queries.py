"""Each list costs the same number of SQL queries for one row as for fifty, in either language: no query per record."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from register.models import (
    AlternateName,
    Artefact,
    Article,
    Evidence,
    Incident,
    Monument,
    Restoration,
    Source,
    fingerprint,
)
from register.services.condition import conditions_refresh
from tests.conftest import BODY, QUOTE

pytestmark = pytest.mark.django_db
POSITION = BODY.index(QUOTE)
# The public lists show published events only.
PUBLISHED = {"state": "published", "published": dt.datetime(2026, 1, 1, tzinfo=dt.UTC)}


def monuments(n, fixture):
    """The site and its parts: ``within`` keeps them on one list."""
    site = fixture("site")
    Monument.objects.filter(pk=site.pk).update(latitude=34.55, longitude=38.27)
    for i in range(n - 1):
        monument = Monument.objects.create(
            name=f"Tower {i}", slug=f"tower-{i}", kind="tomb", part_of=site, latitude=34.55, longitude=38.26
        )
        AlternateName.objects.create(monument=monument, name=f"برج {i}", language="ar")
    return {"within": site.slug}


def artefacts(n, fixture):
    site = fixture("site")
    for i in range(n):
        Artefact.objects.create(name=f"Bust {i}", slug=f"bust-{i}", origin=site)
    return {}


def incidents(n, fixture):
    tetrapylon, article = fixture("tetrapylon"), fixture("article")
    for i in range(n):
        incident = Incident.objects.create(
            slug=f"incident-{i}",
            monument=tetrapylon,
            kind="damaged",
            grade="severe",
            occurred="2017-01",
            summary="S.",
            **PUBLISHED,
        )
        Evidence.objects.create(article=article, incident=incident, quote=QUOTE, position=POSITION)
    return {}


def restorations(n, fixture):
    tetrapylon, article = fixture("tetrapylon"), fixture("article")
    for i in range(n):
        restoration = Restoration.objects.create(
            slug=f"restoration-{i}",
            monument=tetrapylon,
            kind="conservation",
            finished="2019",
            summary="S.",
            **PUBLISHED,
        )
        Evidence.objects.create(article=article, restoration=restoration, quote=QUOTE, position=POSITION)
    return {}


def articles(n, fixture):
    afp, incident = fixture("afp"), fixture("make_incident")()
    for i in range(n):
        raw = f"Report {i}\n\n{BODY}"
        article = Article.objects.create(
            title=f"Report {i}", publisher=afp, raw_text=raw, body=BODY, sha256=fingerprint(raw)
        )
        Evidence.objects.create(article=article, incident=incident, quote=QUOTE, position=POSITION)
    return {}


def sources(n, fixture):
    for i in range(n):
        Source.objects.create(name=f"Outlet {i}", slug=f"outlet-{i}", kind="outlet")
    return {}


def evidence(n, fixture):
    return incidents(n, fixture)


# Exact counts for an anonymous reader: the page itself, then one query per nested list for the whole page.
EXPECTED = [
    # A site's slug (the within filter), the page with its sites, then every name of the page's monuments; the
    # condition and counts are stored.
    (monuments, "json", 3),
    (monuments, "csv", 3),
    (monuments, "jsonld", 3),
    # As GeoJSON, the features carry no names.
    (monuments, "geojson", 2),
    (artefacts, "json", 1),
    (artefacts, "csv", 1),
    # The page with subjects, then every quote with its article, publisher, outlet and cited source.
    (incidents, "json", 2),
    (incidents, "csv", 2),
    (incidents, "jsonld", 2),
    (restorations, "json", 2),
    # The page with publishers and outlets, then the monuments each article is quoted about.
    (articles, "json", 2),
    (articles, "csv", 2),
    (articles, "jsonld", 2),
    (sources, "json", 1),
    (evidence, "json", 1),
    (evidence, "csv", 1),
]


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("rows", [1, 50])
@pytest.mark.parametrize(("make", "fmt", "queries"), EXPECTED, ids=[f"{m.__name__}-{f}" for m, f, _ in EXPECTED])
def test_a_list_costs_the_same_queries_for_one_row_and_for_fifty(
    request, db, django_assert_num_queries, make, fmt, queries, rows, language
):
    params = make(rows, request.getfixturevalue)
    # The rows were made directly: store what the services would after such changes (public flags, conditions).
    conditions_refresh()
    with django_assert_num_queries(queries):
        # Both languages' texts are columns of the same rows, and labels are made in Python: no query more in Arabic.
        address = f"/api/v1/{make.__name__}/"
        response = APIClient().get(address, {**params, "format": fmt, "page_size": 50, "lang": language})
    assert response.status_code == 200
    if fmt == "json":
        assert len(response.json()["results"]) == rows
