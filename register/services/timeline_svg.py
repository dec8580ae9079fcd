"""A monument's timeline as an inline SVG drawn by the server, readable without JavaScript.

The axis is fitted to the events: it runs from the first of January of the first event's year to the end of the
last event's year, every year labelled from the first where there is room (every second or fifth year otherwise,
always counting from the first). Today is marked at the axis's far end: in place when it falls within a year of
the last event, else after a break in the axis, so a register whose events ended years ago spends its width on the
events and not on empty years.

Time runs in the reading direction of the language: left to right in English, right to left in Arabic, where the
first year stands at the right-hand end and today at the left. The geometry is worked out along the reading
direction and mirrored at the end; the labels keep their anchors, since an SVG text's "start" is its right edge
when its direction is right to left.

Each event is a bar over its whole uncertain window, so "between 26 December and 10 January" is drawn as that
window, and a single day as a narrow mark. Incidents, restorations and assessments differ in shape and label as
well as colour: incidents are square-cornered bars marked with a triangle, restorations rounded bars marked with
a circle, assessments bars marked with a diamond.

The drawing is narrow (WIDTH units) and scales with its viewBox to the width of the page, so on a phone its
labels stay near their drawn size; each label is placed where its estimated width fits inside the drawing. The
legend is the page's (an HTML list that wraps), not the drawing's.
"""

import datetime as dt
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _

from register.models.vocabularies import Condition
from register.services.condition import ConditionChange
from register.templatetags.register_pages import when_words

WIDTH = 380
MARGIN = 12
ROW_HEIGHT = 40
BAR_HEIGHT = 12
TOP = 8
AXIS_HEIGHT = 40
LABEL_SIZE = 13
TICK_SIZE = 11
# A text's width in units, per character and unit of font size: generous, so a label never runs off the drawing.
CHARACTER_WIDTH = 0.6
# Where today is years after the last event, the axis breaks and today stands this far beyond its end.
BREAK_WIDTH = 44
# A year label needs this much room, so neighbouring labels never touch.
YEAR_LABEL_ROOM = 34
# A single day would be a hairline at this scale; widen it to a visible mark.
MIN_BAR_WIDTH = 4.0


def _number(value: float) -> str:
    # Never through Django's localised number formatting: an SVG coordinate takes a dot.
    return f"{value:.2f}".rstrip("0").rstrip(".")


# Bidirectional isolates and marks take no room.
INVISIBLE = str.maketrans("", "", "\u2066\u2067\u2068\u2069\u200e\u200f")


def text_width(text: str, size: float) -> float:
    """Return an estimate of a text's width in units, on the generous side."""
    return len(text.translate(INVISIBLE)) * size * CHARACTER_WIDTH


@dataclass(frozen=True)
class Bar:
    change: ConditionChange
    category: str
    x: str
    width: str
    y: str
    height: str
    marker_x: str
    marker_y: str
    label: str
    label_x: str
    label_y: str
    label_anchor: str
    title: str
    is_window: bool


@dataclass(frozen=True)
class Tick:
    x: str
    label: str
    is_year: bool
    anchor: str


def _tick(x: float, label: str, *, is_year: bool, place) -> Tick:
    """Return a tick whose label is centred on it, or kept inside the drawing at either edge."""
    half = text_width(label, TICK_SIZE) / 2
    anchor = "start" if x - half < 0 else "end" if x + half > WIDTH else "middle"
    return Tick(place(x), label, is_year, anchor)


@dataclass(frozen=True)
class Layout:
    width: int
    height: int
    bars: list[Bar]
    ticks: list[Tick]
    axis_y: str
    axis_start: dt.date
    axis_end: dt.date
    axis_start_x: str
    axis_end_x: str
    today: dt.date
    today_x: str
    today_label: str
    today_anchor: str
    is_broken: bool
    break_path: str
    break_line_x: str
    description: str
    categories: list[str]
    has_windows: bool
    direction: str


