"""SQL compiled once per shape is the SQL Django compiles, with each query's own values."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, F, Q, Value
from django.db.models.sql import Query
from django.test import Client
from django.test.utils import CaptureQueriesContext

from register.api import querysets
from register.models import AlternateName, Evidence, Incident, Monument, Source, statements
from register.models.statements import ReusedSQLQuery, ReusingCompiler, _around

pytestmark = pytest.mark.django_db


@pytest.fixture
def palmyra(db):
    call_command("loaddata", "palmyra", verbosity=0)


def _plain(queryset):
    """The SQL and values Django's own compiler makes for ``queryset``."""
    query = queryset.query.clone()
    query.__class__ = Query
    return query.get_compiler(using=queryset.db).as_sql()


def reused(queryset):
    """The SQL and values the reusing compiler gives, asked twice so the second answer is a reused one."""
    queryset.query.clone().get_compiler(using=queryset.db).as_sql()
    compiler = queryset.query.clone().get_compiler(using=queryset.db)
    assert isinstance(compiler, ReusingCompiler)
    return compiler.as_sql()


def shapes(palmyra_site):
    """Querysets of many shapes, each in two versions that differ only in the values they are given."""
    first, second = Monument.objects.order_by("pk")[:2]
    incident = Incident.objects.order_by("pk").first()
    for value in ("temple", "tower"):
        yield Monument.objects.filter(kind=value).order_by("name")
    for value in (["destroyed"], ["destroyed", "damaged"]):
        yield querysets.monuments().filter(condition__in=value)
    for slug in (first.slug, second.slug):
        yield querysets.monuments().filter(part_of__slug=slug).order_by("-name")[:5]
    for day in (dt.date(2015, 1, 1), dt.date(2016, 6, 30)):
        yield querysets.incidents().overlapping(day, day + dt.timedelta(days=30)).order_by("occurred_earliest", "id")
        yield querysets.incidents(public=False).filter(occurred_earliest__gt=day)[:101]
    for pks in ([incident.pk], [incident.pk, incident.pk + 1, incident.pk + 2]):
        yield Evidence.objects.with_citation().order_by("article", "position").filter(incident__in=pks)
    for text in ("tetrapylon", "theatre"):
        yield Monument.objects.matching_name(text)
        yield Incident.objects.matching_text(text)
    for site in (palmyra_site, first):
        yield Incident.objects.for_monument(site)
        yield Monument.objects.within(site).values_list("slug", flat=True)
    for value in (1, 2):
        # A value outside the WHERE clause: the annotation is part of the shape.
        yield Monument.objects.annotate(mark=Value(value)).filter(pk__gte=value).order_by("pk")
        yield Monument.objects.annotate(name_count=Count("names")).filter(name_count__gte=value)
        # A condition on a count goes to HAVING, after the WHERE clause's values.
        yield Monument.objects.annotate(name_count=Count("names")).filter(name_count__gte=value).filter(kind="site")
        yield Evidence.objects.filter(Q(position__gte=value) | Q(note__contains=str(value))).exclude(position=None)
        yield Source.objects.filter(pk__in=Evidence.objects.filter(position__gt=value).values("cited_source"))
        yield AlternateName.objects.filter(monument__part_of__isnull=False, monument_id=F("monument_id") + value)


def test_reused_sql_and_values_are_djangos_own_for_every_shape(palmyra):
    site = Monument.objects.get(slug="palmyra")
    for queryset in shapes(site):
        assert reused(queryset) == _plain(queryset), str(queryset.query)


def test_reused_sql_gives_the_rows_djangos_gives(palmyra):
    site = Monument.objects.get(slug="palmyra")
    for queryset in shapes(site):
        plain = queryset.all()
        plain.query.__class__ = Query
        assert list(queryset.all()) == list(plain), str(queryset.query)
        # And again, now reusing.
        assert list(queryset.all()) == list(plain)


