"""Every list filter of the API, and the 400 that names a parameter given a value it cannot use."""

import re

import pytest
from rest_framework.test import APIClient

from register.models import AlternateName, Artefact, Article, Evidence, Incident, Mention, Monument, Source, fingerprint
from register.services.condition import conditions_refresh

pytestmark = pytest.mark.django_db

REUTERS_BODY = (
    "BEIRUT (Reuters) - Islamic State fighters damaged the Roman theatre in Palmyra, a Syrian military source said. "
    "Government forces shelled the citadel of Aleppo in August 2015."
)


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def register(site, tetrapylon, article, make_incident, make_evidence):
    """Palmyra (tetrapylon, theatre) and Aleppo (citadel), three incidents from two articles."""
    theatre = Monument.objects.create(
        name="Roman theatre", slug="theatre", kind="theatre", part_of=site, latitude=34.5533, longitude=38.2677
    )
    aleppo = Monument.objects.create(name="Aleppo", slug="aleppo", kind="site", latitude=36.1991, longitude=37.1629)
    citadel = Monument.objects.create(
        name="Citadel of Aleppo",
        slug="aleppo-citadel",
        kind="fortification",
        part_of=aleppo,
        latitude=36.1993,
        longitude=37.1628,
    )
    AlternateName.objects.create(monument=citadel, name="قلعة حلب", language="ar")
    reuters = Source.objects.create(name="Reuters", slug="reuters", kind="news_agency")
    pulse = Source.objects.create(name="Pulse", slug="pulse", kind="outlet")
    military = Source.objects.create(name="Syrian military source", slug="syrian-military", kind="military")
    raw = REUTERS_BODY + "\n"
    second = Article.objects.create(
        title="Theatre damaged",
        publisher=reuters,
        carried_by=pulse,
        raw_text=raw,
        body=REUTERS_BODY,
        sha256=fingerprint(raw),
        published="2017-01-20",
    )
    destroyed = make_incident()
    make_evidence(destroyed)
    damaged = make_incident(
        slug="theatre-damaged",
        monument=theatre,
        occurred="2016-12-26/2017-01-10",
        grade="severe",
        kind="damaged",
        perpetrator="Islamic State",
        reported="2017-01-20",
        strength="corroborated",
    )
    quote = "Islamic State fighters damaged the Roman theatre in Palmyra"
    Evidence.objects.create(
        article=second, incident=damaged, quote=quote, position=REUTERS_BODY.index(quote), cited_source=military
    )
    shelled = make_incident(
        slug="citadel-shelled",
        monument=citadel,
        occurred="2015-08",
        grade="moderate",
        kind="damaged",
        perpetrator="Government forces",
        reported="2015-09",
    )
    quote = "Government forces shelled the citadel of Aleppo"
    Evidence.objects.create(article=second, incident=shelled, quote=quote, position=REUTERS_BODY.index(quote))
    # Quotes made with objects.create, as loaddata makes them: store the conditions they lead to.
    conditions_refresh()
    return {"article": article, "second": second, "theatre": theatre, "citadel": citadel}


def slugs(api, url, **params):
    response = api.get(url, params)
    assert response.status_code == 200, response.content
    return sorted(row.get("slug") or row["id"] for row in response.json()["results"])


def incidents(api, **params):
    return slugs(api, "/api/v1/incidents/", **params)


def test_incidents_of_a_site_include_its_parts(api, register):
    assert incidents(api, monument="palmyra") == ["tetrapylon-destroyed", "theatre-damaged"]
    assert incidents(api, monument="theatre") == ["theatre-damaged"]


def test_incidents_of_an_artefact(api, register, make_incident, make_evidence, site):
    bust = Artefact.objects.create(name="Bust", slug="bust", origin=site)
    make_evidence(make_incident(slug="bust-looted", monument=None, artefact=bust, kind="looted", grade=""))
    assert incidents(api, artefact="bust") == ["bust-looted"]


def test_incidents_by_kind_grade_and_strength(api, register):
    assert incidents(api, kind="destroyed") == ["tetrapylon-destroyed"]
    assert incidents(api, grade=["severe", "moderate"]) == ["citadel-shelled", "theatre-damaged"]
    assert incidents(api, strength="corroborated") == ["theatre-damaged"]


