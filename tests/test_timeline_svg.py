"""The server draws a monument's timeline as SVG: windows as wide bars, incidents and restorations told apart."""

import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest
from django.utils import translation

from register.models import Restoration
from register.services.condition import condition_timeline
from register.services.timeline_svg import MARGIN, MIN_BAR_WIDTH, WIDTH, timeline_svg
from tests.conftest import published

SVG = "{http://www.w3.org/2000/svg}"
TODAY = dt.date(2019, 12, 31)


pytestmark = pytest.mark.django_db


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - the server's own output, not untrusted input


def bars(root: ET.Element) -> dict[str, ET.Element]:
    return {link.get("data-slug"): link for link in root.iter(f"{SVG}a")}


def x_of(day: dt.date, start: dt.date, end: dt.date, right: float = WIDTH - MARGIN) -> float:
    return MARGIN + (day - start).days * (right - MARGIN) / (end - start).days


def tick_labels(root: ET.Element) -> list[str]:
    return [tick.findtext(f"{SVG}text") for tick in root.iter(f"{SVG}g") if "tick" in tick.get("class", "").split()]


@pytest.fixture
def events(tetrapylon, make_incident, make_evidence, article):
    window = make_incident(slug="window", occurred="2016-12-26/2017-01-10", summary="Blown up <at night>.")
    make_evidence(window)
    single = make_incident(slug="single-day", occurred="2015-08-23", grade="moderate")
    make_evidence(single, quote="satellite images showed damage")
    restoration = Restoration.objects.create(
        slug="rebuilt",
        monument=tetrapylon,
        kind="reconstruction",
        finished="2018",
        summary="Rebuilt.",
        condition_after="fair",
        **published(),
    )
    make_evidence(restoration, quote="The new destruction was condemned")
    return window, single, restoration


def test_an_uncertain_window_is_a_bar_from_its_earliest_to_its_latest_day(tetrapylon, events):
    root = parse(timeline_svg(condition_timeline(tetrapylon), today=TODAY))
    # The events run from 2015 to 2018; today, in the year after, joins the axis.
    start, end = dt.date(2015, 1, 1), dt.date(2020, 1, 1)
    rect = bars(root)["window"].find(f"{SVG}rect")
    day = (WIDTH - MARGIN - MARGIN) / (end - start).days
    assert float(rect.get("x")) == pytest.approx(x_of(dt.date(2016, 12, 26), start, end), abs=0.01)
    # Sixteen days, or the narrowest visible mark where sixteen days are narrower.
    assert float(rect.get("width")) == pytest.approx(max(16 * day, MIN_BAR_WIDTH), abs=0.01)
    assert "window" in rect.get("class")


def test_the_axis_is_fitted_to_the_events_in_whole_years_and_labels_every_year_from_the_first(tetrapylon, events):
    root = parse(timeline_svg(condition_timeline(tetrapylon), today=dt.date(2019, 6, 1)))
    # The events run from 2015 to 2018; today, in the year after, joins the axis in place.
    assert (root.get("data-start"), root.get("data-end")) == ("2015-01-01", "2020-01-01")
    assert tick_labels(root)[:1] == ["2015"]
    assert [label for label in tick_labels(root) if label and label.isdigit()] == [
        "2015",
        "2016",
        "2017",
        "2018",
        "2019",
        "2020",
    ]
    today = root.find(f"{SVG}g[@class='today']/{SVG}line")
    expected = x_of(dt.date(2019, 6, 1), dt.date(2015, 1, 1), dt.date(2020, 1, 1))
    assert float(today.get("x1")) == pytest.approx(expected, abs=0.01)
    assert root.find(f"{SVG}g[@class='axis-break']") is None


def test_years_after_the_last_event_are_left_out_and_today_marked_at_the_end(tetrapylon, events):
    root = parse(timeline_svg(condition_timeline(tetrapylon), today=dt.date(2026, 12, 6)))
    assert (root.get("data-end"), root.get("data-today")) == ("2019-01-01", "2026-12-06")
    assert root.find(f"{SVG}g[@class='axis-break']") is not None
    today = root.find(f"{SVG}g[@class='today']")
    assert float(today.find(f"{SVG}line").get("x1")) == WIDTH - MARGIN
    assert today.findtext(f"{SVG}text") == "today, Dec 2026"
    # The events take the width: the last one ends within the broken axis, near its end.
    axis_end = float(root.find(f"{SVG}line[@class='axis']").get("x2"))
    rebuilt = bars(root)["rebuilt"].find(f"{SVG}rect")
    assert float(rebuilt.get("x")) + float(rebuilt.get("width")) == pytest.approx(axis_end, abs=0.5)
    assert axis_end > 0.8 * WIDTH


