"""The server draws a monument's timeline as SVG: windows as wide bars, incidents and restorations told apart."""

import datetime as dt
import xml.etree.ElementTree as ET

import pytest

from register.models import Restoration
from register.services.condition import condition_timeline
from register.services.timeline_svg import MARGIN, MIN_BAR_WIDTH, WIDTH, timeline_svg

SVG = "{http://www.w3.org/2000/svg}"
TODAY = dt.date(2019, 12, 31)

pytestmark = pytest.mark.django_db


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - the server's own output, not untrusted input


def bars(root: ET.Element) -> dict[str, ET.Element]:
    return {link.get("data-slug"): link for link in root.iter(f"{SVG}a")}


def x_of(day: dt.date, start: dt.date, end: dt.date) -> float:
    return MARGIN + (day - start).days * (WIDTH - 2 * MARGIN) / ((end - start).days + 1)


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
    )
    make_evidence(restoration, quote="The new destruction was condemned")
    return window, single, restoration


def test_an_uncertain_window_is_a_bar_from_its_earliest_to_its_latest_day(tetrapylon, events):
    root = parse(timeline_svg(condition_timeline(tetrapylon), today=TODAY))
    start, end = dt.date(2015, 8, 23), TODAY
    rect = bars(root)["window"].find(f"{SVG}rect")
    day = (WIDTH - 2 * MARGIN) / ((end - start).days + 1)
    assert float(rect.get("x")) == pytest.approx(x_of(dt.date(2016, 12, 26), start, end), abs=0.01)
    assert float(rect.get("width")) == pytest.approx(16 * day, abs=0.01)
    assert "window" in rect.get("class")


def test_the_axis_runs_from_the_first_earliest_day_to_today(tetrapylon, events):
    root = parse(timeline_svg(condition_timeline(tetrapylon), today=TODAY))
    assert root.get("data-start") == "2015-08-23"
    assert root.get("data-end") == "2019-12-31"
    first = bars(root)["single-day"].find(f"{SVG}rect")
    assert float(first.get("x")) == MARGIN
    axis = root.find(f"{SVG}line[@class='axis']")
    assert float(axis.get("x2")) == pytest.approx(WIDTH - MARGIN, abs=0.01)
    assert [tick.findtext(f"{SVG}text") for tick in root.iter(f"{SVG}g") if tick.get("class") == "tick"] == [
        "2016",
        "2017",
        "2018",
        "2019",
    ]


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
    labels = [tick.findtext(f"{SVG}text") for tick in root.iter(f"{SVG}g") if tick.get("class") == "tick"]
    assert labels == ["Apr 2017", "Jul 2017"]


def test_no_event_draws_nothing(tetrapylon):
    assert timeline_svg([], today=TODAY) == ""
