"""Suggested evidence: sentences that name a subject and report what happened to it, with who says so and when."""

import datetime as dt
from pathlib import Path

import pytest

from register.ingest.mentions import Gazetteer, Subject
from register.ingest.suggestions import attributions, suggest
from register.models import Evidence, Suggestion
from register.services.articles import article_import_file

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
AFP_SEED = SEEDS / "000_510c1c6efbd3d72d.txt"
REUTERS_SEED = SEEDS / "001_e46c036f3a77ff87.txt"


def summary(suggestion):
    return (suggestion.subject.slug, suggestion.kind, suggestion.asserted)


@pytest.mark.django_db
def test_seed_000_suggests_the_tetrapylon_the_theatre_facade_the_towers_and_the_busts_return(palmyra_names):
    article = article_import_file(path=AFP_SEED).article
    suggestions = list(article.suggestions.all())
    assert {summary(s) for s in suggestions} == {
        ("palmyra", "destroyed", "2015-05"),
        ("funerary-towers", "destroyed", ""),
        ("roman-theatre", "misuse", ""),
        ("tetrapylon", "destroyed", "2017-02"),
        ("roman-theatre", "damaged", "2017-02"),
        ("funerary-busts", "return", "2017-03-01"),
    }
    facade = article.suggestions.get(monument__slug="roman-theatre", kind="damaged")
    assert facade.quote == (
        "Last month, IS destroyed Palmyra's tetrapylon monument, while satellite images showed damage to the "
        "theatre's facade."
    )
    assert facade.subject_text == "the theatre"
    assert facade.attribution == "satellite images showed"
    assert facade.cited_source.slug == "satellite-imagery"
    assert facade.date_phrase == "Last month"
    assert (facade.asserted_earliest, facade.asserted_latest) == (dt.date(2017, 2, 1), dt.date(2017, 2, 28))
    busts = article.suggestions.get(artefact__slug="funerary-busts")
    assert (busts.trigger, busts.date_phrase) == ("brought back", "Wednesday")
    for suggestion in suggestions:
        suggestion.full_clean()
        assert article.body[suggestion.position :].startswith(suggestion.quote)


@pytest.mark.django_db
def test_seed_001_suggests_the_arch_the_tetrapylon_and_the_theatre_facade(palmyra_names):
    article = article_import_file(path=REUTERS_SEED).article
    assert {summary(s) for s in article.suggestions.all()} == {
        ("monumental-arch", "destroyed", ""),
        ("tetrapylon", "destroyed", ""),
        ("roman-theatre", "destroyed", ""),
    }
    theatre = article.suggestions.get(monument__slug="roman-theatre")
    assert (
        theatre.quote
        == "Most recently, Islamic State has razed the landmark Tetrapylon and the facade of Palmyra's Roman Theater."
    )
    assert (theatre.subject_text, theatre.trigger) == ("Roman Theater", "razed")


@pytest.mark.django_db
def test_nothing_becomes_evidence_without_a_curator(palmyra_names):
    article_import_file(path=AFP_SEED)
    article_import_file(path=REUTERS_SEED)
    assert Suggestion.objects.count() == 9
    assert not Evidence.objects.exists()
    assert not Suggestion.objects.exclude(status="pending").exists()


@pytest.mark.parametrize(
    ("sentence", "attribution"),
    [
        ("Forces advanced to Palmyra, a monitor and a military source said.", "a monitor and a military source said"),
        ('"It is a step," state news agency SANA reported.', "state news agency SANA reported"),
        ('"This crossroads is the key," the source told AFP.', "the source told AFP"),
        ("IS left, while satellite images showed damage.", "satellite images showed"),
        (
            '"They are close," said Rami Abdel Rahman, head of the Syrian Observatory for Human Rights.',
            "said Rami Abdel Rahman, head of the Syrian Observatory for Human Rights",
        ),
        ("According to UNESCO, the arch was destroyed.", "According to UNESCO"),
        ("The organisation that reports on the war was silent.", None),
    ],
)
def test_attributions_are_read_as_written(sentence, attribution):
    found = [span.text for span in attributions(sentence)]
    assert found[:1] == ([attribution] if attribution else [])


THEATRE = Subject("monument", 3, "roman-theatre", site=1, monument_kind="theatre")
PALMYRA = Subject("monument", 1, "palmyra", site=1, monument_kind="site")
LION = Subject("artefact", 7, "lion-of-al-lat", site=1, origin=1)


def suggested(text, published=dt.date(2017, 3, 2)):
    gazetteer = Gazetteer([(THEATRE, "Roman Theatre"), (PALMYRA, "Palmyra"), (LION, "Lion of Al-lat")])
    # Read as an article whose title makes Palmyra the context of the theatre.
    return suggest(text, gazetteer.find(text, context="Palmyra"), published=published)


def test_a_pronoun_cites_whoever_was_cited_before():
    text = (
        '"They are close," said Rami Abdel Rahman, head of the Syrian Observatory. '
        '"IS blew up the Roman theatre last week," he said.'
    )
    [suggestion] = suggested(text)
    assert (suggestion.attribution, suggestion.cited, suggestion.asserted) == (
        "he said",
        "sohr",
        "2017-02-20/2017-02-26",
    )


def test_a_denial_is_not_suggested():
    assert suggested("The Roman theatre was not damaged, officials said.") == []


def test_a_sentence_without_an_event_is_not_suggested():
    assert suggested("Palmyra's Roman theatre stood at the crossroads of the ancient world.") == []


def test_a_site_named_beside_one_of_its_parts_is_context_not_the_subject():
    [suggestion] = suggested("IS destroyed the facade of Palmyra's Roman theatre.")
    assert suggestion.subject == THEATRE


def test_only_movable_things_come_back():
    assert suggested("IS returned to Palmyra in December.") == []
    [suggestion] = suggested("The Lion of Al-lat was returned to Palmyra.")
    assert (suggestion.subject, suggestion.kind) == (LION, "return")


def test_a_participle_describing_the_subject_gives_way_to_the_news():
    [suggestion] = suggested("The Lion of Al-lat, smashed by IS, was restored in Warsaw.")
    assert suggestion.kind == "restoration"


def test_the_nearest_trigger_decides_each_subjects_kind():
    text = "IS blew up the Lion of Al-lat and carried out executions in the Roman theatre."
    assert {(s.subject.slug, s.kind) for s in suggested(text)} == {
        ("lion-of-al-lat", "destroyed"),
        ("roman-theatre", "misuse"),
    }


def test_without_a_publication_date_relative_dates_stay_empty():
    [suggestion] = suggested("Last month, IS destroyed the Roman theatre.", published=None)
    assert (suggestion.date_phrase, suggestion.asserted) == ("Last month", "")
