"""Relative dates resolve against the publication date into EDTF guesses."""

import datetime as dt

import pytest

from register.ingest.dates import find_dates, resolve
from register.models.dates import edtf_window

THURSDAY_2_MARCH_2017 = dt.date(2017, 3, 2)


@pytest.mark.parametrize(
    ("phrase", "edtf"),
    [
        # Seed 000, published Thursday 2 March 2017.
        ("Wednesday", "2017-03-01"),
        ("On Wednesday", "2017-03-01"),
        ("Last month", "2017-02"),
        ("last December", "2016-12"),
        ("in May 2015", "2015-05"),
        ("in March 2016", "2016-03"),
        ("March 31, 2016", "2016-03-31"),
        # Seed 001's phrases, resolved as if it carried seed 000's date.
        ("in December", "2016-12"),
        ("last March", "2016-03"),
        # Others reports use.
        ("in March", "2017-03"),
        ("Thursday", "2017-03-02"),
        ("last Thursday", "2017-02-23"),
        ("yesterday", "2017-03-01"),
        ("last week", "2017-02-20/2017-02-26"),
        ("earlier this month", "2017-03-01/2017-03-02"),
        ("last year", "2016"),
        ("in 2015", "2015"),
        ("4 October 2015", "2015-10-04"),
    ],
)
def test_a_phrase_resolves_against_the_publication_date(phrase, edtf):
    assert resolve(phrase, THURSDAY_2_MARCH_2017) == edtf
    # The window stored beside the guess is the one the edtf package gives it.
    [guess] = find_dates(phrase, THURSDAY_2_MARCH_2017)
    assert (guess.earliest, guess.latest) == edtf_window(edtf)


@pytest.mark.parametrize("phrase", ["Wednesday", "last month", "in December", "last March", "yesterday"])
def test_a_relative_phrase_without_a_publication_date_stays_unresolved(phrase):
    assert resolve(phrase, None) == ""


@pytest.mark.parametrize("phrase", ["May 2015", "March 31, 2016", "in 2015"])
def test_an_absolute_phrase_resolves_without_a_publication_date(phrase):
    assert resolve(phrase, None) != ""


def test_modal_may_and_the_verb_march_are_not_months():
    assert find_dates("they may have left; troops march on", THURSDAY_2_MARCH_2017) == []


def test_every_date_in_a_sentence_is_found_in_order_with_its_span():
    sentence = "They were driven out in March 2016 but recaptured the town last December."
    guesses = find_dates(sentence, THURSDAY_2_MARCH_2017)
    assert [(g.phrase, g.edtf) for g in guesses] == [("March 2016", "2016-03"), ("last December", "2016-12")]
    assert all(sentence[g.start : g.end] == g.phrase for g in guesses)


def test_an_impossible_day_falls_back_to_its_month():
    assert resolve("February 30, 2016", None) == "2016-02"


@pytest.mark.parametrize(
    "phrase", ["last month", "Wednesday", "last Wednesday", "yesterday", "last week", "last year", "in December"]
)
def test_a_relative_phrase_that_would_fall_before_year_one_stays_unresolved(phrase):
    # Monday 1 January of year 1: the day before it is outside the calendar Python counts in.
    assert resolve(phrase, dt.date.min) == ""
    assert find_dates(f"It happened {phrase}.", dt.date.min)[0].edtf == ""


def test_a_relative_phrase_at_the_calendars_last_day_still_resolves():
    assert resolve("last month", dt.date.max) == "9999-11"
    assert resolve("Wednesday", dt.date.max) == "9999-12-29"
