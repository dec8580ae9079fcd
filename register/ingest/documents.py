"""A web page or a PDF read as a register document: its body, pages, metadata, publisher, kind, and what to check.

``report`` does this for a plain-text report from its header line; here the
metadata come from the page or the PDF, and the body from the text extracted.
A PDF's body is its pages' texts, each trimmed, a blank line between pages, and
``page_starts`` gives where each page starts in it, so a quote's position names
its page. The kind of document (news report, satellite imagery assessment, ...)
is guessed from its address and words, for a curator to confirm.
"""

import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

from register.ingest.budget import checkpoint
from register.ingest.dates import find_dates
from register.ingest.formats import FileFormat
from register.ingest.html import WebPage
from register.ingest.pdf import PdfText
from register.ingest.report import TITLE_MAX, date_note, hidden_note, read_story, truncate
from register.ingest.sources import known_slug
from register.models.vocabularies import DocumentKind

PAGE_SEPARATOR = "\n\n"
URL_MAX = 1000
LANGUAGE_MAX = 20
PROVIDER_MAX = 200
# Where a document says what it is: its title and opening, not a passing mention further on.
_OPENING = 3000
_SOCIAL_HOSTS = (
    "twitter.com",
    "x.com",
    "facebook.com",
    "instagram.com",
    "t.me",
    "telegram.me",
    "youtube.com",
    "tiktok.com",
    "vk.com",
    "mastodon.social",
    "bsky.app",
)
# Checked in this order: an imagery assessment often calls itself a report, and a survey a statement.
_KIND_CUES: tuple[tuple[str, re.Pattern], ...] = (
    (
        DocumentKind.IMAGERY_ASSESSMENT,
        re.compile(
            r"\bUNOSAT\b|\bsatellite[- ](?:imagery|images?)[- ](?:based\s+)?(?:damage\s+)?(?:assessment|analysis)\b"
            r"|\bsatellite[- ]detected\b|\bdamage assessment\b.{0,80}\bsatellite\b",
            re.IGNORECASE,
        ),
    ),
    (
        DocumentKind.FIELD_SURVEY,
        re.compile(r"\bfield (?:survey|visit|mission|assessment)\b|\bsite visit\b|\bon-site assessment\b", re.I),
    ),
    (
        DocumentKind.SCHOLARLY_PUBLICATION,
        re.compile(r"\bdoi\.org/|\bDOI:\s*10\.\d|\bJournal of\b|\bAbstract\b.{0,4000}\bReferences\b", re.I | re.S),
    ),
    (
        DocumentKind.OFFICIAL_STATEMENT,
        re.compile(r"\b(?:press (?:release|statement)|official statement|statement by the Director-General)\b", re.I),
    ),
)
_SCHOLARLY_TYPES = frozenset({"scholarlyarticle", "scholarly-article", "report-scholarly"})
# Satellites and imagery providers as assessments name them.
_PROVIDER = re.compile(
    r"\b(?:WorldView-?\d|GeoEye-?\d|Pl[ée]iades(?: Neo)?|SPOT[- ]?\d|KOMPSAT-?\d\w?|SkySat|Sentinel-?2\w?"
    r"|DigitalGlobe|Maxar(?: Technologies)?|Airbus(?: DS| Defence and Space)?|Planet Labs|Planet)\b"
)
_IMAGE_WORD = re.compile(r"\bimage(?:s|ry)?\b", re.IGNORECASE)
# A full stop before a blank, or a blank line: a PDF's lines break inside sentences.
_SENTENCE_BREAK = re.compile(r"\.\s|\n\s*\n")