def _year_step(year_width: float) -> int:
    """Return every how many years a label fits: 1, 2, 5, 10, 20, 50, ..."""
    step, factors = 1, [2, 2.5, 2]
    while step * year_width < YEAR_LABEL_ROOM:
        step = round(step * factors[0])
        factors = factors[1:] + factors[:1]
    return step


def _ticks(start: dt.date, end: dt.date, x_of, place) -> list[Tick]:
    """Return a tick on the first of January of every year of the axis, labelled every step; quarters if room."""
    years = range(start.year, end.year + 1)
    year_width = (x_of(dt.date(start.year + 1, 1, 1)) - x_of(start)) if len(years) > 1 else WIDTH
    step = _year_step(year_width)
    ticks = []
    for year in years:
        label = str(year) if (year - start.year) % step == 0 else ""
        ticks.append(_tick(x_of(dt.date(year, 1, 1)), label, is_year=True, place=place))
        # A short axis is marked in quarters too, so it is never bare.
        if year < end.year and year_width >= 6 * YEAR_LABEL_ROOM:
            for month in (4, 7, 10):
                day = dt.date(year, month, 1)
                ticks.append(_tick(x_of(day), date_format(day, "M"), is_year=False, place=place))
    return ticks


def _category(event) -> str:
    return event._meta.model_name


def _category_label(category: str) -> str:
    return {"incident": _("Incident"), "restoration": _("Restoration"), "assessment": _("Assessment")}[category]


def _isolated(text: str, *, right_to_left: bool) -> str:
    """Return a date or EDTF value isolated from the sentence around it when that sentence reads right to left.

    After Arabic letters, digits count as Arabic numbers and "2016-12/2017-01" would break at its dashes and read
    "01-12/2017-2016"; first-strong isolates (U+2068, U+2069) keep it whole, in its own direction.
    """
    return f"\u2068{text}\u2069" if right_to_left else text


def _describe(change: ConditionChange, *, right_to_left: bool = False) -> str:
    event = change.event
    return _("%(category)s: %(kind)s, %(when)s (%(edtf)s). Condition after: %(condition)s.") % {
        "category": _category_label(_category(event)),
        "kind": event.get_kind_display(),
        "when": _isolated(when_words(change.earliest, change.latest), right_to_left=right_to_left),
        "edtf": _isolated(event.when, right_to_left=right_to_left),
        "condition": Condition(change.condition).label,
    }


def _label(change: ConditionChange, room: float, *, right_to_left: bool = False) -> str:
    """Return a bar's label: what happened and when, in words where they fit the drawing, else in EDTF."""
    event = change.event
    when = when_words(change.earliest, change.latest, event.when, short=True)
    words = _("%(kind)s · %(when)s") % {
        "kind": event.get_kind_display(),
        "when": _isolated(when, right_to_left=right_to_left),
    }
    if text_width(words, LABEL_SIZE) <= room:
        return words
    return _("%(kind)s · %(when)s") % {
        "kind": event.get_kind_display(),
        "when": _isolated(event.when, right_to_left=right_to_left),
    }


def _axis(changes: list[ConditionChange], today: dt.date) -> tuple[dt.date, dt.date, bool]:
    """Return the axis's first and last day (whole years about the events) and whether it breaks before today."""
    start = dt.date(min(change.earliest for change in changes).year, 1, 1)
    end = dt.date(max(change.latest for change in changes).year + 1, 1, 1)
    if today < end:
        return start, end, False
    if today.year == end.year:
        # Today is in the year after the last event: that year joins the axis rather than a break of months.
        return start, dt.date(today.year + 1, 1, 1), False
    return start, end, True


