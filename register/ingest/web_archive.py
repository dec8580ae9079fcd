"""A web archive read as the captures it holds: each web page or PDF, with its address, capture time and digest.

WARC files (``.warc``, ``.warc.gz``) are read with warcio; a WACZ is a ZIP
(zipfile) whose ``archive/`` folder holds such WARC files, and whose
``datapackage.json`` gives each file's SHA-256, checked here. A capture is a
``response`` (or ``resource``) record answering 2xx with an HTML or PDF payload;
redirects, errors, requests, metadata, revisits and other media are counted as
skipped. Each record's payload digest (``WARC-Payload-Digest``) is checked by
warcio as the payload is read, so a capture that no longer matches its record is
known. Every read goes through the time budget, and no payload over the size
limit is held in memory.
"""

import datetime as dt
import hashlib
import io
import json
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from register.ingest.budget import OverBudget, checkpoint
from register.ingest.decoding import MAX_BYTES, UnreadableError
from register.ingest.formats import FileFormat

_MEDIA_TYPES = {
    "text/html": FileFormat.HTML,
    "application/xhtml+xml": FileFormat.HTML,
    "application/pdf": FileFormat.PDF,
}
_CAPTURE_RECORDS = frozenset({"response", "resource"})
_DATAPACKAGE = "datapackage.json"
_DATAPACKAGE_MAX = 4 * 1024 * 1024


@dataclass(frozen=True)
class Capture:
    """One web page or PDF as an archive holds it."""

    url: str
    captured: dt.datetime | None
    payload: bytes
    format: FileFormat
    media_type: str
    payload_digest: str
    # True where the recorded digest matches the payload, False where it does not, None where none is recorded.
    digest_matches: bool | None
    record_id: str
    warc: str


@dataclass(frozen=True)
class WebArchive:
    """The captures an archive holds, how many other records it holds, and what a curator should know of it."""

    captures: tuple[Capture, ...]
    skipped: int
    problems: tuple[str, ...]


class _Budgeted(io.RawIOBase):
    """A stream that checks the time budget on every read and hashes what passes through it."""

    def __init__(self, stream: BinaryIO):
        self.stream = stream
        self.sha256 = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        checkpoint()
        data = self.stream.read(len(buffer))
        buffer[: len(data)] = data
        self.sha256.update(data)
        return len(data)

    def drain(self) -> str:
        """Read to the end and return the SHA-256 of everything read."""
        while self.read(1024 * 1024):
            pass
        return self.sha256.hexdigest()


def _media_type(record) -> str:
    headers = record.http_headers if record.rec_type == "response" else None
    value = headers.get_header("Content-Type") if headers else record.rec_headers.get_header("Content-Type")
    return (value or "").split(";")[0].strip().casefold()


def _status(record) -> int | None:
    if record.rec_type != "response" or record.http_headers is None:
        return 200
    try:
        return int(record.http_headers.get_statuscode())
    except (TypeError, ValueError):
        return None


