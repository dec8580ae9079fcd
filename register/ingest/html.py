"""A saved web page read as a document: its main text without the page around it, and what its metadata says.

trafilatura finds the story: navigation, scripts, styles, cookie banners, share buttons and related-story lists
are left out. Its metadata reader gives the title (Open Graph, ``<title>``), the publication date
(``article:published_time``, schema.org JSON-LD ``datePublished``; htmldate, with the guessing from the text
switched off), the site that published it (``og:site_name``, JSON-LD ``publisher``), the author and the
canonical address. The page is decoded here, as the register keeps it: the encoding its ``<meta charset>``
declares, else UTF-8, else Windows-1252.
"""

import codecs
import datetime as dt
import re
from dataclasses import dataclass

import trafilatura
from django.utils.translation import gettext as _

from register.ingest.decoding import UnreadableError, decode

# Where a page declares its encoding: in a <meta> of its first few kilobytes. Bounded repetitions only.
_DECLARED = re.compile(rb"<meta[^>]{0,300}?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]{1,40})", re.IGNORECASE)
_DECLARATION_WINDOW = 4096
# WHATWG's encoding standard reads these labels as Windows-1252, as every browser does.
_READ_AS_WINDOWS_1252 = frozenset({"iso8859-1", "ascii", "latin-1", "cp1252"})
_LANGUAGE = re.compile(r"<html\b[^>]{0,500}?\blang\s*=\s*[\"']?([A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8}){0,3})", re.I)
_LANGUAGE_WINDOW = 8192
_SPACES = re.compile(r"[ \t\u00a0]+")


@dataclass(frozen=True)
class WebPage:
    """What a web page holds: its HTML as decoded, its story's paragraphs, and its metadata ("" where absent)."""

    html: str
    encoding: str
    paragraphs: tuple[str, ...]
    title: str
    published: dt.date | None
    site_name: str
    author: str
    url: str
    language: str
    page_type: str


def declared_encoding(data: bytes) -> str | None:
    """Return the Python codec for the encoding the page declares in a ``<meta>``, or None."""
    found = _DECLARED.search(data[:_DECLARATION_WINDOW])
    if not found:
        return None
    try:
        codec = codecs.lookup(found[1].decode("ascii")).name
    except LookupError:
        return None
    return "cp1252" if codec in _READ_AS_WINDOWS_1252 else codec


def _date(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def _paragraphs(text: str, title: str) -> tuple[str, ...]:
    """Return the story's blocks, white space tidied, without the headline the page prints above it."""
    blocks = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    blocks = [block for block in blocks if block]
    if blocks and title and blocks[0].casefold() == title.casefold():
        blocks = blocks[1:]
    return tuple(blocks)


def read_page(data: bytes) -> WebPage:
    """Return the page's story and metadata, or raise UnreadableError saying why the bytes are no page."""
    decoded = decode(data, declared=declared_encoding(data))
    html = decoded.text
    if "<" not in html[:_LANGUAGE_WINDOW]:
        raise UnreadableError(_("not a web page: it holds no HTML markup"))
    # Only what the page itself says: no date guessed from its text, no comments, no links or images.
    document = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,
        include_images=False,
        include_links=False,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if document is None:
        # No story found (a page of links only): its metadata is still read.
        document = trafilatura.extract_metadata(html)
        text = ""
    else:
        text = document.text or ""
    title = _SPACES.sub(" ", document.title or "").strip()
    language = _LANGUAGE.search(html[:_LANGUAGE_WINDOW])
    return WebPage(
        html=html,
        encoding=decoded.encoding,
        paragraphs=_paragraphs(text, title),
        title=title,
        published=_date(document.date),
        site_name=(document.sitename or "").strip(),
        author=(document.author or "").strip(),
        url=(document.url or "").strip(),
        language=language[1] if language else "",
        page_type=(document.pagetype or "").strip(),
    )
