"""Full-text search: PostgreSQL tsvector with GIN indexes, SQLite FTS5 as the fallback, one QuerySet method each."""

import pytest
from django.db import connection
from django.db.models import Q
from django.urls import reverse

from register.models import AlternateName, Artefact, Article, Incident, Monument
from register.models.search import search_words

pytestmark = pytest.mark.django_db


def slugs(queryset) -> list[str]:
    return sorted(queryset.values_list("slug", flat=True))


@pytest.fixture
def places(site, tetrapylon):
    AlternateName.objects.create(monument=site, name="تدمر", language="ar")
    AlternateName.objects.create(monument=site, name="Tadmur", language="ar-Latn")
    citadel = Monument.objects.create(name="Citadel of Aleppo", slug="aleppo-citadel", kind="fortification")
    AlternateName.objects.create(monument=citadel, name="قلعة حلب", language="ar")
    Monument.objects.create(
        name="Temple of Bel", slug="temple-of-bel", kind="temple", description="Dedicated to the god Bel in 32 AD."
    )
    Monument.objects.create(
        name="Agora", slug="agora", kind="other", description="A square south of the Temple of Bel."
    )
    return citadel


def test_an_arabic_name_finds_its_monument(places):
    assert slugs(Monument.objects.matching_name("تدمر")) == ["palmyra"]
    assert slugs(Monument.objects.matching_name("حلب")) == ["aleppo-citadel"]


def test_each_word_matches_as_a_prefix_in_any_case(places):
    assert slugs(Monument.objects.matching_name("palm")) == ["palmyra"]
    assert slugs(Monument.objects.matching_name("TADM")) == ["palmyra"]


def test_every_word_of_a_query_must_match(places):
    assert slugs(Monument.objects.matching_name("citadel aleppo")) == ["aleppo-citadel"]
    assert slugs(Monument.objects.matching_name("citadel palmyra")) == []


def test_a_name_ranks_above_a_description_that_mentions_it(places):
    found = Monument.objects.matching_name("bel").by_relevance("bel")
    assert list(found.values_list("slug", flat=True)) == ["temple-of-bel", "agora"]


@pytest.fixture
def tadmur_everywhere(db):
    """Monuments that match "tadmur" by their name, by an alternate name and by their description only."""
    described = Monument.objects.create(
        name="Agora", slug="agora", kind="other", description="A square in the middle of Tadmur."
    )
    named = Monument.objects.create(name="Palmyra", slug="palmyra", kind="site")
    AlternateName.objects.create(monument=named, name="Tadmur", language="ar-Latn")
    museum = Monument.objects.create(name="Tadmur Museum", slug="tadmur-museum", kind="museum")
    citadel = Monument.objects.create(name="Citadel of Tadmur", slug="citadel-of-tadmur", kind="fortification")
    return [citadel, museum, named, described]


def test_a_name_ranks_above_an_alternate_name_above_a_description_and_names_order_each(tadmur_everywhere):
    found = Monument.objects.matching_name("tadmur").by_relevance("tadmur")
    assert list(found) == tadmur_everywhere


def test_the_first_few_by_relevance_are_the_first_few_of_the_full_order(tadmur_everywhere):
    for first in (1, 2, 3, 4, 10):
        found = Monument.objects.best_matching("tadmur", first=first)[:first]
        assert list(found) == tadmur_everywhere[:first], first


def test_every_word_must_be_in_the_name_for_the_name_to_rank_first(tadmur_everywhere):
    # "citadel" is in one name, "tadmur" in another's description: the citadel alone has both in its name.
    Monument.objects.create(name="Citadel gate", slug="citadel-gate", kind="other", description="Tadmur's gate.")
    found = Monument.objects.best_matching("citadel tadmur", first=5)
    assert [monument.slug for monument in found] == ["citadel-of-tadmur", "citadel-gate"]