def _captured(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _captures_in(stream: BinaryIO, warc: str, problems: list[str]) -> tuple[list[Capture], int]:
    """Return the captures one WARC stream holds and how many records it skipped."""
    captures, skipped = [], 0
    try:
        for record in ArchiveIterator(stream, check_digests=True):
            checkpoint()
            if not record.format.startswith("warc"):
                # warcio reads what is no WARC as the older ARC format: bytes of anything parse as that.
                raise ArchiveLoadFailed(_("it holds no WARC record"))
            status = _status(record)
            media_type = _media_type(record)
            file_format = _MEDIA_TYPES.get(media_type)
            if record.rec_type not in _CAPTURE_RECORDS or status is None or not 200 <= status < 300:
                skipped += 1
                continue
            content = record.content_stream()
            payload = content.read(MAX_BYTES + 1)
            url = record.rec_headers.get_header("WARC-Target-URI") or ""
            if len(payload) > MAX_BYTES:
                skipped += 1
                problems.append(
                    _("The capture of %(url)s is larger than %(limit)s MB: not imported.")
                    % {"url": url, "limit": MAX_BYTES // 2**20}
                )
                continue
            if file_format is None and payload.startswith(b"%PDF-"):
                file_format = FileFormat.PDF
            if file_format is None:
                skipped += 1
                continue
            # Reading to the end lets warcio compare the payload with its recorded digest.
            content.read()
            captures.append(
                Capture(
                    url=url,
                    captured=_captured(record.rec_headers.get_header("WARC-Date")),
                    payload=payload,
                    format=file_format,
                    media_type=media_type,
                    payload_digest=record.rec_headers.get_header("WARC-Payload-Digest") or "",
                    digest_matches=record.digest_checker.passed,
                    record_id=record.rec_headers.get_header("WARC-Record-ID") or "",
                    warc=warc,
                )
            )
    except OverBudget:
        raise
    except (ArchiveLoadFailed, OSError, EOFError, ValueError, zipfile.BadZipFile) as error:
        if not captures and not skipped:
            raise UnreadableError(
                _("not a readable web archive (%(error)s)") % {"error": f"{type(error).__name__}: {error}"[:200]}
            ) from None
        problems.append(
            _("The archive is damaged after its first %(count)s records (%(error)s): the rest was not read.")
            % {"count": len(captures) + skipped, "error": f"{type(error).__name__}: {error}"[:200]}
        )
    return captures, skipped


def _archive(captures: list[Capture], skipped: int, problems: list[str]) -> WebArchive:
    if not captures and not skipped:
        if problems:
            raise UnreadableError(problems[0])
        raise UnreadableError(_("not a readable web archive: no WARC record could be read from it"))
    if not captures:
        raise UnreadableError(
            ngettext(
                "no web page or PDF in the archive: its %(count)s record is neither",
                "no web page or PDF in the archive: none of its %(count)s records is one",
                skipped,
            )
            % {"count": skipped}
        )
    return WebArchive(captures=tuple(captures), skipped=skipped, problems=tuple(problems))


def read_warc(data: bytes) -> WebArchive:
    """Return the captures a WARC file (gzipped or not) holds, or raise UnreadableError saying why it holds none."""
    problems: list[str] = []
    stream = _Budgeted(io.BytesIO(data))
    captures, skipped = _captures_in(io.BufferedReader(stream), "", problems)
    return _archive(captures, skipped, problems)


def _recorded_hashes(archive: zipfile.ZipFile) -> dict[str, str]:
    """Return the SHA-256 that datapackage.json gives each file of the WACZ, by path."""
    try:
        info = archive.getinfo(_DATAPACKAGE)
        if info.file_size > _DATAPACKAGE_MAX:
            return {}
        package = json.loads(archive.read(info))
    except (KeyError, ValueError, zipfile.BadZipFile, OSError):
        return {}
    hashes = {}
    for resource in package.get("resources", []) if isinstance(package, dict) else []:
        if isinstance(resource, dict) and isinstance(resource.get("hash"), str):
            algorithm, _colon, value = resource["hash"].partition(":")
            if algorithm == "sha256" and isinstance(resource.get("path"), str):
                hashes[resource["path"]] = value.casefold()
    return hashes


def read_wacz(data: bytes) -> WebArchive:
    """Return the captures the WARC files of a WACZ hold, or raise UnreadableError saying why it holds none."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise UnreadableError(_("not a WACZ: the file is not a ZIP archive")) from None
    with archive:
        warcs = sorted(
            name
            for name in archive.namelist()
            if name.startswith("archive/") and name.casefold().endswith((".warc", ".warc.gz"))
        )
        if not warcs:
            raise UnreadableError(_("not a WACZ: it holds no archive/*.warc or archive/*.warc.gz file"))
        recorded = _recorded_hashes(archive)
        problems: list[str] = []
        captures, skipped = [], 0
        for name in warcs:
            try:
                member = archive.open(name)
            except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, RuntimeError) as error:
                problems.append(_("%(file)s cannot be read (%(error)s).") % {"file": name, "error": error})
                continue
            with member:
                stream = _Budgeted(member)
                try:
                    found, passed = _captures_in(io.BufferedReader(stream), name, problems)
                    sha256 = stream.drain()
                except UnreadableError as error:
                    problems.append(_("%(file)s: %(error)s") % {"file": name, "error": error})
                    continue
                except (zipfile.BadZipFile, OSError, EOFError) as error:
                    problems.append(_("%(file)s cannot be read (%(error)s).") % {"file": name, "error": error})
                    continue
            captures += found
            skipped += passed
            if name in recorded and recorded[name] != sha256:
                problems.append(
                    _("%(file)s does not match the SHA-256 its datapackage.json records: check the archive.")
                    % {"file": name}
                )
    return _archive(captures, skipped, problems)
