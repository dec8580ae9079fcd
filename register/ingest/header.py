"""What a report says about itself: the header line, the dateline and the byline."""

import datetime as dt
import re
from dataclasses import dataclass

from register.ingest.sources import agency_names, agency_slug

_AGENCIES = "|".join(re.escape(name) for name in agency_names())

# The first line curators' files may carry: "date 2017-03-02 In Syria Army advances ...". The title takes the
# rest of the line, stripped afterwards: a lazy title before optional blanks is quadratic in a run of blanks.
_HEADER = re.compile(r"\A\s*date:?[ \t]+(?P<date>\d{4}-\d{2}-\d{2})(?:[ \t](?P<title>[^\n]*))?(?:\n|\Z)", re.IGNORECASE)
# "BEIRUT (Reuters) - ", "DAMASCUS, Syria (AP) — ", "Damascus (AFP) - ", "PALMYRA, Syria — ".
_DATELINE_AGENCY = re.compile(
    rf"\A(?P<place>[A-Z][\w'.\- ]{{1,40}}?(?:,\s+[A-Z][\w'.\- ]{{1,40}}?)?)"
    rf"\s*\((?P<agency>{_AGENCIES})\)\s*[-–—]{{1,2}}\s"
)
_DATELINE_PLACE = re.compile(
    r"\A(?P<place>[A-Z][A-Z'.\-]{2,}(?: [A-Z][A-Z'.\-]+)*(?:,\s+[A-Z][\w.\- ]{1,40}?)?)\s+[-–—]{1,2}\s"
)
# Longer than any dateline the patterns match with ordinary spacing.
_DATELINE_MAX = 300
# Reuters closes with "(Reporting by ...; Editing by ...)"; other copy opens with "By Name".
_CREDITS_LINE = re.compile(r"^\((?P<credits>(?:Additional )?[Rr]eporting by [^()\n]+)\)$", re.MULTILINE)
_BY_LINE = re.compile(r"\A(?:By|BY) (?P<names>[A-Z][\w.'’\- ]{2,120})$", re.MULTILINE)


@dataclass(frozen=True)
class Header:
    published: dt.date | None
    title: str
    date_text: str
    end: int


@dataclass(frozen=True)
class Dateline:
    text: str
    agency: str | None


def split_header(text: str) -> Header | None:
    """Return the ``date YYYY-MM-DD Title`` line when the text opens with one, and where it ends."""
    match = _HEADER.match(text)
    if not match:
        return None
    try:
        published = dt.date.fromisoformat(match["date"])
    except ValueError:
        published = None
    return Header(published=published, title=(match["title"] or "").strip(), date_text=match["date"], end=match.end())


def find_dateline(body: str) -> Dateline | None:
    """Return the dateline the story opens with ("BEIRUT (Reuters)"), with the agency slug it names."""
    # The patterns try each length of the place against the blanks after it: the opening is all they need.
    body = body[:_DATELINE_MAX]
    if match := _DATELINE_AGENCY.match(body):
        place = re.sub(r"\s+", " ", match["place"]).strip()
        return Dateline(text=f"{place} ({match['agency']})", agency=agency_slug(match["agency"]))
    if match := _DATELINE_PLACE.match(body):
        return Dateline(text=re.sub(r"\s+", " ", match["place"]).strip(), agency=None)
    return None


def find_byline(body: str) -> tuple[str, bool]:
    """Return the byline, and whether it is Reuters' closing credits (which only Reuters prints)."""
    if match := _CREDITS_LINE.search(body):
        return re.sub(r"\s+", " ", match["credits"]).strip(), True
    if (match := _BY_LINE.search(body)) and not agency_slug(match["names"]):
        return match["names"].strip(), False
    return "", False
