"""generate_register: a realistic register of any size, reproducible from its seed, valid by the register's rules."""

import random

import pytest
from django.core.management import call_command

from register.models import AlternateName, Article, Evidence, Incident, Monument, Restoration, fingerprint
from register.models.dates import edtf_window
from register.services.generate import PARTS_PER_SITE, edtf_for, register_generate

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
