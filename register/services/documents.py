"""Web pages, PDFs and web archives stored as articles, each kept byte for byte beside what was read from it.

``register.services.articles.article_import`` hands these files here, inside the
file's own transaction and time budget. A web page or PDF becomes one article
whose fingerprint is the SHA-256 of the file as received (what ``sha256sum``
prints); its bytes are kept as a ``ReceivedFile``. A web archive is kept as a
``ReceivedFile`` too, and each web page or PDF captured in it becomes an article
of its own, fingerprinted by the capture's payload, with the address it was
captured from, the capture time and the record's payload digest: anyone holding
the archive can find the record and check it. A file already held is a duplicate,
as a text is.
"""

import datetime as dt
import hashlib
import logging
from collections.abc import Callable

from django.utils.translation import gettext as _

from register.ingest.budget import checkpoint
from register.ingest.decoding import WINDOWS_1252, UnreadableError
from register.ingest.documents import Document, document_from_page, document_from_pdf
from register.ingest.formats import FileFormat
from register.ingest.html import read_page
from register.ingest.mentions import Gazetteer
from register.ingest.pdf import read_pdf
from register.ingest.sources import UNKNOWN_PUBLISHER, known_slug
from register.ingest.web_archive import Capture, WebArchive, read_wacz, read_warc
from register.models import Article, ReceivedFile
from register.models.vocabularies import ReceivedFileFormat
from register.services.articles import (
    DocumentResult,
    ImportResult,
    ImportStatus,
    article_analyse,
    article_store,
    guess_notes,
    outlet_for,
    sources_for,
)

logger = logging.getLogger(__name__)

_READERS = {FileFormat.HTML: read_page, FileFormat.PDF: read_pdf}
_ARCHIVE_READERS = {FileFormat.WARC: read_warc, FileFormat.WACZ: read_wacz}


def sha256_of(data: bytes) -> str:
    """Return the SHA-256 of the bytes, as ``sha256sum`` prints it."""
    return hashlib.sha256(data).hexdigest()


def received_file_keep(*, data: bytes, sha256: str, name: str, file_format: str) -> ReceivedFile:
    """Return the kept copy of these bytes, storing it when the register does not hold them yet."""
    found = ReceivedFile.objects.without_content().filter(sha256=sha256).first()
    if found is not None:
        return found
    received = ReceivedFile(sha256=sha256, format=file_format, name=name[-500:], size=len(data), content=data)
    received.full_clean(validate_unique=False)
    received.save()
    return received


def _document(data: bytes, file_format: FileFormat, *, url: str = "") -> Document:
    extracted = _READERS[file_format](data)
    checkpoint()
    if file_format == FileFormat.HTML:
        return document_from_page(extracted, url=url)
    return document_from_pdf(extracted, url=url)


def _publishers(document: Document):
    """Return the publisher and carrying outlet: a known source, else the site that published the page."""
    slugs = [document.publisher or ("" if document.site_name else UNKNOWN_PUBLISHER)]
    outlet_slug = known_slug(document.carried_by) if document.carried_by else None
    sources = sources_for(filter(None, [*slugs, outlet_slug]))
    publisher = sources[slugs[0]] if slugs[0] else outlet_for(document.site_name)
    carried_by = None
    if outlet_slug:
        carried_by = sources[outlet_slug]
    elif document.carried_by:
        carried_by = outlet_for(document.carried_by)
    return publisher, (None if carried_by == publisher else carried_by)


def _imagery_dates(days: tuple[dt.date, ...]) -> tuple[dt.date | None, dt.date | None]:
    """Return the earlier and the later image's dates: the first and last day an assessment gives for its images."""
    if not days:
        return None, None
    return (days[0] if len(days) > 1 else None), days[-1]


def _article_of(document: Document, *, sha256: str, original: ReceivedFile, name: str, **capture) -> Article:
    publisher, carried_by = _publishers(document)
    before, after = _imagery_dates(document.imagery_dates)
    return Article(
        title=document.title,
        published=document.published,
        dateline=document.dateline,
        byline=document.byline,
        publisher=publisher,
        carried_by=carried_by,
        publisher_guessed=document.publisher_guessed,
        carried_by_guessed=document.carried_by_guessed and carried_by is not None,
        url=document.url,
        language=document.language,
        raw_text=document.raw_text,
        body=document.body,
        sha256=sha256,
        source_file=name[-500:],
        encoding=document.encoding,
        kind=document.kind,
        format=document.format,
        original=original,
        page_starts=list(document.page_starts),
        imagery_provider=document.imagery_provider,
        imagery_before=before,
        imagery_after=after,
        **capture,
    )


