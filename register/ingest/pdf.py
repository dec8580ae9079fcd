"""A PDF read as a document: the text of every page, page by page, and what its metadata says (pypdf).

A PDF of scanned images has no text layer: its pages come back empty, and the
caller stores it for OCR rather than failing it. A file that is not a PDF, is
damaged beyond reading, has no pages, or needs a password is refused, saying which.
"""

import datetime as dt
import io
from dataclasses import dataclass

from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from register.ingest.budget import OverBudget, checkpoint
from register.ingest.decoding import UnreadableError, normalise_newlines

# The PDF specification lets the header stand anywhere in the first kilobyte.
_HEADER_WINDOW = 1024


@dataclass(frozen=True)
class PdfText:
    """Each page's text as extracted (NUL characters, which no database text holds, removed) and the metadata."""

    pages: tuple[str, ...]
    title: str
    author: str
    created: dt.date | None

    @property
    def has_text_layer(self) -> bool:
        return any(page.strip() for page in self.pages)


def _metadata(reader: PdfReader) -> tuple[str, str, dt.date | None]:
    """Return the title, author and creation date the document's information dictionary gives, where readable."""
    try:
        info = reader.metadata
    except (PyPdfError, ValueError, KeyError, TypeError):
        return "", "", None
    if info is None:
        return "", "", None
    texts = []
    for name in ("title", "author"):
        try:
            value = getattr(info, name)
        except (PyPdfError, ValueError, KeyError, TypeError):
            value = None
        texts.append(" ".join(str(value).replace("\x00", "").split()) if value else "")
    try:
        created = info.creation_date
    except (PyPdfError, ValueError, KeyError, TypeError):
        created = None
    return texts[0], texts[1], created.date() if created else None


def read_pdf(data: bytes) -> PdfText:
    """Return the text of every page and the metadata, or raise UnreadableError saying why the bytes are no PDF."""
    if b"%PDF-" not in data[:_HEADER_WINDOW]:
        raise UnreadableError(_("not a PDF: the file does not start with %PDF-"))
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableError(_("an encrypted PDF: it needs a password to be read"))
        count = len(reader.pages)
        if not count:
            raise UnreadableError(_("a damaged PDF: it has no pages"))
        pages = []
        for page in reader.pages:
            checkpoint()
            text = page.extract_text() or ""
            pages.append(normalise_newlines(text.replace("\x00", "")))
    except (UnreadableError, OverBudget):
        raise
    except Exception as error:
        # pypdf raises its own errors and Python's (ValueError, KeyError, ...) on a damaged file alike.
        raise UnreadableError(
            _("a damaged PDF that cannot be read (%(error)s)") % {"error": f"{type(error).__name__}: {error}"[:200]}
        ) from None
    title, author, created = _metadata(reader)
    return PdfText(pages=tuple(pages), title=title, author=author, created=created)