def test_a_long_span_labels_the_first_year_and_every_step_from_it(tetrapylon, make_incident, make_evidence):
    make_evidence(make_incident(slug="old", occurred="1981"))
    make_evidence(make_incident(slug="new", occurred="2017-01"))
    labels = [label for label in tick_labels(parse(timeline_svg(condition_timeline(tetrapylon), today=TODAY))) if label]
    assert labels[0] == "1981"
    years = [int(label) for label in labels]
    steps = {later - earlier for earlier, later in zip(years, years[1:], strict=False)}
    assert len(steps) == 1 and steps.pop() in {2, 5, 10}


def test_every_label_fits_inside_the_drawing(tetrapylon, events):
    for today in (TODAY, dt.date(2026, 12, 6)):
        root = parse(timeline_svg(condition_timeline(tetrapylon), today=today))
        for text in root.iter(f"{SVG}text"):
            x, size = float(text.get("x")), float(text.get("font-size"))
            width = len(text.text) * size * 0.6
            start = {"start": x, "middle": x - width / 2, "end": x - width}[text.get("text-anchor", "start")]
            assert start >= 0 and start + width <= WIDTH, text.text


def test_a_single_day_is_a_narrow_visible_mark(tetrapylon, events):
    rect = bars(parse(timeline_svg(condition_timeline(tetrapylon), today=TODAY)))["single-day"].find(f"{SVG}rect")
    assert float(rect.get("width")) == MIN_BAR_WIDTH
    assert "window" not in rect.get("class")


def test_events_are_drawn_in_date_order_one_row_each(tetrapylon, events):
    root = parse(timeline_svg(condition_timeline(tetrapylon), today=TODAY))
    links = list(root.iter(f"{SVG}a"))
    assert [link.get("data-slug") for link in links] == ["single-day", "window", "rebuilt"]
    rows = [float(link.find(f"{SVG}rect").get("y")) for link in links]
    assert rows == sorted(rows) and len(set(rows)) == 3


def test_incidents_and_restorations_differ_in_shape_and_label_not_only_colour(tetrapylon, events):
    found = bars(parse(timeline_svg(condition_timeline(tetrapylon), today=TODAY)))
    incident, restoration = found["window"], found["rebuilt"]
    assert incident.find(f"{SVG}path[@class='marker']") is not None
    assert incident.find(f"{SVG}circle") is None
    assert restoration.find(f"{SVG}circle[@class='marker']") is not None
    assert restoration.find(f"{SVG}rect").get("rx") == "7"
    assert incident.find(f"{SVG}rect").get("rx") is None
    assert incident.findtext(f"{SVG}title").startswith("Incident: destroyed")
    assert restoration.findtext(f"{SVG}title").startswith("Restoration: reconstruction")


def test_each_event_has_a_title_naming_its_window_and_links_to_its_section(tetrapylon, events):
    root = parse(timeline_svg(condition_timeline(tetrapylon), today=TODAY))
    window = bars(root)["window"]
    assert window.findtext(f"{SVG}title") == (
        "Incident: destroyed, between 26 December 2016 and 10 January 2017 (2016-12-26/2017-01-10). "
        "Condition after: destroyed."
    )
    assert window.get("href") == "#event-window"
    assert root.findtext(f"{SVG}title") == "Timeline of incidents, restorations and assessments"


def test_a_short_span_is_marked_in_quarters(tetrapylon, make_incident, make_evidence):
    make_evidence(make_incident(occurred="2017-01"))
    root = parse(timeline_svg(condition_timeline(tetrapylon), today=dt.date(2017, 9, 1)))
    assert [label for label in tick_labels(root) if label] == ["2017", "Apr", "Jul", "Oct", "2018"]


def test_no_event_draws_nothing(tetrapylon):
    assert timeline_svg([], today=TODAY) == ""


def year_positions(root: ET.Element) -> dict[str, float]:
    return {
        tick.findtext(f"{SVG}text"): float(tick.find(f"{SVG}text").get("x"))
        for tick in root.iter(f"{SVG}g")
        if "tick" in tick.get("class", "").split() and (tick.findtext(f"{SVG}text") or "").isdigit()
    }


def drawn_extent(text: ET.Element, *, right_to_left: bool) -> tuple[float, float]:
    """Return where a label is drawn from and to: an SVG text's start is its right edge when it reads right to left."""
    # Bidirectional isolates (U+2066 to U+2069) draw nothing.
    shown = re.sub("[\u2066-\u2069]", "", text.text)
    x, width = float(text.get("x")), len(shown) * float(text.get("font-size")) * 0.6
    anchor = text.get("text-anchor", "start")
    if anchor == "middle":
        return x - width / 2, x + width / 2
    if (anchor == "start") != right_to_left:
        return x, x + width
    return x - width, x


