"""The name matcher: every monument an article names, however it spells it, at its place in the body."""

import pytest

from register.ingest.mentions import Folded, Gazetteer, Subject, fold, name_keys

THEATRE = Subject("monument", 3, "roman-theatre", site=1, monument_kind="theatre")
PALMYRA = Subject("monument", 1, "palmyra", site=1, monument_kind="site")
CITADEL = Subject("monument", 6, "citadel", site=1, monument_kind="fortification")
TOWERS = Subject("monument", 5, "funerary-towers", site=1, monument_kind="tomb")
ARCH = Subject("monument", 4, "monumental-arch", site=1, monument_kind="arch")
BUSTS = Subject("artefact", 1, "funerary-busts", site=1, origin=9)


@pytest.fixture
def gazetteer():
    return Gazetteer(
        [
            (PALMYRA, "Palmyra"),
            (THEATRE, "Roman Theatre"),
            (CITADEL, "Citadel"),
            (CITADEL, "Palmyra Castle"),
            (TOWERS, "Funerary towers"),
            (ARCH, "Monumental Arch"),
            (BUSTS, "Two funerary busts (a man and a woman)"),
        ]
    )


def found(gazetteer, text, context="Palmyra"):
    """Return what the text names, read as an article whose title makes Palmyra the context of its parts."""
    return [(match.subject.slug, match.text) for match in gazetteer.find(text, context=context)]


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("the Roman Theater", "Roman Theater"),
        ("the ROMAN THEATRE", "ROMAN THEATRE"),
        ("the Roman théâtre", "Roman théâtre"),
        ("two Roman theatres", "Roman theatres"),
        ("the Roman\n  Theatre", "Roman\n  Theatre"),
    ],
)
def test_names_match_whatever_their_case_accents_spelling_number_or_spacing(gazetteer, text, written):
    assert found(gazetteer, text) == [("roman-theatre", written)]


@pytest.mark.parametrize(
    ("text", "slug", "written"),
    [
        ("blowing up tower tombs", "funerary-towers", "tower tombs"),
        ("a funerary tower", "funerary-towers", "funerary tower"),
        ("the Arch of Triumph", "monumental-arch", "Arch of Triumph"),
        ("known in Arabic as Tadmur,", "palmyra", "Tadmur"),
        ("two funeral busts", "funerary-busts", "funeral busts"),
    ],
)
def test_synonyms_and_spelling_variants_name_the_same_subject(gazetteer, text, slug, written):
    assert found(gazetteer, text) == [(slug, written)]


def test_names_match_whole_words_only(gazetteer):
    assert found(gazetteer, "Research on the citadels and Palmyrans; the monumental archive.") == [
        ("citadel", "citadels")
    ]


def test_the_longest_name_wins_where_names_overlap(gazetteer):
    assert found(gazetteer, "They shelled Palmyra Castle, near Palmyra.") == [
        ("citadel", "Palmyra Castle"),
        ("palmyra", "Palmyra"),
    ]


def test_positions_point_into_the_original_text_past_accents_and_ligatures():
    gazetteer = Gazetteer([(PALMYRA, "Palmyra"), (THEATRE, "Roman Theatre")])
    text = "Ça fait « ﬁn » à Pälmyra’s Roman Théâtre."
    for match in gazetteer.find(text):
        assert text[match.start : match.end] == match.text
    assert [m.text for m in gazetteer.find(text)] == ["Pälmyra", "Roman Théâtre"]


def test_arabic_names_match_without_their_vowel_marks():
    gazetteer = Gazetteer([(PALMYRA, "تدمر")])
    text = "مدينة تَدْمُر الأثرية"
    [match] = gazetteer.find(text)
    assert match.text == "تَدْمُر"


def test_a_name_shared_by_two_sites_goes_to_the_one_the_text_names():
    aleppo = Subject("monument", 20, "aleppo", site=20, monument_kind="site")
    aleppo_citadel = Subject("monument", 21, "aleppo-citadel", site=20, monument_kind="fortification")
    gazetteer = Gazetteer([(PALMYRA, "Palmyra"), (CITADEL, "Citadel"), (aleppo, "Aleppo"), (aleppo_citadel, "Citadel")])
    assert found(gazetteer, "In Palmyra, the citadel was hit.", "") == [("palmyra", "Palmyra"), ("citadel", "citadel")]
    assert found(gazetteer, "The citadel of Aleppo was hit.") == [("aleppo-citadel", "citadel"), ("aleppo", "Aleppo")]
    # A part is named only in its site's context: here, no site's.
    assert found(gazetteer, "The citadel was hit.", "") == []


def test_name_keys_hold_spelling_plural_and_synonym_variants():
    keys = name_keys("Funerary towers")
    assert {"funerary towers", "funerary tower", "funeral towers", "tower tombs", "tower tomb"} <= keys
    assert name_keys("The Tetrapylon") == {"tetrapylon", "tetrapylons"}
    assert name_keys("Lion of Al-lāt") >= {"lion of al-lat", "lion of al lat", "lion of allat"}


def test_folding_maps_every_folded_offset_back_to_the_original():
    text = "A  Théâtre\n’s"
    folded = Folded(text)
    assert folded.text == "a theatre 's"
    start = folded.text.index("theatre")
    assert folded.span(start, start + len("theatre")) == (3, 10)
    assert fold("ÉTÉ") == "ete"


def test_an_empty_gazetteer_finds_nothing():
    assert Gazetteer([]).find("Palmyra") == []
