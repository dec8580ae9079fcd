"""generate_register: a realistic register of any size, reproducible from its seed, valid by the register's rules."""

import random

import pytest
from django.core.management import call_command
from django.db import connection

from register.dev.synthetic_register import PARTS_PER_SITE, edtf_for, register_generate
from register.models import AlternateName, Article, Evidence, Incident, Monument, Restoration, fingerprint
from register.models.dates import edtf_window

pytestmark = pytest.mark.django_db


@pytest.fixture
def generated(db):
    return register_generate(monuments=200, seed=11, incidents_per_monument=3, batch_size=64)


def content() -> dict:
    """Return the generated register without ids or timestamps, to compare two runs."""
    return {
        "monuments": list(
            Monument.objects.order_by("slug").values_list("slug", "name", "kind", "part_of__slug", "latitude")
        ),
        "names": list(AlternateName.objects.order_by("monument__slug", "language").values_list("name", "language")),
        "incidents": list(Incident.objects.order_by("slug").values_list("slug", "occurred", "grade", "summary")),
        "quotes": list(
            Evidence.objects.order_by("article__sha256", "position").values_list("article__sha256", "position", "quote")
        ),
    }


def test_the_counts_are_those_asked_for_and_reported(generated):
    assert generated.monuments == Monument.objects.count() == 200
    assert Monument.objects.sites().count() == 200 // (PARTS_PER_SITE + 1)
    assert generated.names == AlternateName.objects.count() == 400
    assert generated.incidents == Incident.objects.count()
    # A mean of three per monument, drawn between none and six.
    assert 400 < generated.incidents < 800
    assert generated.restorations == Restoration.objects.count() > 0
    assert generated.evidence == Evidence.objects.count() == generated.incidents + generated.restorations
    assert generated.articles == Article.objects.count()


def test_every_quote_stands_verbatim_at_its_position_in_its_article(generated):
    for evidence in Evidence.objects.select_related("article"):
        assert evidence.article.body[evidence.position : evidence.end] == evidence.quote
        evidence.full_clean()


def test_every_article_is_fingerprinted_and_every_event_is_public(generated):
    for article in Article.objects.all():
        assert article.sha256 == fingerprint(article.raw_text)
        assert article.body in article.raw_text
    assert Incident.objects.with_evidence().count() == Incident.objects.count()


def test_every_edtf_window_is_the_one_the_edtf_parser_gives(generated):
    for incident in Incident.objects.all():
        assert edtf_window(incident.occurred) == (incident.occurred_earliest, incident.occurred_latest)
        assert edtf_window(incident.reported) == (incident.reported_earliest, incident.reported_latest)
    for restoration in Restoration.objects.all():
        assert edtf_window(restoration.finished) == (restoration.finished_earliest, restoration.finished_latest)


def test_each_date_shape_agrees_with_the_edtf_parser():
    rng = random.Random(5)
    shapes = set()
    for _ in range(400):
        text, earliest, latest = edtf_for(rng)
        assert edtf_window(text) == (earliest, latest), text
        shapes.add(("/" in text, "~" in text, len(text)))
    assert len(shapes) == 4


def test_records_start_at_version_one_and_the_conditions_are_stored(generated):
    for model in (Monument, AlternateName, Incident, Article, Evidence):
        assert set(model.objects.values_list("version", flat=True)) == {1}
    assert Monument.objects.exclude(condition="unknown").exists()


def test_generated_names_are_found_by_search_in_arabic_too(generated):
    arabic = AlternateName.objects.filter(language="ar").select_related("monument").first()
    assert arabic.monument in Monument.objects.matching_name(arabic.name)


def empty_register():
    for model in (Evidence, Incident, Restoration, Article, AlternateName):
        model.objects.all().delete()
    # Parts before their sites, which they protect.
    Monument.objects.filter(part_of__isnull=False).delete()
    Monument.objects.all().delete()