def test_time_runs_left_to_right_in_english_and_right_to_left_in_arabic(tetrapylon, events):
    english = year_positions(parse(timeline_svg(condition_timeline(tetrapylon), today=TODAY, right_to_left=False)))
    arabic = year_positions(parse(timeline_svg(condition_timeline(tetrapylon), today=TODAY, right_to_left=True)))
    assert english["2015"] == MARGIN and english["2015"] < english["2020"]
    assert arabic["2015"] == WIDTH - MARGIN and arabic["2015"] > arabic["2020"]


def test_the_active_language_chooses_the_direction(tetrapylon, events):
    with translation.override("ar"):
        arabic = parse(timeline_svg(condition_timeline(tetrapylon), today=TODAY))
    with translation.override("en"):
        english = parse(timeline_svg(condition_timeline(tetrapylon), today=TODAY))
    assert (arabic.get("direction"), english.get("direction")) == ("rtl", "ltr")
    assert all(text.get("unicode-bidi") == "embed" for text in arabic.iter(f"{SVG}text"))
    assert year_positions(arabic)["2015"] > year_positions(arabic)["2019"]


def test_in_arabic_a_window_is_mirrored_and_today_stands_at_the_left_end(tetrapylon, events):
    root = parse(timeline_svg(condition_timeline(tetrapylon), today=dt.date(2026, 12, 6), right_to_left=True))
    start, end = dt.date(2015, 1, 1), dt.date(2019, 1, 1)
    axis = root.find(f"{SVG}line[@class='axis']")
    axis_end = float(axis.get("x2"))
    assert float(axis.get("x1")) == WIDTH - MARGIN and axis_end < 0.2 * WIDTH
    rect = bars(root)["window"].find(f"{SVG}rect")
    # The window's earliest day is its right-hand edge, as far from the right as it is from the left in English.
    earliest = x_of(dt.date(2016, 12, 26), start, end, right=WIDTH - axis_end)
    assert float(rect.get("x")) + float(rect.get("width")) == pytest.approx(WIDTH - earliest, abs=0.01)
    today = root.find(f"{SVG}g[@class='today']/{SVG}line")
    assert float(today.get("x1")) == MARGIN
    break_line = root.find(f"{SVG}g[@class='axis-break']/{SVG}line")
    assert float(break_line.get("x2")) == MARGIN < float(break_line.get("x1")) < axis_end


def test_every_label_fits_inside_the_drawing_in_arabic_too(tetrapylon, events):
    for today in (TODAY, dt.date(2026, 12, 6)):
        root = parse(timeline_svg(condition_timeline(tetrapylon), today=today, right_to_left=True))
        for text in root.iter(f"{SVG}text"):
            left, right = drawn_extent(text, right_to_left=True)
            assert left >= 0 and right <= WIDTH, text.text


def test_the_arabic_drawing_is_the_english_one_mirrored_with_its_labels_reading_inwards(tetrapylon, events):
    for today in (TODAY, dt.date(2026, 12, 6)):
        english = parse(timeline_svg(condition_timeline(tetrapylon), today=today, right_to_left=False))
        arabic = parse(timeline_svg(condition_timeline(tetrapylon), today=today, right_to_left=True))
        for left_to_right, right_to_left in zip(english.iter(f"{SVG}text"), arabic.iter(f"{SVG}text"), strict=True):
            # The same anchor at the mirrored place: "start" is the right edge of a text read right to left.
            assert float(right_to_left.get("x")) == pytest.approx(WIDTH - float(left_to_right.get("x")), abs=0.01)
            assert right_to_left.get("text-anchor") == left_to_right.get("text-anchor")
        for left_to_right, right_to_left in zip(english.iter(f"{SVG}rect"), arabic.iter(f"{SVG}rect"), strict=True):
            if left_to_right.get("class", "").startswith("bar"):
                left = float(left_to_right.get("x"))
                right = left + float(left_to_right.get("width"))
                assert float(right_to_left.get("x")) == pytest.approx(WIDTH - right, abs=0.01)


def test_in_arabic_a_date_in_a_label_is_isolated_so_its_digits_keep_their_order(tetrapylon, events):
    root = parse(timeline_svg(condition_timeline(tetrapylon), today=TODAY, right_to_left=True))
    window = bars(root)["window"]
    # After Arabic letters, "2016-12-26/2017-01-10" would otherwise break at its dashes and reorder.
    assert "\u20682016-12-26/2017-01-10\u2069" in window.findtext(f"{SVG}title")
    label = window.findtext(f"{SVG}text")
    assert label.count("\u2068") == label.count("\u2069") == 1 and label.endswith("\u2069")
    english = bars(parse(timeline_svg(condition_timeline(tetrapylon), today=TODAY, right_to_left=False)))["window"]
    assert "\u2068" not in english.findtext(f"{SVG}text")