def test_incidents_by_reported_perpetrator(api, register):
    assert incidents(api, perpetrator="islamic") == ["theatre-damaged"]


def test_a_date_range_matches_every_incident_whose_window_overlaps_it(api, register):
    # The theatre's window (26 Dec 2016 to 10 Jan 2017) overlaps December; the tetrapylon's (January) does not.
    assert incidents(api, occurred_after="2016-12-01", occurred_before="2016-12-31") == ["theatre-damaged"]
    assert incidents(api, occurred_after="2017-01-10") == ["tetrapylon-destroyed", "theatre-damaged"]
    assert incidents(api, occurred_before="2015-08-01") == ["citadel-shelled"]


def test_incidents_by_when_they_were_first_reported(api, register):
    assert incidents(api, reported_after="2017-01-01") == ["theatre-damaged"]
    assert incidents(api, reported_before="2015-09-30") == ["citadel-shelled"]


def test_incidents_by_source_cover_publisher_carrier_and_cited_source(api, register):
    assert incidents(api, source="afp") == ["tetrapylon-destroyed"]
    assert incidents(api, source="pulse") == ["citadel-shelled", "theatre-damaged"]
    assert incidents(api, source="syrian-military") == ["theatre-damaged"]


def test_incidents_by_free_text_reach_summaries_and_names_in_any_language(api, register):
    Incident.objects.filter(slug="citadel-shelled").update(summary="Shelling hit the gate.")
    assert incidents(api, q="gate") == ["citadel-shelled"]
    assert incidents(api, q="حلب") == ["citadel-shelled"]


def monuments(api, **params):
    return slugs(api, "/api/v1/monuments/", **params)


def test_monuments_by_kind_and_within_a_site(api, register):
    assert monuments(api, kind="fortification") == ["aleppo-citadel"]
    assert monuments(api, within="palmyra") == ["palmyra", "tetrapylon", "theatre"]


def test_monuments_by_condition_now(api, register):
    assert monuments(api, condition="destroyed") == ["tetrapylon"]
    assert monuments(api, condition=["poor", "very_bad"], within="aleppo") == ["aleppo-citadel"]


def test_monuments_in_a_bounding_box(api, register):
    assert monuments(api, bbox="38.2,34.5,38.3,34.6") == ["theatre"]
    assert monuments(api, bbox="37,36,38,37") == ["aleppo", "aleppo-citadel"]


def test_a_bounding_box_across_the_antimeridian_wraps_round(api, register):
    Monument.objects.filter(slug="palmyra").update(latitude=-17.7, longitude=178.0)
    Monument.objects.filter(slug="tetrapylon").update(latitude=-17.7, longitude=-179.0)
    assert monuments(api, bbox="177,-18,-178,-17") == ["palmyra", "tetrapylon"]


def test_monuments_by_any_name_in_any_language(api, register):
    assert monuments(api, q="قلعة") == ["aleppo-citadel"]
    assert monuments(api, q="citadel OF") == ["aleppo-citadel"]


def articles(api, **params):
    return slugs(api, "/api/v1/articles/", **params)


def test_articles_by_publisher_carrier_and_date(api, register):
    first, second = register["article"].pk, register["second"].pk
    assert articles(api, publisher="reuters") == [second]
    assert articles(api, carried_by="pulse") == [second]
    assert articles(api, published_after="2017-02-01") == [first]
    assert articles(api, published_before="2017-01-20") == [second]


def test_articles_by_the_monuments_they_are_quoted_about(api, register):
    first, second = register["article"].pk, register["second"].pk
    assert articles(api, mentions="tetrapylon") == [first]
    assert articles(api, mentions="palmyra") == [first, second]
    assert articles(api, mentions="aleppo-citadel") == [second]


def test_articles_that_name_a_monument_are_found_by_it_though_no_quote_is_about_it(api, register):
    body = register["article"].body
    Mention.objects.create(
        article=register["article"], monument=register["theatre"], position=body.index("theatre"), text="theatre"
    )
    assert articles(api, mentions="theatre") == [register["article"].pk, register["second"].pk]


def test_articles_by_free_text(api, register):
    assert articles(api, q="shelled") == [register["second"].pk]