@dataclass(frozen=True)
class Document:
    """What the register stores for one web page or PDF, whatever format it came in."""

    format: FileFormat
    raw_text: str
    encoding: str
    body: str
    page_starts: tuple[int, ...]
    title: str
    published: dt.date | None
    dateline: str
    byline: str
    # A known source's slug ("afp", "unitar"), or "" when none is recognised.
    publisher: str
    # The site's name as it calls itself, the publisher where no agency or known source is named.
    site_name: str
    carried_by: str
    # The importer's guesses, for a curator to confirm: a publisher taken from the site's name rather than the
    # text, an outlet inferred from furniture (``outlet_clue``, "NOW WATCH:") or from the site's name ("").
    publisher_guessed: bool
    publisher_from_site_name: bool
    carried_by_guessed: bool
    outlet_clue: str
    url: str
    language: str
    kind: str
    imagery_provider: str
    imagery_dates: tuple[dt.date, ...]
    review_notes: tuple[str, ...]


def web_address(url: str) -> str:
    """Return ``url`` when it is an http(s) address the register can link to, else ""."""
    url = url.strip()
    return url if url.lower().startswith(("https://", "http://")) and len(url) <= URL_MAX else ""


def _is_social(url: str) -> bool:
    host = (urlsplit(url).hostname or "").casefold()
    return any(host == known or host.endswith("." + known) for known in _SOCIAL_HOSTS)


def guess_kind(*, text: str, title: str, url: str = "", page_type: str = "") -> str:
    """Return the kind of document its address, type and opening words suggest; a news report by default."""
    if url and _is_social(url):
        return DocumentKind.SOCIAL_MEDIA_POST
    if page_type.casefold() in _SCHOLARLY_TYPES:
        return DocumentKind.SCHOLARLY_PUBLICATION
    opening = f"{title}\n{text[:_OPENING]}"
    for kind, cue in _KIND_CUES:
        if cue.search(opening):
            return kind
    return DocumentKind.NEWS_REPORT


def imagery_of(text: str) -> tuple[str, tuple[dt.date, ...]]:
    """Return the imagery provider an assessment names first, and the days its sentences about images give."""
    opening = text[: _OPENING * 2]
    provider = _PROVIDER.search(opening)
    days = set()
    for sentence in _SENTENCE_BREAK.split(opening):
        if not _IMAGE_WORD.search(sentence):
            continue
        for found in find_dates(sentence, None):
            if found.earliest is not None and found.earliest == found.latest:
                days.add(found.earliest)
    return (provider.group() if provider else ""), tuple(sorted(days))


def _common_notes(body: str, published: dt.date | None, title: str, today: dt.date) -> list[str]:
    notes = []
    if published is None:
        notes.append(_("No publication date in the document's metadata or opening: the date is unknown."))
    elif note := date_note(published, published.isoformat(), today, in_header=False):
        notes.append(note)
    if not title:
        notes.append(_("The document gives no title."))
    elif len(title) > TITLE_MAX:
        notes.append(_("The title was cut to %(limit)s characters.") % {"limit": TITLE_MAX})
    if note := hidden_note(body):
        notes.append(note)
    return notes


def _kind_fields(kind: str, text: str, notes: list[str]) -> tuple[str, tuple[dt.date, ...]]:
    """Return the imagery provider and image dates of an assessment, noting that the kind is a guess."""
    if kind == DocumentKind.NEWS_REPORT:
        return "", ()
    notes.append(
        _("Read as a %(kind)s from its words: check the kind.") % {"kind": DocumentKind(kind).label}
        if kind != DocumentKind.IMAGERY_ASSESSMENT
        else _("Read as a satellite imagery assessment from its words: check the kind, provider and image dates.")
    )
    if kind != DocumentKind.IMAGERY_ASSESSMENT:
        return "", ()
    provider, days = imagery_of(text)
    return truncate(provider, PROVIDER_MAX), days