def test_the_search_page_reads_each_kind_of_result_in_one_query(
    client, django_assert_num_queries, places, incident, make_evidence
):
    make_evidence(incident)
    with django_assert_num_queries(3):
        response = client.get(reverse("register:search"), {"q": "tetrapylon"})
    assert [monument.slug for monument in response.context["results"]["monuments"]] == ["tetrapylon"]
    assert response.context["results"]["incidents"] == [incident]


def test_the_search_page_lists_only_incidents_with_a_quote(client, incident, make_incident, make_evidence):
    make_evidence(incident)
    make_incident(slug="tetrapylon-unquoted")
    response = client.get(reverse("register:search"), {"q": "tetrapylon"})
    assert response.context["results"]["incidents"] == [incident]


def test_the_search_page_lists_the_latest_incidents_first(client, incident, make_incident, make_evidence):
    older = make_incident(slug="tetrapylon-shelled", occurred="2015-08")
    later = make_incident(slug="tetrapylon-looted", occurred="2019-02")
    for event in (incident, older, later):
        make_evidence(event)
    response = client.get(reverse("register:search"), {"q": "tetrapylon"})
    assert response.context["results"]["incidents"] == [later, incident, older]


def test_an_incident_is_found_by_its_artefacts_name(make_incident, site):
    lion = Artefact.objects.create(name="Lion of Al-lat", slug="lion-of-al-lat")
    about_lion = make_incident(slug="lion-smashed", monument=None, artefact=lion, summary="Smashed.")
    make_incident(slug="tetrapylon-destroyed")
    assert list(Incident.objects.matching_text("Al-lat")) == [about_lion]


@pytest.fixture
def tetrapylon_every_way(make_incident, make_evidence, tetrapylon):
    """Quoted incidents "tetrapylon" finds each way, dated so that the ways interleave, latest first."""
    AlternateName.objects.create(monument=tetrapylon, name="التترابيل", language="ar")
    gate = Monument.objects.create(name="West gate", slug="west-gate", kind="other", description="By the Tetrapylon.")
    AlternateName.objects.create(
        monument=Monument.objects.create(name="Arch", slug="arch", kind="other"), name="Tetrapylon arch", language="en"
    )
    relief = Artefact.objects.create(name="Tetrapylon relief", slug="tetrapylon-relief")
    made = [
        make_incident(slug="own-words", monument=gate, occurred="2019", summary="Shelling hit the tetrapylon."),
        make_incident(slug="by-name", occurred="2018"),
        make_incident(slug="by-alternate-name", monument=Monument.objects.get(slug="arch"), occurred="2017"),
        make_incident(slug="by-artefact", monument=None, artefact=relief, occurred="2016"),
        make_incident(slug="by-description", monument=gate, occurred="2015"),
        make_incident(slug="by-name-earlier", occurred="2014"),
    ]
    for incident in made:
        make_evidence(incident)
    make_incident(slug="unquoted", occurred="2020")
    return made


def test_the_latest_few_matching_are_the_latest_few_of_all_matches(tetrapylon_every_way):
    for first in (1, 2, 3, 5, 6, 10):
        found = Incident.objects.with_evidence().latest_matching("tetrapylon", first=first)[:first]
        assert list(found) == tetrapylon_every_way[:first], first
    found = Incident.objects.with_evidence().latest_matching("التترابيل", first=2)[:2]
    assert [incident.slug for incident in found] == ["by-name", "by-name-earlier"]


def test_the_first_few_by_relevance_skip_lower_levels_only_when_names_fill_them(tadmur_everywhere):
    # Two names match: with room for three, the alternate name and the description come next, in that order.
    Monument.objects.create(name="Aleppo", slug="aleppo", kind="site", description="Not Tadmur.")
    found = Monument.objects.best_matching("tadmur", first=4)[:4]
    assert [monument.slug for monument in found] == ["citadel-of-tadmur", "tadmur-museum", "palmyra", "agora"]
    assert [monument.slug for monument in Monument.objects.best_matching("tadmur", first=2)[:2]] == [
        "citadel-of-tadmur",
        "tadmur-museum",
    ]


