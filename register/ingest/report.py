"""One received text read as a report: header, cleaned body, dateline, byline, publisher and outlet."""

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from register.ingest import furniture, header
from register.ingest.furniture import Removed
from register.ingest.sources import agency_slug

TITLE_MAX = 500
BYLINE_MAX = 300
DATELINE_MAX = 200
# The register's reports are modern news; a header date before this is a typing slip or a forgery.
EARLIEST_PLAUSIBLE = dt.date(1900, 1, 1)
# Characters that change how text displays without being read: bidirectional embeddings, overrides and
# isolates, and controls other than tab and line feed. The marks Arabic text needs (U+200E, U+200F, the
# zero-width joiners) are not among them.
_HIDDEN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class Report:
    title: str
    published: dt.date | None
    dateline: str
    byline: str
    publisher: str
    carried_by: str
    # The furniture the outlet was inferred from ("NOW WATCH:"); "" when the text names the outlet, or none.
    outlet_clue: str
    # Whether the publisher was inferred from the style of closing credits rather than named.
    publisher_guessed: bool
    body: str
    removed: tuple[Removed, ...]
    review_notes: tuple[str, ...]

    @property
    def needs_review(self) -> bool:
        return bool(self.review_notes)


def truncate(text: str, limit: int) -> str:
    """Return ``text`` cut to ``limit`` characters, an ellipsis marking the cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def date_note(published: dt.date, date_text: str, today: dt.date, *, in_header: bool = True) -> str | None:
    """Return why a curator should check the date (the header's, else the document's), or None when plausible."""
    # One day's grace: a report dated tomorrow where it was published may arrive today here.
    if published > today + dt.timedelta(days=1):
        if in_header:
            return _("The header's date %(date)s is in the future: check it.") % {"date": date_text}
        return _("The publication date %(date)s is in the future: check it.") % {"date": date_text}
    if published < EARLIEST_PLAUSIBLE:
        if in_header:
            return _("The header's date %(date)s is before 1900: check it.") % {"date": date_text}
        return _("The publication date %(date)s is before 1900: check it.") % {"date": date_text}
    return None


def hidden_note(text: str) -> str | None:
    """Return a note naming the first character that changes how the text displays, and how many there are."""
    first = _HIDDEN.search(text)
    if first is None:
        return None
    count = sum(1 for _match in _HIDDEN.finditer(text, first.start()))
    character = first.group()
    name = f"U+{ord(character):04X} {unicodedata.name(character, '')}".strip()
    return ngettext(
        "The text holds %(count)s control or text-direction character (%(name)s on line %(line)s): it can make "
        "the text display otherwise than it reads; check it.",
        "The text holds %(count)s control or text-direction characters (the first, %(name)s, on line %(line)s): "
        "they can make the text display otherwise than it reads; check it.",
        count,
    ) % {"count": count, "name": name, "line": text.count("\n", 0, first.start()) + 1}


@dataclass(frozen=True)
class Story:
    """A story's body without furniture, and who its text says wrote and carried it ("" where it does not say).

    ``outlet_clue`` is the furniture a carrying outlet was only inferred from ("NOW WATCH:"), "" where the text
    names the outlet (a credit line) or names none; ``publisher_guessed`` whether the publisher was inferred from
    the style of the closing credits (Reuters') rather than named in a credit line or dateline.
    """

    body: str
    removed: tuple[Removed, ...]
    dateline: str
    byline: str
    publisher: str
    carried_by: str
    outlet_clue: str
    publisher_guessed: bool


def read_story(text: str) -> Story:
    """Return the story without its page furniture, with its dateline, byline, publisher and carrying outlet.

    ``publisher`` is an agency slug ("afp") or ""; ``carried_by`` the carrying outlet's name as printed.
    """
    cleaned = furniture.clean(text)
    dateline = header.find_dateline(cleaned.body)
    byline, reuters_credits = header.find_byline(cleaned.body)

    # The credit line names the agency and the outlet; failing that the dateline names the agency.
    publisher, carried_by = "", ""
    for credit in cleaned.credits:
        publisher, carried_by = agency_slug(credit.agency) or "", credit.outlet
        break
    if not publisher and dateline and dateline.agency:
        publisher = dateline.agency
    publisher_guessed = False
    if not publisher and reuters_credits:
        publisher, publisher_guessed = "reuters", True
    outlet_clue = ""
    if not carried_by and cleaned.outlet_hints:
        carried_by, outlet_clue = cleaned.outlet_hints[0].outlet, cleaned.outlet_hints[0].clue
    return Story(
        body=cleaned.body,
        removed=cleaned.removed,
        dateline=truncate(dateline.text, DATELINE_MAX) if dateline else "",
        byline=truncate(byline, BYLINE_MAX),
        publisher=publisher,
        carried_by=carried_by,
        outlet_clue=outlet_clue,
        publisher_guessed=publisher_guessed,
    )


def outlet_guess_note(outlet: str, clue: str) -> str:
    """Return why a curator should confirm an outlet the importer inferred: from furniture (``clue``) or site name."""
    if clue:
        return _("The outlet %(outlet)s was inferred from page furniture (“%(clue)s”); confirm it or remove it.") % {
            "outlet": outlet,
            "clue": clue,
        }
    return _(
        "The outlet %(outlet)s was taken from the page's site name, not named in the text; confirm it or remove it."
    ) % {"outlet": outlet}


def publisher_guess_note(publisher: str, *, from_site_name: bool) -> str:
    """Return why a curator should confirm a publisher the importer took from the page's site name or credits."""
    if from_site_name:
        return _(
            "The publisher %(publisher)s was taken from the page's site name, not named in the text; confirm it or "
            "change it."
        ) % {"publisher": publisher}
    return _(
        "The publisher %(publisher)s was inferred from the style of the closing credits, not named in the text; "
        "confirm it or change it."
    ) % {"publisher": publisher}


def read_report(text: str, *, today: dt.date | None = None) -> Report:
    """Return what the text says about itself, its body without furniture, and what a curator should check.

    ``publisher`` is an agency slug ("afp") or "" when none is recognised; ``carried_by``
    is the carrying outlet's name as printed ("Pulse News Agency International") or "".
    ``today`` (by default the system's date) is what a header date later than is implausible.
    """
    notes = []
    head = header.split_header(text)
    story_text = text[head.end :] if head else text

    published, title = (head.published, head.title) if head else (None, "")
    if head and head.published is None:
        notes.append(_("The header's date %(date)s is not a calendar date.") % {"date": head.date_text})
    elif not head:
        notes.append(_("No date line: the publication date and title are unknown."))
    elif note := date_note(head.published, head.date_text, today or dt.date.today()):
        notes.append(note)
    if head and not title:
        notes.append(_("The header gives no title."))
    if len(title) > TITLE_MAX:
        notes.append(_("The title was cut to %(limit)s characters.") % {"limit": TITLE_MAX})
    if note := hidden_note(text):
        notes.append(note)

    story = read_story(story_text)
    if not story.publisher:
        notes.append(_("No agency or publisher recognised in a credit line or dateline."))
    if not story.body:
        notes.append(_("Nothing is left once page furniture is removed."))

    return Report(
        title=truncate(title, TITLE_MAX),
        published=published,
        dateline=story.dateline,
        byline=story.byline,
        publisher=story.publisher,
        carried_by=story.carried_by,
        outlet_clue=story.outlet_clue,
        publisher_guessed=story.publisher_guessed,
        body=story.body,
        removed=story.removed,
        review_notes=tuple(notes),
    )