def _notes(document: Document, *more: str) -> list[str]:
    notes = list(document.review_notes)
    if document.encoding == WINDOWS_1252:
        notes.append(_("Not UTF-8: decoded as Windows-1252; check accents and quotation marks."))
    return notes + [note for note in more if note]


def _stored(
    *,
    data: bytes,
    file_format: FileFormat,
    name: str,
    gazetteer: Gazetteer,
    url: str = "",
    notes: tuple[str, ...] = (),
    capture: Callable[[], dict] | None = None,
) -> DocumentResult:
    """Store one web page or PDF (re-analysing it when already held), and say what became of it.

    ``capture`` gives a capture's fields (its archive among them), asked for only when the capture is new.
    """
    sha256 = sha256_of(data)
    existing = Article.objects.filter(sha256=sha256).first()
    if existing is not None:
        analysis = article_analyse(article=existing, gazetteer=gazetteer)
        return DocumentResult.of(existing, ImportStatus.DUPLICATE, analysis, url=url)
    document = _document(data, file_format, url=url)
    original = received_file_keep(
        data=data, sha256=sha256, name=url or name, file_format=ReceivedFileFormat(str(file_format))
    )
    article = _article_of(document, sha256=sha256, original=original, name=name, **(capture() if capture else {}))
    guessed = guess_notes(
        article, outlet_clue=document.outlet_clue, publisher_from_site_name=document.publisher_from_site_name
    )
    notes = (*notes, *guessed)
    stored = article_store(article=article, notes=_notes(document, *notes), gazetteer=gazetteer)
    status = ImportStatus.CREATED if stored.created else ImportStatus.DUPLICATE
    return DocumentResult.of(stored.article, status, stored.analysis, url=url)


def _capture_notes(capture: Capture, archive: WebArchive) -> tuple[str, ...]:
    notes = []
    if capture.digest_matches is False:
        notes.append(
            _("The capture does not match the payload digest %(digest)s its archive records: check the archive.")
            % {"digest": capture.payload_digest}
        )
    if capture.captured is None:
        notes.append(_("The archive gives no readable capture time (WARC-Date) for this record."))
    return (*notes, *archive.problems)


def _archive_import(*, data: bytes, sha256: str, name: str, file_format: FileFormat, gazetteer) -> ImportResult:
    archive = _ARCHIVE_READERS[file_format](data)
    kept: list[ReceivedFile] = []

    def archive_kept() -> ReceivedFile:
        # Kept once a capture of it is stored: an archive of captures all held already adds nothing.
        if not kept:
            kept.append(
                received_file_keep(
                    data=data, sha256=sha256, name=name, file_format=ReceivedFileFormat(str(file_format))
                )
            )
        return kept[0]

    documents = []
    for capture in archive.captures:
        checkpoint()

        def fields(capture=capture) -> dict:
            return {
                "archive": archive_kept(),
                # A record without a readable date keeps the time the archive was received, flagged for review.
                "captured": capture.captured or archive_kept().received,
                "payload_digest": capture.payload_digest[:200],
                "warc_record_id": capture.record_id[:200],
            }

        try:
            documents.append(
                _stored(
                    data=capture.payload,
                    file_format=capture.format,
                    name=name,
                    gazetteer=gazetteer,
                    url=capture.url,
                    notes=_capture_notes(capture, archive),
                    capture=fields,
                )
            )
        except UnreadableError as error:
            logger.warning("Not imported from %s: %s: %s", name, capture.url, error)
            documents.append(
                DocumentResult(
                    url=capture.url,
                    captured=capture.captured,
                    format=str(capture.format),
                    status=ImportStatus.FAILED,
                    sha256=sha256_of(capture.payload),
                    payload_digest=capture.payload_digest,
                    error=str(error),
                )
            )
    return ImportResult.of_documents(file=name, file_format=file_format, sha256=sha256, documents=documents)


def document_import(*, data: bytes, name: str, file_format: FileFormat, gazetteer: Gazetteer) -> ImportResult:
    """Import a web page, a PDF or a web archive; raise UnreadableError saying why when it holds no document.

    Runs inside ``article_import``'s transaction and time budget for the file.
    """
    sha256 = sha256_of(data)
    if file_format in _ARCHIVE_READERS:
        return _archive_import(data=data, sha256=sha256, name=name, file_format=file_format, gazetteer=gazetteer)
    stored = _stored(data=data, file_format=file_format, name=name, gazetteer=gazetteer)
    return ImportResult.of_documents(file=name, file_format=file_format, sha256=sha256, documents=[stored])