def test_the_search_page_says_when_it_shows_only_the_first_few(client, tetrapylon_every_way, monkeypatch):
    monkeypatch.setattr("register.views.SEARCH_RESULTS_PER_KIND", 2)
    response = client.get(reverse("register:search"), {"q": "tetrapylon"})
    assert response.context["results"]["incidents"][:2] == tetrapylon_every_way[:2]
    assert response.content.decode().count("Only the first 2 are shown") == 2  # monuments and incidents, no articles


def test_the_search_page_puts_the_best_match_first(client, places):
    response = client.get(reverse("register:search"), {"q": "Bel"})
    assert [monument.slug for monument in response.context["results"]["monuments"]] == ["temple-of-bel", "agora"]


def test_an_edit_by_any_path_is_searchable_at_once(incident, article):
    # update() bypasses save() and every service: nothing has to refresh a stored copy.
    Incident.objects.filter(pk=incident.pk).update(summary="Shelling hit the western gate.")
    Article.objects.filter(pk=article.pk).update(title="Gate reopened")
    assert list(Incident.objects.matching_text("western gate")) == [incident]
    assert list(Article.objects.matching_text("reopened")) == [article]
    Incident.objects.filter(pk=incident.pk).update(summary="Nothing left.")
    assert not Incident.objects.matching_text("western").exists()


def test_incidents_are_found_by_their_monuments_names_in_any_language(places, incident):
    AlternateName.objects.create(monument=incident.monument, name="التترابيل", language="ar")
    assert list(Incident.objects.matching_text("التترابيل")) == [incident]
    assert list(Incident.objects.matching_text("tetra")) == [incident]


def test_a_query_without_words_falls_back_to_substring_matching(db):
    Monument.objects.create(name="C++ gate", slug="cpp-gate", kind="other")
    assert search_words("++") == []
    assert slugs(Monument.objects.matching_name("++")) == ["cpp-gate"]


def test_a_query_of_tsquery_or_fts5_syntax_is_read_as_words(places):
    for text in ("palmyra & !", "'palm':*", 'palm" OR "x', "NEAR(palm)", "palm*)"):
        assert slugs(Monument.objects.matching_name(text)) in (["palmyra"], []), text
    assert slugs(Monument.objects.matching_name("'palm':*")) == ["palmyra"]


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("queryset", "index"),
    [
        (lambda: Monument.objects.matching_name("palmyra"), "register_monument_search"),
        (lambda: Monument.objects.matching_name("palmyra"), "register_alternatename_search"),
        (lambda: Incident.objects.matching_text("gate"), "register_incident_search"),
        (lambda: Article.objects.matching_text("gate").order_by(), "register_article_search"),
    ],
)
def test_postgresql_answers_a_search_from_its_gin_index(places, queryset, index):
    with connection.cursor() as cursor:
        # Sequential scans off, so the plan shows whether the index can answer at all (tiny tables never need it).
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = queryset().query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert index in plan, plan


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5 fallback")
def test_every_fts5_table_has_the_triggers_that_keep_it_in_step(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%_fts_%'")
        triggers = {row[0] for row in cursor.fetchall()}
    tables = ("register_monument", "register_alternatename", "register_incident", "register_article")
    assert triggers == {f"{table}_fts_{event}" for table in tables for event in ("insert", "update", "delete")}


@pytest.mark.postgres
def test_monument_names_alone_are_answered_by_their_own_index(places):
    from register.models.search import name_matches

    with connection.cursor() as cursor:
        # A tiny table is scanned unless forbidden, or a B-tree walked whole with a filter: with only bitmap scans
        # left, which need an index condition, the plan shows the index's expression is the query's own.
        for scan in ("seqscan", "indexscan", "indexonlyscan"):
            cursor.execute(f"SET LOCAL enable_{scan} = off")
    matching = Monument.objects.filter(name_matches(Monument.objects.all(), "palm", substring=Q()))
    assert "monument_name_search" in matching.explain()
    assert slugs(matching) == ["palmyra"]
