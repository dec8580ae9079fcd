"""Attributions and citations on the pages: the same words as their plain text, each name, title, date and address
in an isolate of its own (register/templatetags/isolated_citations.py), in English and in Arabic."""

import datetime as dt
import html

import pytest
from django.utils.html import strip_tags
from django.utils.translation import override

from register.citation import record_citation
from register.models import Source
from register.templatetags.isolated_citations import (
    attribution_html,
    citation_html,
    quote_citation_html,
    record_citation_html,
)

pytestmark = pytest.mark.django_db

ACCESSED = dt.date(2026, 11, 21)
URL = "https://register.example/en/monuments/tetrapylon/"


def as_text(fragment: str) -> str:
    return html.unescape(strip_tags(fragment))


@pytest.fixture
def carried(article):
    """The article as Pulse carried it, with a title in Arabic."""
    article.carried_by = Source.objects.create(name="Pulse", slug="pulse", kind="news_site")
    article.title = "تقرير عن تدمر"
    article.language = "ar"
    article.save()
    return article


def test_a_quote_names_its_source_and_its_report_each_in_an_isolate(carried, incident, make_evidence):
    item = make_evidence(incident, cited_person="Rami Abdel Rahman")
    with override("ar"):
        assert attribution_html(item) == "<bdi>AFP</bdi> (عبر <bdi>Pulse</bdi>)، نقلًا عن <bdi>Rami Abdel Rahman</bdi>"
        assert quote_citation_html(item) == (
            '<bdi>AFP</bdi> (عبر <bdi>Pulse</bdi>)، “<bdi lang="ar">تقرير عن تدمر</bdi>”، '
            '<bdi dir="ltr">2017-03-02</bdi>'
        )


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_html_says_what_the_plain_text_says(carried, incident, make_evidence, language):
    item = make_evidence(incident, cited_person="Rami Abdel Rahman")
    with override(language):
        assert as_text(attribution_html(item)) == item.attribution
        assert as_text(quote_citation_html(item)) == item.article.citation_at(item.position)
        assert as_text(citation_html(carried)) == carried.citation
        for record in (incident, incident.monument):
            citation = record_citation(record, url=URL, accessed=ACCESSED)
            assert as_text(record_citation_html(citation)) == citation.text


def test_a_guessed_outlet_is_left_out_as_in_the_text(carried):
    carried.carried_by_guessed = True
    carried.save()
    assert (
        citation_html(carried)
        == '<bdi>AFP</bdi>, “<bdi lang="ar">تقرير عن تدمر</bdi>”, <bdi dir="ltr">2017-03-02</bdi>'
    )


def test_an_untitled_undated_report_is_named_in_the_readers_language(article):
    article.title, article.published = "", None
    article.save()
    with override("ar"):
        assert citation_html(article) == "<bdi>AFP</bdi>، تقرير بلا عنوان، غير مؤرَّخ"


def test_a_record_citation_isolates_the_title_the_address_and_the_day(incident):
    with override("ar"):
        monument = record_citation_html(record_citation(incident.monument, url=URL, accessed=ACCESSED))
        event = record_citation_html(record_citation(incident, url=URL, accessed=ACCESSED))
    address = f'<bdi dir="ltr">{URL}</bdi>، تاريخ الاطلاع <bdi dir="ltr">2026-11-21</bdi>'
    assert monument == f"سجل أضرار التراث، «<bdi>Tetrapylon</bdi>»، {address}"
    assert event == f'سجل أضرار التراث، «<bdi>Tetrapylon</bdi>: مدمَّر، <bdi dir="ltr">2017-01</bdi>»، {address}'


def test_names_are_escaped_and_cannot_be_taken_for_markup(article, incident, make_evidence):
    article.publisher.short_name = '<script>alert("AFP")</script>'
    article.publisher.save()
    article.title = "Fish & <chips>"
    article.save()
    # A name written like a stand-in stays a name (set in memory: PostgreSQL stores no NUL).
    item = make_evidence(incident, cited_person="Someone")
    item.cited_person = "\x000\x00 & co"
    assert attribution_html(item) == (
        "<bdi>&lt;script&gt;alert(&quot;AFP&quot;)&lt;/script&gt;</bdi>, citing <bdi>\x000\x00 &amp; co</bdi>"
    )
    assert '<bdi lang="en">Fish &amp; &lt;chips&gt;</bdi>' in citation_html(article)
