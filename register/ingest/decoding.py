"""Received bytes to text: UTF-8, else Windows-1252, with every line ending made a line feed."""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

# A news report is a few kilobytes; anything this large is a mistake, and is refused before it fills memory.
MAX_BYTES = 20 * 1024 * 1024

UTF8 = "utf-8"
UTF8_BOM = "utf-8-sig"
WINDOWS_1252 = "windows-1252"

# C0 controls other than tab, line feed, vertical tab, form feed and carriage return, and DEL:
# plain text has next to none of them; binary data has plenty.
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_SAMPLE = 64 * 1024
_NEWLINES = re.compile(r"\r\n?")


class UnreadableError(ValueError):
    """Raised for bytes that are not a text report; the message says why, for the curator."""


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str


def too_large(size: int) -> UnreadableError:
    """Return the error for a file of ``size`` bytes, over the limit."""
    return UnreadableError(
        _("%(size)s bytes: larger than the %(limit)s MB a report may be")
        % {"size": f"{size:,}", "limit": MAX_BYTES // 2**20}
    )


def normalise_newlines(text: str) -> str:
    """Return ``text`` with CRLF and lone CR line endings made LF, as Python's universal newlines do."""
    return _NEWLINES.sub("\n", text) if "\r" in text else text


def _decoded_as_declared(data: bytes, declared: str | None) -> str | None:
    """Return the bytes decoded with the encoding the file declares, or None when that does not decode them."""
    if not declared or data.startswith(b"\xef\xbb\xbf"):
        return None
    try:
        return data.decode(declared)
    except (UnicodeDecodeError, LookupError):
        return None


def decode(data: bytes, *, declared: str | None = None) -> Decoded:
    """Return the text the bytes hold, or raise UnreadableError saying why they are not a report.

    ``declared`` is the encoding the file names for itself (a web page's ``<meta charset>``) as a Python
    codec's name; it is used where it decodes the bytes, and otherwise UTF-8, else Windows-1252.
    """
    if not data:
        raise UnreadableError(_("empty file"))
    if len(data) > MAX_BYTES:
        raise too_large(len(data))
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableError(_("UTF-16 text: save it as UTF-8 and import it again"))
    if b"\x00" in data:
        raise UnreadableError(_("binary file: it contains NUL bytes"))
    if (as_declared := _decoded_as_declared(data, declared)) is not None:
        text, encoding = as_declared, declared
    else:
        try:
            text, encoding = data.decode(UTF8), UTF8
        except UnicodeDecodeError:
            try:
                text, encoding = data.decode("cp1252"), WINDOWS_1252
            except UnicodeDecodeError as error:
                raise UnreadableError(
                    _("neither UTF-8 nor Windows-1252: byte 0x%(byte)02x at offset %(offset)s")
                    % {"byte": data[error.start], "offset": error.start}
                ) from None
    if text.startswith("\ufeff"):
        # The byte-order mark says how the text is encoded; it is not part of the text.
        text, encoding = text[1:], UTF8_BOM
    sample = text[:_SAMPLE]
    if len(_CONTROLS.findall(sample)) > max(2, len(sample) // 100):
        raise UnreadableError(_("binary file: it is full of control characters"))
    text = normalise_newlines(text)
    if not text.strip():
        raise UnreadableError(_("no text: the file holds only white space"))
    return Decoded(text=text, encoding=encoding)
