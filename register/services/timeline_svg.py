"""A monument's timeline as an inline SVG drawn by the server, readable without JavaScript.

The axis runs from the first event's earliest possible day to today. Each
event is a bar over its whole uncertain window, so "between 26 December and
10 January" is drawn as that window, and a single day as a narrow mark.
Incidents, restorations and assessments differ in shape and label as well as
colour: incidents are square-cornered bars marked with a triangle, restorations
are rounded bars marked with a circle, assessments are bars marked with a
diamond.
"""

import datetime as dt
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from register.models.vocabularies import Condition
from register.services.condition import ConditionChange

WIDTH = 800
MARGIN = 16
ROW_HEIGHT = 44
BAR_HEIGHT = 14
TOP = 8
AXIS_HEIGHT = 34
LEGEND_HEIGHT = 28
# A single day would be a hairline at this scale; widen it to a visible mark.
MIN_BAR_WIDTH = 4.0


def _number(value: float) -> str:
    # Never through Django's localised number formatting: an SVG coordinate takes a dot.
    return f"{value:.2f}".rstrip("0").rstrip(".")


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


@dataclass(frozen=True)
class Layout:
    width: int
    height: int
    bars: list[Bar]
    ticks: list[Tick]
    axis_y: str
    axis_start: dt.date
    axis_end: dt.date
    today_x: str
    legend_y: str
    description: str


def _ticks(start: dt.date, end: dt.date, x_of) -> list[Tick]:
    days = (end - start).days
    ticks = []
    if days <= 2 * 366:
        # Quarters for a short span, so the axis is never bare.
        day = dt.date(start.year, 1 + 3 * ((start.month - 1) // 3), 1)
        while day <= end:
            if day > start:
                ticks.append(Tick(x_of(day), date_format(day, "M Y")))
            month = day.month + 3
            day = dt.date(day.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)
        return ticks
    years = end.year - start.year
    step = 1 if years <= 12 else 5 if years <= 60 else 10 * (1 + years // 120)
    for year in range(start.year + 1, end.year + 1):
        if year % step == 0:
            ticks.append(Tick(x_of(dt.date(year, 1, 1)), str(year)))
    return ticks


def _describe(change: ConditionChange) -> str:
    event = change.event
    if change.earliest == change.latest:
        when = date_format(change.earliest, "j F Y")
    else:
        when = _("between %(earliest)s and %(latest)s") % {
            "earliest": date_format(change.earliest, "j F Y"),
            "latest": date_format(change.latest, "j F Y"),
        }
    category = {"incident": _("Incident"), "restoration": _("Restoration"), "assessment": _("Assessment")}[
        event._meta.model_name
    ]
    return _("%(category)s: %(kind)s, %(when)s (%(edtf)s). Condition after: %(condition)s.") % {
        "category": category,
        "kind": event.get_kind_display(),
        "when": when,
        "edtf": event.when,
        "condition": Condition(change.condition).label,
    }


def timeline_layout(changes: list[ConditionChange], *, today: dt.date) -> Layout | None:
    """Return the geometry of the timeline, or None when there is no event to draw."""
    if not changes:
        return None
    start = min(change.earliest for change in changes)
    end = max(today, *(change.latest for change in changes))
    plot_width = WIDTH - 2 * MARGIN
    day_width = plot_width / ((end - start).days + 1)

    def x_at(day: dt.date) -> float:
        return MARGIN + (day - start).days * day_width

    bars = []
    for row, change in enumerate(changes):
        x = x_at(change.earliest)
        width = ((change.latest - change.earliest).days + 1) * day_width
        if width < MIN_BAR_WIDTH:
            width = MIN_BAR_WIDTH
            x = min(x, WIDTH - MARGIN - width)
        top = TOP + row * ROW_HEIGHT
        bar_y = top + 20
        # Labels read from the bar's start, or end at the bar's end in the right half of the axis; the
        # shape that tells an incident from a restoration sits at that edge, above the bar, clear of it.
        right_half = x + width / 2 > WIDTH / 2
        marker_x = x + width - 6 if right_half else x + 6
        label_x = x + width - 16 if right_half else x + 16
        event = change.event
        bars.append(
            Bar(
                change=change,
                category=event._meta.model_name,
                x=_number(x),
                width=_number(width),
                y=_number(bar_y),
                height=_number(BAR_HEIGHT),
                marker_x=_number(marker_x),
                marker_y=_number(top + 9),
                label=f"{event.get_kind_display()} · {event.when}",
                label_x=_number(label_x),
                label_y=_number(top + 14),
                label_anchor="end" if right_half else "start",
                title=_describe(change),
                is_window=change.earliest != change.latest,
            )
        )
    axis_y = TOP + len(changes) * ROW_HEIGHT + 4
    return Layout(
        width=WIDTH,
        height=axis_y + AXIS_HEIGHT + LEGEND_HEIGHT,
        bars=bars,
        ticks=_ticks(start, end, lambda day: _number(x_at(day))),
        axis_y=_number(axis_y),
        axis_start=start,
        axis_end=end,
        today_x=_number(x_at(today) + day_width),
        legend_y=_number(axis_y + AXIS_HEIGHT + 4),
        description=_("From %(start)s to %(end)s: %(count)s events, the uncertain ones drawn over their whole window.")
        % {
            "start": date_format(start, "j F Y"),
            "end": date_format(end, "j F Y"),
            "count": len(changes),
        },
    )


def timeline_svg(changes: list[ConditionChange], *, today: dt.date) -> SafeString:
    """Return the timeline as an inline SVG element (empty when there is no event)."""
    layout = timeline_layout(changes, today=today)
    if layout is None:
        return SafeString("")
    return render_to_string("register/_timeline.svg", {"layout": layout})
