"""One received text read as a report: header, cleaned body, dateline, byline, publisher and outlet."""

import datetime as dt
from dataclasses import dataclass

from register.ingest import furniture, header
from register.ingest.furniture import Removed
from register.ingest.sources import agency_slug

TITLE_MAX = 500
BYLINE_MAX = 300
DATELINE_MAX = 200


@dataclass(frozen=True)
class Report:
    title: str
    published: dt.date | None
    dateline: str
    byline: str
    publisher: str
    carried_by: str
    body: str
    removed: tuple[Removed, ...]
    review_notes: tuple[str, ...]

    @property
    def needs_review(self) -> bool:
        return bool(self.review_notes)


def _truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def read_report(text: str) -> Report:
    """Return what the text says about itself, its body without furniture, and what a curator should check.

    ``publisher`` is an agency slug ("afp") or "" when none is recognised; ``carried_by``
    is the carrying outlet's name as printed ("Pulse News Agency International") or "".
    """
    notes = []
    head = header.split_header(text)
    story = text[head.end :] if head else text
    cleaned = furniture.clean(story)

    published, title = (head.published, head.title) if head else (None, "")
    if head and head.published is None:
        notes.append(f"The header's date {head.date_text} is not a calendar date.")
    elif not head:
        notes.append("No date line: the publication date and title are unknown.")
    if head and not title:
        notes.append("The header gives no title.")
    if len(title) > TITLE_MAX:
        notes.append("The title was cut to 500 characters.")

    dateline = header.find_dateline(cleaned.body)
    byline, reuters_credits = header.find_byline(cleaned.body)

    # The credit line names the agency and the outlet; failing that the dateline names the agency.
    publisher, carried_by = "", ""
    for credit in cleaned.credits:
        publisher, carried_by = agency_slug(credit.agency) or "", credit.outlet
        break
    if not publisher and dateline and dateline.agency:
        publisher = dateline.agency
    if not publisher and reuters_credits:
        publisher = "reuters"
    if not carried_by and cleaned.outlet_hints:
        carried_by = cleaned.outlet_hints[0]
    if not publisher:
        notes.append("No agency or publisher recognised in a credit line or dateline.")
    if not cleaned.body:
        notes.append("Nothing is left once page furniture is removed.")

    return Report(
        title=_truncate(title, TITLE_MAX),
        published=published,
        dateline=_truncate(dateline.text, DATELINE_MAX) if dateline else "",
        byline=_truncate(byline, BYLINE_MAX),
        publisher=publisher,
        carried_by=carried_by,
        body=cleaned.body,
        removed=cleaned.removed,
        review_notes=tuple(notes),
    )