def test_other_lists_filter_too(api, register):
    assert slugs(api, "/api/v1/sources/", kind="outlet") == ["pulse"]
    assert slugs(api, "/api/v1/evidence/", cited_source="syrian-military") == [
        Evidence.objects.get(cited_source__slug="syrian-military").pk
    ]


@pytest.mark.parametrize(
    ("url", "param", "value"),
    [
        ("/api/v1/incidents/", "monument", "atlantis"),
        ("/api/v1/incidents/", "kind", "exploded"),
        ("/api/v1/incidents/", "occurred_after", "2017-13-45"),
        ("/api/v1/incidents/", "reported_before", "last week"),
        ("/api/v1/incidents/", "source", "nobody"),
        ("/api/v1/incidents/", "q", "nul\x00byte"),
        ("/api/v1/monuments/", "bbox", "38,34,39"),
        ("/api/v1/monuments/", "bbox", "38,95,39,96"),
        ("/api/v1/monuments/", "bbox", "nan,1,2,3"),
        ("/api/v1/monuments/", "condition", "ruined"),
        ("/api/v1/monuments/", "within", "Not A Slug"),
        ("/api/v1/articles/", "published_after", "yesterday"),
        ("/api/v1/articles/", "mentions", "atlantis"),
        ("/api/v1/evidence/", "article", "one"),
        ("/api/v1/evidence/", "article", "-8.1e+26"),
        ("/api/v1/evidence/", "article", "99999999999999999999999"),
        ("/api/v1/monuments/", "ordering", "kind"),
        ("/api/v1/monuments/", "page_size", "0"),
        ("/api/v1/monuments/", "page_size", "lots"),
        ("/api/v1/monuments/", "cursor", "not-a-cursor"),
        ("/api/v1/monuments/", "format", "xml"),
        ("/api/v1/incidents/", "format", "geojson"),
    ],
)
def test_a_value_that_cannot_be_used_answers_400_naming_the_parameter(api, register, url, param, value):
    response = api.get(url, {param: value})
    assert response.status_code == 400
    assert response.headers["Content-Type"] == "application/json"
    assert list(response.json()) == [param]


def test_an_id_too_large_for_the_database_is_simply_not_found(api, register):
    assert api.get("/api/v1/articles/99999999999999999999999/").status_code == 404
    assert api.get("/api/v1/evidence/9223372036854775808/").status_code == 404


def test_a_bad_value_answers_json_even_when_csv_was_asked_for(api, register):
    response = api.get("/api/v1/incidents/", {"format": "csv", "kind": "exploded"})
    assert response.status_code == 400
    assert "kind" in response.json()


@pytest.mark.postgres
def test_a_date_window_with_both_ends_is_one_range_condition_the_gist_index_answers(api, register):
    import datetime as dt

    from django.db import connection

    window = Incident.objects.overlapping(dt.date(2015, 6, 1), dt.date(2015, 6, 30))
    with connection.cursor() as cursor:
        # The test table is tiny, so the planner would scan it; forbidding that shows the index *can* answer it,
        # i.e. the query's range expression is exactly the one the migration indexed.
        cursor.execute("SET LOCAL enable_seqscan = off")
    # Either GiST index over the window answers it (the grade's index can use its second column alone).
    assert re.search(r"Index Scan using \w*(occurred|grade)_window", window.explain())
    assert "incident_grade_window" in window.filter(grade__in=["destroyed"]).explain()
    # One end alone stays a plain comparison on one column.
    assert "daterange" not in str(Incident.objects.overlapping(dt.date(2015, 6, 1), None).query)


def test_repeated_choices_filter_without_distinct(api, register):
    body = api.get("/api/v1/incidents/", {"grade": ["destroyed", "severe"], "kind": ["destroyed", "damaged"]}).json()
    slugs = [row["slug"] for row in body["results"]]
    assert slugs and len(slugs) == len(set(slugs))
    from register.api.filters import IncidentFilter

    filtered = IncidentFilter({"grade": ["destroyed", "severe"]}, queryset=Incident.objects.all()).qs
    # django-filter's default DISTINCT would make the database sort every matching row before cutting a page.
    assert not filtered.query.distinct


