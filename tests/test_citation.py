"""“Cite this record” gives a plain-text reference and a BibTeX entry that stays valid whatever the title holds."""

import datetime as dt

import bibtexparser
import pytest

from register.citation import record_citation
from register.models import Monument

pytestmark = pytest.mark.django_db

ACCESSED = dt.date(2026, 11, 21)
URL = "https://register.example/monuments/tetrapylon/"


def test_plain_text_names_the_register_the_record_its_permalink_and_the_day_it_was_read(tetrapylon):
    citation = record_citation(tetrapylon, url=URL, accessed=ACCESSED)
    assert citation.text == f"Heritage Damage Register, “Tetrapylon”, {URL}, accessed 2026-11-21"
    assert citation.url == URL


def test_bibtex_is_a_misc_entry_that_a_bibtex_parser_reads_back(tetrapylon):
    bibtex = record_citation(tetrapylon, url=URL, accessed=ACCESSED).bibtex
    library = bibtexparser.parse_string(bibtex)
    assert not library.failed_blocks
    (entry,) = library.entries
    assert entry.entry_type == "misc"
    assert entry.key == "hdr-monument-tetrapylon"
    assert entry["title"] == "Tetrapylon"
    assert entry["author"] == "{Heritage Damage Register}"
    assert entry["url"] == URL
    assert entry["urldate"] == "2026-11-21"
    assert entry["year"] == str(tetrapylon.updated.year)


def test_bibtex_escapes_the_characters_latex_reserves(site):
    monument = Monument.objects.create(name="Arch & Gate {east} 100% #2_b ~^\\", slug="arch", kind="arch")
    bibtex = record_citation(monument, url=URL, accessed=ACCESSED).bibtex
    title = bibtexparser.parse_string(bibtex).entries[0]["title"]
    assert title == r"Arch \& Gate \{east\} 100\% \#2\_b {\textasciitilde}{\textasciicircum}{\textbackslash}"


def test_arabic_titles_are_kept_as_written(site):
    monument = Monument.objects.create(name="قوس النصر", slug="qaws", kind="arch")
    citation = record_citation(monument, url=URL, accessed=ACCESSED)
    assert "title = {قوس النصر}" in citation.bibtex
    assert "“قوس النصر”" in citation.text


def test_an_incident_is_cited_by_its_subject_kind_and_date(incident):
    citation = record_citation(incident, url="https://register.example/incidents/x/", accessed=ACCESSED)
    assert citation.text.startswith("Heritage Damage Register, “Tetrapylon: destroyed, 2017-01”, ")
    assert "@misc{hdr-incident-tetrapylon-destroyed," in citation.bibtex