def test_the_same_seed_into_an_empty_register_gives_the_same_data(generated):
    first = content()
    empty_register()
    register_generate(monuments=200, seed=11, incidents_per_monument=3, batch_size=64)
    assert content() == first
    empty_register()
    register_generate(monuments=200, seed=12, incidents_per_monument=3, batch_size=64)
    assert content() != first


def test_the_command_prints_what_it_generated(db, capsys):
    call_command("generate_register", monuments=16, seed=1, incidents_per_monument=1)
    out = capsys.readouterr().out
    assert f"Generated 16 monuments, 32 alternate names, {Article.objects.count()} articles" in out


def test_every_quote_is_wired_to_the_event_it_tells_of(generated):
    for evidence in Evidence.objects.select_related("incident__monument", "restoration__monument"):
        event = evidence.incident or evidence.restoration
        assert f"the {event.monument.name} ({event.when})" in evidence.quote
        # An article is dated once the events it tells of were reported.
        assert evidence.article.published >= (event.reported_latest if evidence.incident else event.finished_latest)


def test_every_part_stands_in_a_site_written_with_it(generated):
    for part in Monument.objects.filter(part_of__isnull=False).select_related("part_of"):
        assert part.part_of.part_of_id is None
        assert part.description.endswith(f"part of the site of {part.part_of.name}.")


def test_generated_records_pass_their_models_validation_and_take_their_defaults(generated):
    for model in (Monument, AlternateName, Incident, Restoration, Article, Evidence):
        for record in model.objects.all()[:40]:
            record.full_clean()
    article = Article.objects.first()
    assert (article.needs_review, article.url, article.carried_by) == (False, "", None)
    monument = Monument.objects.first()
    assert monument.created is not None and monument.created == monument.updated


def test_ids_continue_after_deleted_rows_so_none_is_reused(db):
    register_generate(monuments=16, seed=3, incidents_per_monument=2)
    highest = {
        model: model.objects.order_by("-pk").values_list("pk", flat=True).first() for model in (Monument, Incident)
    }
    empty_register()
    register_generate(monuments=16, seed=3, incidents_per_monument=2)
    for model, pk in highest.items():
        assert model.objects.order_by("pk").values_list("pk", flat=True).first() > pk
    # Numbers (and so slugs) start again from the register's count, which is zero again.
    assert Monument.objects.filter(slug__endswith="-0").exists()


def test_search_finds_what_is_generated_into_a_register_with_data_and_what_is_added_after(db):
    register_generate(monuments=16, seed=4, incidents_per_monument=2)
    register_generate(monuments=16, seed=5, incidents_per_monument=2)
    for monument in (Monument.objects.order_by("pk").first(), Monument.objects.order_by("pk").last()):
        assert monument in Monument.objects.matching_name(monument.name)
        incident = monument.incidents.first() or Incident.objects.order_by("-pk").first()
        assert incident in Incident.objects.matching_text(incident.summary.split(" the ")[-1].rstrip("."))
    article = Article.objects.order_by("pk").last()
    assert article in Article.objects.matching_text(article.body.split()[-2])
    # The search index is kept as before: a monument added by hand afterwards is found.
    added = Monument.objects.create(name="Zenobia Gate", slug="zenobia-gate", kind="arch")
    assert added in Monument.objects.matching_name("Zenobia")
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for table in ("monument", "alternatename", "incident", "article"):
                fts = f"register_{table}_fts"
                # With rank 1, FTS5 compares its index with the table it reads from and raises on any difference.
                cursor.execute(f"INSERT INTO {fts}({fts}, rank) VALUES ('integrity-check', 1)")  # noqa: S608


def test_the_command_says_where_the_time_went_when_asked(db, capsys):
    call_command("generate_register", monuments=8, seed=1, verbosity=2)
    phases = capsys.readouterr().out.splitlines()[-1]
    assert phases.startswith("build rows: ") and "write Evidence: " in phases and "refresh conditions: " in phases
