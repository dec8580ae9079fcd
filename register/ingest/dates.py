"""Dates a sentence gives, absolute or relative to the report's publication date, as EDTF guesses.

Relative phrases resolve against the publication date: in a report of Thursday
2 March 2017, "Wednesday" is 2017-03-01, "last month" 2017-02, "in December" and
"last December" 2016-12, "last March" 2016-03. Without a publication date only
absolute phrases ("May 2015", "March 31, 2016") resolve; the others give "".
"""

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from dateutil.relativedelta import MO, relativedelta, weekday
from dateutil.relativedelta import weekdays as WEEKDAYS
from edtf import Date

_MONTHS = {name: number for number, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name: number for number, name in enumerate(calendar.month_abbr) if name})
_MONTHS["Sept"] = 9
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_WEEKDAY = rf"(?:{'|'.join(_WEEKDAY_NAMES)})"
_YEAR = r"(?:1[89]|20)\d{2}"

# Month and weekday names are capitalised, which keeps "may" and "march" the verbs out.
_PHRASE = re.compile(
    rf"""\b(?:
      (?P<day_month_year>(?P<d1>\d{{1,2}})\s+(?P<m1>{_MONTH})\s+(?P<y1>{_YEAR}))
    | (?P<month_day_year>(?P<m2>{_MONTH})\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y2>{_YEAR}))
    | (?P<month_year>(?P<m3>{_MONTH}),?\s+(?P<y3>{_YEAR}))
    | (?P<last_month_name>(?i:last|this\ past)\s+(?P<m4>{_MONTH})(?!,?\s+{_YEAR}))
    | (?P<in_month>(?i:in|since|until|by|early|late|mid-?|during)\s+(?P<m5>{_MONTH})(?!,?\s+\d))
    | (?P<relative>(?i:yesterday|today|(?:last|this|earlier\ this)\s+(?:week|month|year)))
    | (?P<weekday>(?P<last_weekday>(?i:last\s+))?(?P<wd>{_WEEKDAY}))
    | (?P<year>(?i:in|since|until|by|early|late|mid-?|during)\s+(?P<y4>{_YEAR}))
    )\b""",
    re.VERBOSE,
)


@dataclass(frozen=True)
class DateGuess:
    """A date phrase, its EDTF guess ("" when unresolved) and the first and last day that guess allows."""

    phrase: str
    start: int
    end: int
    edtf: str
    earliest: dt.date | None = None
    latest: dt.date | None = None


# The guess and its window are computed together, so storing a guess needs no EDTF parsing.
_Guess = tuple[str, dt.date | None, dt.date | None]
_NONE: _Guess = ("", None, None)


def _edtf(year: int, month: int | None = None, day: int | None = None) -> _Guess:
    text = str(Date(f"{year:04d}", f"{month:02d}" if month else None, f"{day:02d}" if day and month else None))
    if day and month:
        return text, dt.date(year, month, day), dt.date(year, month, day)
    if month:
        return text, dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
    return text, dt.date(year, 1, 1), dt.date(year, 12, 31)


def _day(day: dt.date) -> _Guess:
    return _edtf(day.year, day.month, day.day)


def _interval(start: dt.date, end: dt.date) -> _Guess:
    return f"{_day(start)[0]}/{_day(end)[0]}", start, end


def _month_number(name: str) -> int:
    return _MONTHS[name.rstrip(".")]


def _resolve(match: re.Match, published: dt.date | None) -> _Guess:
    kind = match.lastgroup
    if kind == "day_month_year":
        return _checked_day(int(match["y1"]), _month_number(match["m1"]), int(match["d1"]))
    if kind == "month_day_year":
        return _checked_day(int(match["y2"]), _month_number(match["m2"]), int(match["d2"]))
    if kind == "month_year":
        return _edtf(int(match["y3"]), _month_number(match["m3"]))
    if kind == "year":
        return _edtf(int(match["y4"]))
    if published is None:
        return _NONE
    try:
        return _resolve_against(kind, match, published)
    except (OverflowError, ValueError):
        # A phrase relative to a date at the calendar's ends ("last month" in year 1) names a day Python cannot hold.
        return _NONE


def _resolve_against(kind: str, match: re.Match, published: dt.date) -> _Guess:
    if kind == "last_month_name":
        month = _month_number(match["m4"])
        return _edtf(published.year if month < published.month else published.year - 1, month)
    if kind == "in_month":
        month = _month_number(match["m5"])
        return _edtf(published.year if month <= published.month else published.year - 1, month)
    if kind == "weekday":
        target: weekday = WEEKDAYS[_WEEKDAY_NAMES.index(match["wd"])]
        # The most recent such day on or before the report ("last Wednesday": strictly before).
        latest = published - dt.timedelta(days=1) if match["last_weekday"] else published
        return _day(latest + relativedelta(weekday=target(-1)))
    return _resolve_relative(" ".join(match["relative"].casefold().split()), published)


def _resolve_relative(phrase: str, published: dt.date) -> _Guess:
    if phrase == "today":
        return _day(published)
    if phrase == "yesterday":
        return _day(published - dt.timedelta(days=1))
    if phrase == "last month":
        previous = published - relativedelta(months=1)
        return _edtf(previous.year, previous.month)
    if phrase == "this month":
        return _edtf(published.year, published.month)
    if phrase == "earlier this month":
        return _interval(published.replace(day=1), published)
    if phrase == "last year":
        return _edtf(published.year - 1)
    if phrase == "this year":
        return _edtf(published.year)
    if phrase == "earlier this year":
        return _interval(published.replace(month=1, day=1), published)
    monday = published + relativedelta(weekday=MO(-1))
    if phrase == "last week":
        return _interval(monday - dt.timedelta(days=7), monday - dt.timedelta(days=1))
    if phrase in ("this week", "earlier this week"):
        return _interval(monday, published)
    return _NONE


def _checked_day(year: int, month: int, day: int) -> _Guess:
    try:
        return _day(dt.date(year, month, day))
    except ValueError:
        return _edtf(year, month)


def find_dates(text: str, published: dt.date | None) -> list[DateGuess]:
    """Return each date phrase in ``text`` with its EDTF guess ("" when it cannot be resolved)."""
    return [
        DateGuess(match.group().strip(), match.start(), match.end(), *_resolve(match, published))
        for match in _PHRASE.finditer(text)
    ]


def resolve(phrase: str, published: dt.date | None) -> str:
    """Return the EDTF guess for the first date in ``phrase``, or "" when there is none or it cannot be resolved."""
    match = _PHRASE.search(phrase)
    return _resolve(match, published)[0] if match else ""
