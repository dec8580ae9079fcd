"""Received files read safely: only regular files, links in a directory never followed, no more than a report's size.

A file is opened once and everything is checked on what was opened (``fstat``),
so a file swapped for a link between the listing and the reading is still
refused. Reading stops one byte past ``MAX_BYTES``: a file of any size costs at
most that much memory. Names are shown with undecodable bytes and control
characters as backslash escapes, so any name can be printed, logged and stored.
"""

import errno
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.utils.translation import gettext as _

from register.ingest.decoding import MAX_BYTES, UnreadableError, too_large
from register.ingest.formats import is_importable

_CHUNK = 1024 * 1024
# C0 and C1 controls and DEL: a name holding them could rewrite the line it is printed on.
_NAME_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def display_name(name: str | os.PathLike) -> str:
    """Return ``name`` printable and storable: bytes that are not UTF-8 and controls as backslash escapes."""
    text = os.fspath(name)
    try:
        raw = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        # Lone surrogates that no file system produced (an uploaded name): escape them as they are.
        raw = text.encode("utf-8", "backslashreplace")
    text = raw.decode("utf-8", "backslashreplace")
    return _NAME_CONTROLS.sub(lambda control: f"\\x{ord(control.group()):02x}", text)


def read_limited(stream: BinaryIO, size: int | None = None) -> bytes:
    """Return the stream's bytes, or raise UnreadableError without reading past the limit when there are too many.

    ``size``, when the caller knows it (an upload's, a file's ``st_size``), refuses the stream before reading it.
    """
    if size is not None and size > MAX_BYTES:
        raise too_large(size)
    chunks, total = [], 0
    while total <= MAX_BYTES:
        chunk = stream.read(min(_CHUNK, MAX_BYTES + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    if total > MAX_BYTES:
        raise too_large(max(total, size or 0))
    return b"".join(chunks)


def read_file(path: Path, *, follow_symlinks: bool) -> bytes:
    """Return the bytes of the regular file at ``path``, or raise UnreadableError saying why it is not one."""
    if not follow_symlinks and path.is_symlink():
        if not path.exists():
            raise UnreadableError(_("a symbolic link to nothing (dangling, or a loop): not followed"))
        raise UnreadableError(_("a symbolic link: links in a directory are not followed"))
    # Non-blocking, so a named pipe is opened (and refused below) instead of waiting for a writer.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    if not follow_symlinks:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as error:
        if error.errno == errno.ELOOP and not follow_symlinks:
            raise UnreadableError(_("a symbolic link: links in a directory are not followed")) from None
        raise UnreadableError(_("cannot read: %(reason)s") % {"reason": error.strerror}) from None
    status = os.fstat(descriptor)
    if not stat.S_ISREG(status.st_mode):
        os.close(descriptor)
        if stat.S_ISDIR(status.st_mode):
            raise UnreadableError(_("a directory, not a file"))
        raise UnreadableError(_("not a regular file (a device, pipe or socket)"))
    with os.fdopen(descriptor, "rb", buffering=0) as file:
        try:
            return read_limited(file, status.st_size)
        except OSError as error:
            raise UnreadableError(_("cannot read: %(reason)s") % {"reason": error.strerror}) from None


@dataclass(frozen=True)
class FileToImport:
    """A file named to the importer, or found in a directory named to it (whose links are not followed)."""

    path: Path
    in_directory: bool = False
    problem: str = ""


def files_to_import(paths) -> list[FileToImport]:
    """Return the files named, with each directory replaced by its entries of a format the importer reads, by name.

    Every entry whose name ends in a suffix ``register.ingest.formats`` reads (``.txt``, ``.html``, ``.pdf``,
    ``.warc.gz``, ...) is listed, whatever it is (a link, a directory, a pipe), so the import reports why it
    refuses one instead of skipping it; a directory that cannot be listed is one entry saying why.
    """
    files = []
    for path in map(Path, paths):
        if not path.is_dir():
            files.append(FileToImport(path))
            continue
        try:
            with os.scandir(path) as entries:
                names = sorted(entry.name for entry in entries if is_importable(entry.name))
        except OSError as error:
            reason = _("cannot list: %(reason)s") % {"reason": error.strerror}
            files.append(FileToImport(path, problem=reason))
            continue
        files.extend(FileToImport(path / name, in_directory=True) for name in names)
    return files
