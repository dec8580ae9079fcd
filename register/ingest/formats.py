"""Which kind of file a received file is, by its name: plain text, a web page, a PDF, or a web archive.

The name decides which reader opens the file; each reader then checks that the bytes are what the name says
(a ``.pdf`` that is no PDF is refused as corrupt). A name with no suffix is read as text, as before documents
were imported; a suffix the importer has no reader for (``.docx``, ``.jpg``) is refused, naming it.
"""

import enum
import os
import re

from django.utils.translation import gettext as _

from register.ingest.decoding import UnreadableError


class FileFormat(enum.StrEnum):
    TEXT = "text"
    HTML = "html"
    PDF = "pdf"
    WARC = "warc"
    WACZ = "wacz"


# Longest first, so ".warc.gz" is found before a bare ".gz" could be.
SUFFIXES: tuple[tuple[str, FileFormat], ...] = (
    (".warc.gz", FileFormat.WARC),
    (".html", FileFormat.HTML),
    (".htm", FileFormat.HTML),
    (".txt", FileFormat.TEXT),
    (".pdf", FileFormat.PDF),
    (".warc", FileFormat.WARC),
    (".wacz", FileFormat.WACZ),
)
_EXTENSION = re.compile(r"[a-z0-9]{1,10}")
ARCHIVES = frozenset({FileFormat.WARC, FileFormat.WACZ})


class UnsupportedFormat(UnreadableError):
    """Raised for a file whose name says it is of a kind the importer cannot read."""


def suffix_of(name: str) -> str:
    """Return the name's suffix as the importer reads it (".warc.gz" whole), lower-cased, or ""."""
    base = os.path.basename(name).casefold()
    for suffix, _format in SUFFIXES:
        if base.endswith(suffix) and len(base) > len(suffix):
            return suffix
    stem, dot, extension = base.rpartition(".")
    # "Report v1.2" has no suffix: only letters and digits, not digits alone, make one.
    if dot and stem and _EXTENSION.fullmatch(extension) and not extension.isdigit():
        return f".{extension}"
    return ""


def format_of(name: str) -> FileFormat:
    """Return the format the file's name gives; raise UnsupportedFormat naming a suffix no reader takes."""
    suffix = suffix_of(name)
    if not suffix:
        return FileFormat.TEXT
    for known, file_format in SUFFIXES:
        if suffix == known:
            return file_format
    raise UnsupportedFormat(
        _(
            "not a format the importer reads (%(suffix)s): import plain text (.txt), web pages (.html, .htm), PDF "
            "(.pdf) or web archives (.warc, .warc.gz, .wacz)"
        )
        % {"suffix": suffix}
    )


def is_importable(name: str) -> bool:
    """Return whether a directory's entry called ``name`` is one the importer lists (a known suffix)."""
    suffix = suffix_of(name)
    return any(suffix == known for known, _format in SUFFIXES)
