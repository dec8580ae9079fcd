"""Records read out through a plan are exactly what DRF's field-by-field representation gives."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import NoReverseMatch
from django.utils import timezone, translation

from register.api import querysets, serializers
from register.api.reading import plan_for
from register.models import Evidence, Incident, Monument
from register.services.condition import conditions_refresh

pytestmark = pytest.mark.django_db

READ = [
    (serializers.MonumentSerializer, querysets.monuments),
    (serializers.ArtefactSerializer, querysets.artefacts),
    (serializers.IncidentSerializer, lambda: querysets.incidents(public=False)),
    (serializers.RestorationSerializer, lambda: querysets.restorations(public=False)),
    (serializers.ArticleSerializer, querysets.articles),
    (serializers.ArticleSummarySerializer, querysets.articles),
    (serializers.SourceSerializer, querysets.sources),
    (serializers.EvidenceSerializer, querysets.evidence),
]


@pytest.fixture
def palmyra(db):
    call_command("loaddata", "palmyra", verbosity=0)
    conditions_refresh()


def contexts():
    request = RequestFactory().get("/api/v1/", HTTP_HOST="localhost", secure=True)
    return {"request": {"request": request}, "base_url": {"base_url": "https://data.example/register/"}}


@pytest.mark.parametrize("context_name", ["request", "base_url"])
@pytest.mark.parametrize(("serializer_class", "queryset"), READ, ids=[cls.__name__ for cls, _q in READ])
def test_every_record_reads_as_drf_would_write_it(palmyra, serializer_class, queryset, context_name):
    records = list(queryset())
    assert records, "the fixture holds records of every kind"
    serializer = serializer_class(context=contexts()[context_name])
    planned = [serializer.to_representation(record) for record in records]
    by_drf = [serializer.drf_representation(record) for record in records]
    assert planned == by_drf
    # Same keys in the same order: the JSON text is the same, not only the data.
    assert [list(record) for record in planned] == [list(record) for record in by_drf]


def assert_reads_as_drf_would(serializer_class, records, context=None):
    serializer = serializer_class(context=context or contexts()["request"])
    planned = [serializer.to_representation(record) for record in records]
    by_drf = [serializer.drf_representation(record) for record in records]
    assert planned == by_drf
    assert [list(record) for record in planned] == [list(record) for record in by_drf]


# A zone half an hour off UTC, and one whose offset moves; the language the site also speaks.
@pytest.mark.parametrize(("zone", "language"), [("America/St_Johns", "en"), ("Asia/Damascus", "ar")])
def test_records_read_as_drf_would_in_another_time_zone_and_language(palmyra, zone, language):
    with timezone.override(zone), translation.override(language):
        for serializer_class, queryset in READ:
            assert_reads_as_drf_would(serializer_class, list(queryset()))


@pytest.mark.parametrize(
    "moment",
    [
        dt.datetime(2024, 2, 29, 23, 59, 59, tzinfo=dt.UTC),  # no microseconds: isoformat leaves them out
        dt.datetime(9, 1, 2, 3, 4, 5, 6, tzinfo=dt.UTC),  # a year of one digit, a microsecond
    ],
)
def test_date_times_read_as_drf_writes_them(palmyra, moment):
    incident = querysets.incidents(public=False).first()
    Incident.objects.filter(pk=incident.pk).update(created=moment, updated=moment)
    stored = [querysets.incidents(public=False).get(pk=incident.pk)]
    assert stored[0].created == moment
    assert_reads_as_drf_would(serializers.IncidentSerializer, stored)
    with timezone.override("Asia/Damascus"):
        assert_reads_as_drf_would(serializers.IncidentSerializer, stored)


def test_related_records_not_loaded_with_a_record_read_as_drf_would(palmyra):
    # Without select_related or prefetching the plan reads relations as Django does: by a query each.
    assert_reads_as_drf_would(serializers.IncidentSerializer, list(Incident.objects.all()))
    assert_reads_as_drf_would(serializers.EvidenceSerializer, list(Evidence.objects.all()))
    assert_reads_as_drf_would(serializers.MonumentSerializer, list(Monument.objects.all()))


def test_quotes_with_the_same_names_share_an_attribution_and_others_do_not(palmyra):
    quotes = list(querysets.evidence())
    texts = {quote.pk: quote.attribution for quote in quotes}
    assert len(set(texts.values())) > 1, "the fixture attributes quotes to several chains"
    serializer = serializers.EvidenceSerializer(context=contexts()["request"])
    # One response reads them all: what it works out once for one chain must not leak into another's.
    assert {quote.pk: serializer.to_representation(quote)["attribution"]["text"] for quote in quotes} == texts


def test_a_whole_list_response_equals_drfs(palmyra, client):
    body = client.get("/api/v1/incidents/", {"page_size": 500}).json()
    request = RequestFactory().get("/api/v1/incidents/", HTTP_HOST="testserver")
    serializer = serializers.IncidentSerializer(context={"request": request})
    expected = [
        serializer.drf_representation(record) for record in querysets.incidents().order_by("occurred_earliest", "id")
    ]
    assert body["results"] == expected
    assert any(evidence["citation"]["page_url"] for record in body["results"] for evidence in record["evidence"])


def test_links_carry_each_requests_own_host(palmyra, client):
    first = client.get("/api/v1/monuments/tetrapylon/", HTTP_HOST="localhost").json()
    second = client.get("/api/v1/monuments/tetrapylon/", HTTP_HOST="127.0.0.1").json()
    assert first["api_url"] == "http://localhost/api/v1/monuments/tetrapylon/"
    assert second["api_url"] == "http://127.0.0.1/api/v1/monuments/tetrapylon/"
    assert second["page_url"] == "http://127.0.0.1/monuments/tetrapylon/"


def test_one_plan_per_serializer_class_is_shared_by_responses(palmyra):
    first = serializers.IncidentSerializer(context=contexts()["request"])
    second = serializers.IncidentSerializer(context=contexts()["base_url"])
    assert plan_for(first) is plan_for(second)
    assert plan_for(first).shared


def test_a_key_no_route_accepts_fails_as_reverse_does(palmyra):
    # Only a write path that skips validation could store such a slug; the plan must not invent an address for it.
    Monument.objects.filter(slug="citadel").update(slug="cit adel")
    monument = querysets.monuments().get(slug="cit adel")
    serializer = serializers.MonumentSerializer(context=contexts()["request"])
    with pytest.raises(NoReverseMatch):
        serializer.drf_representation(monument)
    with pytest.raises(NoReverseMatch):
        serializer.to_representation(monument)