def test_a_second_query_of_a_shape_is_not_compiled_again(palmyra, monkeypatch):
    djangos = connection.ops.compiler("SQLCompiler")
    compiled = []
    original = djangos.as_sql

    def counting(self, *args, **kwargs):
        compiled.append(self.query.model)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(djangos, "as_sql", counting)
    first_sql, _ = Monument.objects.filter(kind="temple").order_by("name").query.get_compiler("default").as_sql()
    before = len(compiled)
    sql, params = Monument.objects.filter(kind="tower").order_by("name").query.get_compiler("default").as_sql()
    assert len(compiled) == before
    assert (sql, params) == (first_sql, ("tower",))
    # Another shape is compiled.
    Monument.objects.filter(kind="tower").order_by("-name").query.get_compiler("default").as_sql()
    assert len(compiled) == before + 1


def test_the_shape_tells_apart_orderings_slices_and_columns(palmyra):
    ordered = [
        Monument.objects.filter(kind="temple").order_by("name"),
        Monument.objects.filter(kind="temple").order_by("-name"),
        Monument.objects.filter(kind="temple").order_by("name")[:3],
        Monument.objects.filter(kind="temple").order_by("name")[3:6],
        Monument.objects.filter(kind="temple").order_by("name").only("slug"),
        Monument.objects.filter(kind="temple").order_by("name").select_related("part_of"),
        Monument.objects.filter(kind="temple").order_by("name").values("slug"),
    ]
    made = [reused(queryset) for queryset in ordered]
    assert len({sql for sql, _params in made}) == len(ordered)
    for queryset, answer in zip(ordered, made, strict=True):
        assert answer == _plain(queryset)


def test_an_impossible_condition_and_no_condition_read_as_django_reads_them(palmyra):
    assert list(Monument.objects.filter(pk__in=[])) == []
    assert list(Monument.objects.filter(pk__in=[]).values_list("pk", flat=True)) == []
    everything = Monument.objects.order_by("pk")
    assert reused(everything) == _plain(everything)
    assert [m.pk for m in everything] == sorted(Monument.objects.values_list("pk", flat=True))


def test_writes_are_compiled_as_django_compiles_them(palmyra):
    monument = Monument.objects.get(slug="tetrapylon")
    updated = Monument.objects.filter(pk=monument.pk).update(description="Arch of four pillars.")
    assert updated == 1
    assert Monument.objects.get(pk=monument.pk).description == "Arch of four pillars."
    assert Monument.objects.filter(pk=monument.pk).count() == 1
    assert Monument.objects.filter(pk=monument.pk).exists()
    assert not Monument.objects.filter(pk=-1).exists()


def test_the_api_reuses_what_it_compiled(palmyra):
    client = Client()
    for _ in range(2):
        assert client.get("/api/v1/incidents/").status_code == 200
    # A third request compiles nothing: every SELECT it sends was made before (the count stays).
    kept = {klass: len(klass.statements) for klass in statements._compilers.values()}
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/api/v1/incidents/")
    assert response.status_code == 200
    assert len(captured) == 1
    assert {klass: len(klass.statements) for klass in statements._compilers.values()} == kept
    assert response.json()["results"], "the fixture has public incidents"


def test_the_store_is_emptied_when_full(palmyra, monkeypatch):
    monkeypatch.setattr(statements, "MOST_SHAPES", 3)
    store = statements._reusing(connection.ops.compiler("SQLCompiler")).statements
    # What earlier tests left would be reused, not added to.
    store.clear()
    sizes = []
    for size in range(1, 8):
        # Each slice is a shape of its own.
        list(Monument.objects.order_by("pk")[:size])
        sizes.append(len(store))
    assert max(sizes) <= 3
    assert sizes[-1] >= 1


def test_querysets_of_the_register_compile_through_it():
    assert isinstance(Monument.objects.all().query, ReusedSQLQuery)
    assert isinstance(Incident.objects.filter(pk=1).query, ReusedSQLQuery)
    assert isinstance(querysets.incidents().query, ReusedSQLQuery)


@pytest.mark.parametrize(
    ("params", "where", "expected"),
    [
        ((1, "a", 2), ("a",), ((1,), (2,))),
        ((1, 2), (), ((1, 2), ())),
        (("a", "a"), ("a",), None),
        ((1, 1, 5), (1, 5), ((1,), ())),
        ((1, 5, 5), (1, 5), ((), (5,))),
        ((1, 2), (3,), None),
    ],
)
def test_values_around_the_where_clause(params, where, expected):
    assert _around(params, where) == expected
