"""Cleaning and header detection: furniture leaves the body, and what a report says about itself is read."""

import datetime as dt
import json
from pathlib import Path

import pytest

from register.ingest.decoding import decode
from register.ingest.furniture import clean
from register.ingest.header import find_byline, find_dateline, split_header
from register.ingest.report import read_report

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
FIXTURE = ROOT / "fixtures" / "palmyra.json"
AFP_SEED = SEEDS / "000_510c1c6efbd3d72d.txt"
REUTERS_SEED = SEEDS / "001_e46c036f3a77ff87.txt"
DATA = Path(__file__).parent / "data" / "ingest"

CAPTION = "The Roman amphitheatre in the ancient Syrian city of Palmyra, pictured on March 31, 2016"


def seed_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def test_seed_000_header_gives_date_and_title():
    report = read_report(seed_text(AFP_SEED))
    assert report.published == dt.date(2017, 3, 2)
    assert report.title == "In Syria Army advances to outskirts of IS-held Palmyra"
    assert not report.needs_review


def test_seed_000_furniture_leaves_the_body_and_stays_in_the_raw_text():
    raw = seed_text(AFP_SEED)
    report = read_report(raw)
    for furniture in (CAPTION + " play", CAPTION, "(AFP/File)", "Pulse News Agency International By AFP", "date 2017"):
        assert furniture in raw
        assert furniture not in report.body
    assert raw.count("Pulse News Agency International By AFP") == 2
    assert report.body.startswith("Syrian government forces backed by Russian soldiers")
    assert report.body.endswith("brought back to Syria after being restored in Italy.")
    assert "\n\n\n" not in report.body
    assert {removed.reason for removed in report.removed} == {"caption", "photo credit", "credit line"}


def test_seed_000_credit_line_names_agency_and_outlet():
    report = read_report(seed_text(AFP_SEED))
    assert report.publisher == "afp"
    assert report.carried_by == "Pulse News Agency International"


def test_seed_001_has_no_date_and_is_flagged_with_dateline_publisher_outlet_and_byline():
    raw = seed_text(REUTERS_SEED)
    report = read_report(raw)
    assert report.published is None
    assert report.title == ""
    assert report.needs_review
    assert report.dateline == "BEIRUT (Reuters)"
    assert report.publisher == "reuters"
    assert report.carried_by == "Business Insider"
    assert report.byline.startswith("Reporting by Tom Perry in Beirut")
    for trailer in ("SEE ALSO:", "Join the conversation about this story", "NOW WATCH:"):
        assert trailer in raw
        assert trailer not in report.body
    # The dateline and Reuters' credits are part of the story as printed.
    assert report.body.startswith("BEIRUT (Reuters) - Russian-backed")
    assert report.body.endswith("Editing by Louise Ireland)")


def test_a_file_of_nothing_but_furniture_has_an_empty_body_and_is_flagged():
    raw = decode((DATA / "only-furniture.txt").read_bytes()).text
    report = read_report(raw)
    assert report.body == ""
    assert any("Nothing is left" in note for note in report.review_notes)


def test_a_caption_printed_twice_without_a_player_label_goes():
    cleaned = clean("Story starts here.\n\nA caption under a photo\n\nA caption under a photo\n\nStory goes on.")
    assert cleaned.body == "Story starts here.\n\nStory goes on."


def test_a_sentence_printed_twice_stays():
    cleaned = clean("IS destroyed the arch.\nIS destroyed the arch.")
    assert cleaned.body == "IS destroyed the arch.\nIS destroyed the arch."


def test_furniture_inside_a_sentence_is_kept():
    cleaned = clean("They may play a part, AFP/File records show.")
    assert cleaned.body == "They may play a part, AFP/File records show."


def test_a_header_with_an_impossible_date_is_flagged():
    report = read_report("date 2017-02-30 A title\n\nBody.")
    assert report.published is None
    assert report.title == "A title"
    assert any("2017-02-30" in note for note in report.review_notes)


def test_a_header_without_a_title_is_flagged():
    header = split_header("date 2017-03-02\nBody.")
    assert header.published == dt.date(2017, 3, 2)
    assert header.title == ""
    assert read_report("date 2017-03-02\nBody.").needs_review


def test_text_without_agency_has_no_publisher_and_is_flagged():
    report = read_report("date 2017-03-02 Title\n\nSomething happened.")
    assert report.publisher == ""
    assert any("No agency" in note for note in report.review_notes)


@pytest.mark.parametrize(
    ("opening", "dateline", "agency"),
    [
        ("BEIRUT (Reuters) - Text", "BEIRUT (Reuters)", "reuters"),
        ("DAMASCUS, Syria (AP) — Text", "DAMASCUS, Syria (AP)", "ap"),
        ("Damascus (AFP) - Text", "Damascus (AFP)", "afp"),
        ("PALMYRA, Syria — Text", "PALMYRA, Syria", None),
    ],
)
def test_datelines_are_read_with_their_agency(opening, dateline, agency):
    found = find_dateline(opening)
    assert (found.text, found.agency) == (dateline, agency)


def test_a_story_opening_with_an_ordinary_word_has_no_dateline():
    assert find_dateline("Syrian government forces - backed by Russia - advanced.") is None


def test_a_top_byline_is_read_but_an_agency_is_not_a_byline():
    assert find_byline("By Tom Perry\nBEIRUT (Reuters) - Text") == ("Tom Perry", False)
    assert find_byline("By AFP\nText") == ("", False)


@pytest.mark.skipif(not FIXTURE.exists(), reason="fixtures/palmyra.json is not there yet")
@pytest.mark.parametrize("seed", [AFP_SEED, REUTERS_SEED], ids=["000", "001"])
def test_cleaned_body_of_each_seed_equals_the_body_in_the_palmyra_fixture(seed):
    articles = {
        entry["fields"]["source_file"]: entry["fields"]
        for entry in json.loads(FIXTURE.read_text(encoding="utf-8"))
        if entry["model"] == "register.article" and entry["fields"].get("raw_text")
    }
    stored = articles[f"seeds/{seed.name}"]
    raw = seed.read_text(encoding="utf-8")
    assert stored["raw_text"] == raw
    assert read_report(raw).body == stored["body"]