def timeline_layout(
    changes: list[ConditionChange], *, today: dt.date, right_to_left: bool | None = None
) -> Layout | None:
    """Return the geometry of the timeline, or None when there is no event to draw.

    Time runs right to left when ``right_to_left`` is true; left out, the active language decides.
    """
    if not changes:
        return None
    if right_to_left is None:
        right_to_left = get_language_bidi()
    # Positions are worked out along the reading direction, then placed: mirrored about the middle in RTL.
    sign = -1 if right_to_left else 1

    def place(x: float) -> str:
        return _number(WIDTH - x if right_to_left else x)

    start, end, is_broken = _axis(changes, today)
    right = WIDTH - MARGIN
    axis_right = right - BREAK_WIDTH if is_broken else right
    day_width = (axis_right - MARGIN) / (end - start).days

    def x_at(day: dt.date) -> float:
        return MARGIN + (day - start).days * day_width

    bars = []
    for row, change in enumerate(changes):
        x = x_at(change.earliest)
        width = ((change.latest - change.earliest).days + 1) * day_width
        if width < MIN_BAR_WIDTH:
            width = MIN_BAR_WIDTH
            x = min(x, axis_right - width)
        top = TOP + row * ROW_HEIGHT
        label = _label(change, right - MARGIN - 16, right_to_left=right_to_left)
        label_width = text_width(label, LABEL_SIZE)
        # The label reads from the bar's start where it fits, else ends at the bar's end, else reads from as near
        # the bar as it fits; the shape that tells the kind of record apart sits beside it, above the bar.
        if x + 16 + label_width <= right:
            anchor, label_x, marker_x = "start", x + 16, x + 6
        elif x + width - 16 - label_width >= MARGIN:
            anchor, label_x, marker_x = "end", x + width - 16, x + width - 6
        else:
            label_x = max(MARGIN + 16, right - label_width)
            anchor, marker_x = "start", label_x - 10
        bars.append(
            Bar(
                change=change,
                category=_category(change.event),
                x=place(x + width if right_to_left else x),
                width=_number(width),
                y=_number(top + 20),
                height=_number(BAR_HEIGHT),
                marker_x=place(marker_x),
                marker_y=_number(top + 9),
                label=label,
                label_x=place(label_x),
                label_y=_number(top + 14),
                label_anchor=anchor,
                title=_describe(change, right_to_left=right_to_left),
                is_window=change.earliest != change.latest,
            )
        )
    axis_y = TOP + len(changes) * ROW_HEIGHT + 4
    categories = list(dict.fromkeys(bar.category for bar in bars))
    today_x = right if is_broken else x_at(today)
    break_x = axis_right + BREAK_WIDTH / 2
    today_label = _("today, %(date)s") % {"date": date_format(today, "M Y")}
    return Layout(
        width=WIDTH,
        height=axis_y + AXIS_HEIGHT,
        bars=bars,
        ticks=_ticks(start, end, x_at, place),
        axis_y=_number(axis_y),
        axis_start=start,
        axis_end=end,
        axis_start_x=place(MARGIN),
        axis_end_x=place(axis_right),
        today=today,
        today_x=place(today_x),
        today_label=today_label,
        today_anchor="end" if today_x - text_width(today_label, TICK_SIZE) >= 0 else "start",
        is_broken=is_broken,
        # Two strokes across the axis where the empty years are left out, slanting forward in the reading direction.
        break_path=(
            f"M{place(break_x - 9)} {_number(axis_y + 6)} l{6 * sign} -12 m{4 * sign} 12 l{6 * sign} -12"
            if is_broken
            else ""
        ),
        break_line_x=place(break_x + 9),
        description=_("From %(start)s to %(end)s: %(count)s events, the uncertain ones drawn over their whole window.")
        % {
            "start": date_format(min(change.earliest for change in changes), "j F Y"),
            "end": date_format(max(change.latest for change in changes), "j F Y"),
            "count": len(changes),
        },
        categories=categories,
        has_windows=any(bar.is_window for bar in bars),
        direction="rtl" if right_to_left else "ltr",
    )


def timeline_svg(changes: list[ConditionChange], *, today: dt.date, right_to_left: bool | None = None) -> SafeString:
    """Return the timeline as an inline SVG element (empty when there is no event)."""
    layout = timeline_layout(changes, today=today, right_to_left=right_to_left)
    if layout is None:
        return SafeString("")
    return render_to_string("register/_timeline.svg", {"layout": layout})
