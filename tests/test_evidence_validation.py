"""A quote is evidence only where it stands verbatim in its article."""

import hashlib

import pytest
from django.core.exceptions import ValidationError

from register.models import Article, Evidence, Source
from tests.conftest import QUOTE

pytestmark = pytest.mark.django_db


def test_a_quote_verbatim_at_its_position_is_valid(article, incident):
    evidence = Evidence(article=article, incident=incident, quote=QUOTE, position=article.body.index(QUOTE))
    evidence.full_clean()


def test_quote_outside_article_is_rejected(article, incident):
    evidence = Evidence(article=article, incident=incident, quote="IS rebuilt the tetrapylon", position=0)
    with pytest.raises(ValidationError) as error:
        evidence.full_clean()
    assert "nowhere in the article" in str(error.value.message_dict["quote"])


def test_quote_at_the_wrong_position_is_rejected_with_the_right_one(article, incident):
    right = article.body.index(QUOTE)
    evidence = Evidence(article=article, incident=incident, quote=QUOTE, position=right + 1)
    with pytest.raises(ValidationError) as error:
        evidence.full_clean()
    assert f"It stands at position {right}." in str(error.value.message_dict["quote"])


def test_a_paraphrase_differing_by_one_character_is_rejected(article, incident):
    paraphrase = QUOTE.replace("tetrapylon", "Tetrapylon")
    evidence = Evidence(article=article, incident=incident, quote=paraphrase, position=article.body.index(QUOTE))
    with pytest.raises(ValidationError):
        evidence.full_clean()


def test_a_reference_only_article_cannot_carry_a_quote(afp, incident):
    reference = Article.objects.create(publisher=afp, url="https://example.org/report")
    evidence = Evidence(article=reference, incident=incident, quote="anything", position=0, note="Says so.")
    with pytest.raises(ValidationError) as error:
        evidence.full_clean()
    assert "import the article first" in str(error.value.message_dict["quote"])


def test_a_report_held_by_reference_is_evidence_with_a_note_and_no_quote(afp, incident):
    reference = Article.objects.create(publisher=afp, url="https://example.org/report")
    evidence = Evidence(article=reference, incident=incident, note="Gives 28 February 2017.", asserted="2017-02-28")
    evidence.full_clean()
    evidence.save()
    assert not evidence.is_quote
    assert evidence.end is None


def test_a_report_held_by_reference_needs_a_note(afp, incident):
    reference = Article.objects.create(publisher=afp, url="https://example.org/report")
    with pytest.raises(ValidationError) as error:
        Evidence(article=reference, incident=incident).full_clean()
    assert "note" in error.value.message_dict


def test_evidence_from_a_held_article_needs_a_quote(article, incident):
    with pytest.raises(ValidationError) as error:
        Evidence(article=article, incident=incident, note="Paraphrase.").full_clean()
    assert "Quote the passage verbatim" in str(error.value.message_dict["quote"])


def test_an_event_with_only_a_reference_is_not_public(afp, incident):
    from register.models import Incident

    reference = Article.objects.create(publisher=afp, url="https://example.org/report")
    Evidence.objects.create(article=reference, incident=incident, note="Says so.")
    assert not Incident.objects.with_evidence().exists()


def test_attribution_names_publisher_outlet_and_cited_source(article, incident, make_evidence):
    pulse = Source.objects.create(
        name="Pulse News Agency International", slug="pulse", kind="outlet", short_name="Pulse"
    )
    sohr = Source.objects.create(name="Syrian Observatory for Human Rights", slug="sohr", kind="monitor")
    article.carried_by = pulse
    article.save()
    evidence = make_evidence(incident, cited_source=sohr, cited_person="Rami Abdel Rahman")
    assert evidence.attribution == "AFP (via Pulse), citing Rami Abdel Rahman, Syrian Observatory for Human Rights"


def test_article_clean_fingerprints_the_raw_text(afp):
    article = Article(publisher=afp, raw_text="Some report.\n", body="Some report.")
    article.full_clean()
    assert article.sha256 == hashlib.sha256(b"Some report.\n").hexdigest()