@pytest.mark.postgres
@pytest.mark.parametrize("model", [Monument, Incident, Article, Evidence], ids=lambda model: model.__name__)
def test_pages_in_order_of_last_change_are_an_index_range(db, model):
    from django.db import connection

    with connection.cursor() as cursor:
        # Forbid the scan-and-sort a tiny test table would get, to show an index gives this order by itself.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
    plan = model.objects.order_by("updated", "id")[:101].explain()
    assert f"{model._meta.model_name}_updated_id" in plan


def test_filtersets_built_one_after_another_keep_their_own_filters_values_and_errors(register):
    from django.http import QueryDict

    from register.api.filters import IncidentFilter

    december = IncidentFilter(QueryDict("occurred_after=2016-12-01&occurred_before=2016-12-31"), request=None)
    early = IncidentFilter(QueryDict("occurred_before=2015-08-01&source=reuters"), request=None)
    broken = IncidentFilter(QueryDict("occurred_after=someday"), request=None)
    for filterset in (december, early, broken):
        for name, filter_ in filterset.filters.items():
            assert filter_ is not IncidentFilter.base_filters[name]
            assert filter_.parent is filterset and filter_.model is Incident
    assert december.filters["occurred_after"] is not early.filters["occurred_after"]
    # The window's method reads its own FilterSet's cleaned data: evaluated out of order, each keeps its window.
    assert not broken.is_valid() and set(broken.errors) == {"occurred_after"}
    assert early.is_valid() and december.is_valid()
    assert sorted(early.qs.values_list("slug", flat=True)) == ["citadel-shelled"]
    assert sorted(december.qs.values_list("slug", flat=True)) == ["theatre-damaged"]
    assert early.form.cleaned_data["source"].slug == "reuters" and december.form.cleaned_data["source"] is None
    assert not december.errors and not early.errors


def test_a_source_added_after_a_request_is_accepted_by_the_next(api, register):
    from django.http import QueryDict

    from register.api.filters import IncidentFilter

    before = IncidentFilter(QueryDict(""), request=None)
    # One request's evaluated choices are its own: the next still asks the database.
    assert "newcomer" not in {source.slug for source in before.filters["source"].queryset}
    assert api.get("/api/v1/incidents/", {"source": "newcomer"}).status_code == 400
    Source.objects.create(name="Newcomer", slug="newcomer", kind="outlet")
    assert "newcomer" in {source.slug for source in IncidentFilter(QueryDict("")).filters["source"].queryset}
    assert incidents(api, source="newcomer") == []
    assert incidents(api, source="reuters") == ["citadel-shelled", "theatre-damaged"]


def test_every_filterset_with_no_values_filters_nothing(register):
    """What lets the backend skip a FilterSet for a request that names none of its filters."""
    from django.http import QueryDict

    from register.api import filters as api_filters

    filtersets = [
        value
        for value in vars(api_filters).values()
        if isinstance(value, type) and issubclass(value, api_filters.FilterSet) and value._meta.model is not None
    ]
    assert len(filtersets) == 8
    for filterset_class in filtersets:
        queryset = filterset_class._meta.model.objects.all()
        filterset = filterset_class(QueryDict(""), queryset=queryset, request=None)
        assert filterset.is_valid(), filterset_class
        assert str(filterset.qs.query) == str(queryset.query), filterset_class


def test_a_list_names_a_filter_by_its_name_or_a_part_of_it():
    from register.api.filters import IncidentFilter, names_a_filter

    filters = IncidentFilter.base_filters
    assert not names_a_filter({}, filters)
    assert not names_a_filter({"cursor": "x", "page_size": "5", "ordering": "id", "format": "json"}, filters)
    assert names_a_filter({"grade": "destroyed"}, filters)
    assert names_a_filter({"occurred_after": "2015-01-01"}, filters)
    # A widget of several inputs names them <filter>_<suffix>.
    assert names_a_filter({"kind_min": "1"}, filters)


def test_an_unfiltered_list_and_a_filtered_one_still_answer_as_before(api, register):
    assert sorted(incidents(api)) == ["citadel-shelled", "tetrapylon-destroyed", "theatre-damaged"]
    assert incidents(api, source="reuters") == ["citadel-shelled", "theatre-damaged"]
    response = api.get("/api/v1/incidents/", {"grade": "nonsense"})
    assert response.status_code == 400 and "grade" in response.json()