def document_from_page(page: WebPage, *, url: str = "", today: dt.date | None = None) -> Document:
    """Return the web page as a document; ``url`` is where an archive captured it, else its canonical address."""
    today = today or dt.date.today()
    story = read_story("\n\n".join(page.paragraphs))
    checkpoint()
    address = web_address(url) or web_address(page.url)
    title = page.title
    notes = _common_notes(story.body, page.published, title, today)
    publisher = story.publisher or known_slug(page.site_name) or ""
    carried_by, carried_by_guessed = story.carried_by, bool(story.outlet_clue)
    if story.publisher and page.site_name and known_slug(page.site_name) != story.publisher and not carried_by:
        # An agency's story on another's site: the site carried it, as its metadata says and its text does not.
        carried_by, carried_by_guessed = page.site_name, True
    if not publisher and not page.site_name:
        notes.append(_("No agency, publisher or site name recognised in the page or its metadata."))
    if not story.body:
        notes.append(_("No story found in the page once navigation and page furniture are removed."))
    kind = guess_kind(text=story.body, title=title, url=address, page_type=page.page_type)
    provider, days = _kind_fields(kind, story.body, notes)
    return Document(
        format=FileFormat.HTML,
        raw_text=page.html,
        encoding=page.encoding,
        body=story.body,
        page_starts=(),
        title=truncate(title, TITLE_MAX),
        published=page.published,
        dateline=story.dateline,
        byline=truncate(page.author, 300) if page.author else story.byline,
        publisher=publisher,
        site_name=page.site_name[:200],
        carried_by=carried_by[:200],
        publisher_guessed=story.publisher_guessed or (not story.publisher and bool(page.site_name)),
        publisher_from_site_name=not story.publisher and bool(page.site_name),
        carried_by_guessed=carried_by_guessed,
        outlet_clue=story.outlet_clue,
        url=address,
        language=page.language[:LANGUAGE_MAX] or "en",
        kind=kind,
        imagery_provider=provider,
        imagery_dates=days,
        review_notes=tuple(notes),
    )


def _first_line(text: str) -> str:
    for line in text.split("\n"):
        if line.strip():
            return " ".join(line.split())
    return ""


def _first_day(text: str) -> dt.date | None:
    for found in find_dates(text[:_OPENING], None):
        if found.earliest is not None and found.earliest == found.latest:
            return found.earliest
    return None


def paged_body(pages: tuple[str, ...]) -> tuple[str, tuple[int, ...]]:
    """Return the pages' texts, each trimmed, joined by a blank line, and where each page starts in the result.

    An empty page starts where the next page's text does, so a position always falls on the page that holds it.
    """
    body, starts = "", []
    for page in pages:
        text = page.strip()
        if body and text:
            body += PAGE_SEPARATOR
        starts.append(len(body))
        body += text
    return body, tuple(starts)


def document_from_pdf(pdf: PdfText, *, url: str = "", today: dt.date | None = None) -> Document:
    """Return the PDF as a document: every page's text, where each page starts, and its metadata."""
    today = today or dt.date.today()
    body, starts = paged_body(pdf.pages)
    checkpoint()
    notes = []
    if not pdf.has_text_layer:
        # Nothing to read, so nothing is suggested: the file is kept for a curator to have read.
        notes.append(_("No text layer: needs OCR."))
    first_page = pdf.pages[0] if pdf.pages else ""
    title = pdf.title or _first_line(first_page)
    published = pdf.created or _first_day(first_page)
    if pdf.has_text_layer:
        notes += _common_notes(body, published, title, today)
    publisher = known_slug(pdf.author) or ""
    if not publisher and pdf.has_text_layer:
        notes.append(_("No known publisher named in the PDF's metadata: set the publisher."))
    kind = guess_kind(text=body, title=title, url=url) if pdf.has_text_layer else DocumentKind.NEWS_REPORT
    provider, days = _kind_fields(kind, body, notes)
    return Document(
        format=FileFormat.PDF,
        raw_text="\f".join(pdf.pages) if pdf.has_text_layer else "",
        encoding="",
        body=body,
        page_starts=starts,
        title=truncate(title, TITLE_MAX),
        published=published,
        dateline="",
        byline=truncate(pdf.author, 300) if not publisher else "",
        publisher=publisher,
        site_name="",
        carried_by="",
        # A PDF's publisher comes from the author its maker wrote in it, never from a guess of the importer.
        publisher_guessed=False,
        publisher_from_site_name=False,
        carried_by_guessed=False,
        outlet_clue="",
        url=web_address(url),
        language="en",
        kind=kind,
        imagery_provider=provider,
        imagery_dates=days,
        review_notes=tuple(notes),
    )
