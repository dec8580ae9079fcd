"""Article ingestion: received files become articles, with the monuments they name and suggested evidence.

The raw text is the file decoded (UTF-8, else Windows-1252) with line endings
made LF, so the same story saved on Windows or re-encoded is the same text; its
SHA-256 (``register.models.fingerprint``) makes a second import a no-op. A
duplicate's article is never altered, but its mentions and suggestions are
brought up to date with the register's current names (none is ever duplicated),
so articles loaded from a fixture are analysed the first time they are imported.

Suggestions only ever become evidence through ``suggestion_accept``, which a
curator calls from the admin.

Each file is imported on its own, in its own transaction and time budget
(``ARTICLE_IMPORT_SECONDS``): whatever goes wrong with one, even a bug, is that
file's ``failed`` result with the reason, logged, and the next file imports.
"""

import datetime as dt
import enum
import functools
import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from register.ingest.budget import OverBudget, checkpoint, time_budget
from register.ingest.decoding import WINDOWS_1252, UnreadableError, decode
from register.ingest.files import FileToImport, display_name, read_file, read_limited
from register.ingest.files import files_to_import as files_to_import
from register.ingest.formats import ARCHIVES, FileFormat, format_of
from register.ingest.mentions import Gazetteer, Match, Reading, Subject
from register.ingest.report import outlet_guess_note, publisher_guess_note, read_report
from register.ingest.sources import KNOWN_SOURCES, UNKNOWN_PUBLISHER, known_slug
from register.ingest.suggestions import MAX_SENTENCE, Stated, Suggested, suggest_report
from register.models import (
    AlternateName,
    Artefact,
    Article,
    Assessment,
    Evidence,
    Incident,
    Mention,
    Monument,
    Restoration,
    Source,
    Suggestion,
    SuggestionStatus,
    fingerprint,
)
from register.models.dates import edtf_window
from register.models.ingestion import ASSESSMENT_KIND, MentionStatus
from register.models.vocabularies import AssessmentMethod, Condition, DocumentKind, RestorationKind, SourceKind, Stance
from register.services.condition import conditions_refresh_for
from register.services.strength import incident_strength_refresh

logger = logging.getLogger(__name__)


class ImportStatus(enum.StrEnum):
    CREATED = "created"
    DUPLICATE = "duplicate"
    FAILED = "failed"


@dataclass(frozen=True)
class DocumentResult:
    """What became of one document of a file: a web page or PDF, or one captured in a web archive."""

    url: str
    captured: dt.datetime | None
    format: str
    status: ImportStatus
    sha256: str | None = None
    payload_digest: str = ""
    article: Article | None = None
    pages: int | None = None
    mentions: tuple[str, ...] = ()
    suggestions: int = 0
    error: str | None = None

    @classmethod
    def of(cls, article: Article, status: ImportStatus, analysis: "Analysis", *, url: str = ""):
        """Return the result for an article stored (or found already held) with the analysis made of it."""
        return cls(
            url=url or article.url,
            captured=article.captured,
            format=article.format,
            status=status,
            sha256=article.sha256,
            payload_digest=article.payload_digest,
            article=article,
            pages=article.pages,
            mentions=analysis.monument_slugs,
            suggestions=analysis.suggestions_created,
        )

    def as_json(self) -> dict:
        return {
            "url": self.url,
            "captured": self.captured.isoformat() if self.captured else None,
            "format": self.format,
            "status": str(self.status),
            "sha256": self.sha256,
            "payload_digest": self.payload_digest or None,
            "article": self.article.pk if self.article else None,
            "pages": self.pages,
            "mentions": list(self.mentions),
            "error": self.error,
        }


@dataclass(frozen=True)
class ImportResult:
    """What became of one file: the line ``import_articles --format json`` prints.

    ``format`` is how the file was read (text, html, pdf, warc, wacz; None when no reader takes it), ``pages``
    a PDF's page count. A web archive's result stands for all its captures: created when any was, its first
    article, every monument they name; ``documents`` says what became of each.
    """

    file: str
    status: ImportStatus
    sha256: str | None = None
    article: Article | None = None
    mentions: tuple[str, ...] = ()
    suggestions: int = 0
    error: str | None = None
    format: str | None = None
    pages: int | None = None
    documents: tuple[DocumentResult, ...] = ()

    @classmethod
    def of_documents(cls, *, file: str, file_format: str, sha256: str, documents: list[DocumentResult]):
        """Return the file's result from its documents': the first stored, or every reason when none is."""
        stored = [document for document in documents if document.status != ImportStatus.FAILED]
        if not stored:
            return cls(
                file=file,
                status=ImportStatus.FAILED,
                sha256=sha256,
                error="; ".join(f"{document.url}: {document.error}" for document in documents)[:1000],
                format=str(file_format),
                documents=tuple(documents),
            )
        created = any(document.status == ImportStatus.CREATED for document in stored)
        return cls(
            file=file,
            status=ImportStatus.CREATED if created else ImportStatus.DUPLICATE,
            sha256=sha256,
            article=stored[0].article,
            mentions=tuple(dict.fromkeys(slug for document in stored for slug in document.mentions)),
            suggestions=sum(document.suggestions for document in stored),
            format=str(file_format),
            pages=stored[0].pages if len(documents) == 1 else None,
            documents=tuple(documents),
        )

    def as_json(self) -> dict:
        line = {
            "file": self.file,
            "status": str(self.status),
            "format": self.format,
            "sha256": self.sha256,
            "article": self.article.pk if self.article else None,
            "pages": self.pages,
            "mentions": list(self.mentions),
            "error": self.error,
        }
        if self.format in ARCHIVES:
            line["documents"] = [document.as_json() for document in self.documents]
        return line


@dataclass(frozen=True)
class Analysis:
    matches: tuple[Match, ...]
    suggestions_created: int

    @property
    def monument_slugs(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(m.subject.slug for m in self.matches if m.subject.model == "monument"))


# One automaton per process, rebuilt only when the names change.
_gazetteer_cache: dict[str, object] = {}


# Two edits can commit in the other order than they took their history ids; the newest ids' sum, not only
# the newest id, changes when the second one commits.
_RECENT_EDITS = 100


@functools.cache
def _gazetteer_version_sql(vendor: str) -> tuple[str, list]:
    """Return the query behind ``gazetteer_version``, compiled once per database backend (``vendor``)."""
    values = []
    for model, changing in ((Monument, "updated"), (Artefact, "updated"), (AlternateName, "name")):
        newest = model.objects.order_by("-pk")
        values += [newest.values("pk")[:1], newest.values(changing)[:1]]
    compiled = [value.query.sql_with_params() for value in values]
    for model in (Monument, Artefact, AlternateName):
        recent = model.history.order_by("-history_id").values("history_id", "history_date")[:_RECENT_EDITS]
        sql, params = recent.query.sql_with_params()
        # The ORM compiled ``sql`` and holds its values apart in ``params``: nothing here comes from input.
        compiled += [
            (f"SELECT SUM(history_id) FROM ({sql}) AS recent", params),  # noqa: S608
            (f"SELECT MAX(history_date) FROM ({sql}) AS recent", params),  # noqa: S608
        ]
    # One round trip for all of them: SELECT (subquery), (subquery), ...
    return "SELECT " + ", ".join(f"({sql})" for sql, _ in compiled), [p for _, params in compiled for p in params]


def gazetteer_version() -> tuple:
    """Return a value that changes whenever a monument, an artefact or an alternate name does.

    Every part is read from the end of a primary key, so the check costs the same whatever the
    register's size (a count, or a maximum over a column without an index, reads every row, and
    this runs on every import). Each save and delete made through the ORM, as the admin, the API and
    the services make them, writes a history row; rows added without one (bulk_create, fixtures)
    raise the table's highest key. The newest rows' timestamps and name come along, so a key that a
    rolled-back transaction handed out and a later one reuses (SQLite does) still changes the value.
    """
    sql, params = _gazetteer_version_sql(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return tuple(cursor.fetchone())


def gazetteer_build() -> Gazetteer:
    """Return a matcher over every monument's and artefact's names, read from the register now."""
    monuments = {
        pk: Subject("monument", pk, slug, site=part_of or pk, monument_kind=kind)
        for pk, slug, part_of, kind in Monument.objects.values_list("pk", "slug", "part_of_id", "kind").iterator()
    }

    def names():
        for pk, name in Monument.objects.values_list("pk", "name").iterator():
            yield monuments[pk], name
        for monument, name in AlternateName.objects.values_list("monument_id", "name").iterator():
            yield monuments[monument], name
        for pk, slug, origin, name in Artefact.objects.values_list("pk", "slug", "origin_id", "name").iterator():
            site = monuments[origin].site if origin else None
            yield Subject("artefact", pk, slug, site=site, origin=origin), name

    return Gazetteer(names())


def gazetteer_current() -> Gazetteer:
    """Return the matcher for the register's names as they are now, built once per change."""
    version = gazetteer_version()
    if _gazetteer_cache.get("version") != version:
        _gazetteer_cache["gazetteer"] = gazetteer_build()
        _gazetteer_cache["version"] = version
    return _gazetteer_cache["gazetteer"]


def sources_for(slugs: Iterable[str]) -> dict[str, Source]:
    """Return the sources with these slugs, each created from the known sources' table when missing."""
    slugs = set(slugs)
    found = {source.slug: source for source in Source.objects.filter(slug__in=slugs)}
    for slug in slugs - found.keys():
        known = KNOWN_SOURCES.get(slug)
        found[slug], _ = Source.objects.get_or_create(
            slug=slug, defaults=known.defaults if known else {"name": slug, "kind": SourceKind.OTHER}
        )
    return found


def source_for(slug: str) -> Source:
    """Return the source with this slug, created from the known sources' table when missing."""
    return sources_for([slug])[slug]


def outlet_for(name: str) -> Source:
    """Return the outlet called ``name``: a known one, one already in the register, or a new one."""
    if slug := known_slug(name):
        return source_for(slug)
    existing = (
        Source.objects.filter(name__iexact=name).first() or Source.objects.filter(short_name__iexact=name).first()
    )
    if existing:
        return existing
    source, _ = Source.objects.get_or_create(
        slug=slugify(name)[:200] or "outlet", defaults={"name": name[:200], "kind": SourceKind.OUTLET}
    )
    return source


def guess_notes(article: Article, *, outlet_clue: str, publisher_from_site_name: bool) -> list[str]:
    """Return why a curator should confirm the publisher and outlet the importer guessed for ``article``.

    ``outlet_clue`` is the furniture a guessed outlet was inferred from ("NOW WATCH:"), "" for the site's name;
    a guessed publisher came from the site's name, or else from the style of the closing credits.
    """
    notes = []
    if article.publisher_guessed:
        notes.append(publisher_guess_note(article.publisher.name, from_site_name=publisher_from_site_name))
    if article.carried_by_guessed:
        notes.append(outlet_guess_note(article.carried_by.name, outlet_clue))
    return notes


def _subject_fields(subject: Subject) -> dict:
    return {"monument_id": subject.id} if subject.model == "monument" else {"artefact_id": subject.id}


def _subject_key(row) -> tuple[str, int]:
    return ("monument", row.monument_id) if row.monument_id else ("artefact", row.artefact_id)


def _evidenced_spans(article: Article) -> dict[tuple[str, int], list[tuple[int, int]]]:
    """Return, per subject, the spans of the article that are already evidence about it."""
    spans: dict[tuple[str, int], list[tuple[int, int]]] = {}
    rows = (
        Evidence.objects.filter(article=article, position__isnull=False)
        .annotate(length=Length("quote"))
        .values_list(
            "position",
            "length",
            "incident__monument_id",
            "incident__artefact_id",
            "restoration__monument_id",
            "restoration__artefact_id",
            "assessment__monument_id",
            "assessment__artefact_id",
        )
    )
    for position, length, *subjects in rows:
        for model, pk in zip(("monument", "artefact") * 3, subjects, strict=True):
            if pk:
                spans.setdefault((model, pk), []).append((position, position + length))
    return spans


# Within an import, its savepoint already undoes a failed analysis: no second one.
@transaction.atomic(savepoint=False)
def article_analyse(*, article: Article, gazetteer: Gazetteer | None = None, fresh: bool = False) -> Analysis:
    """Store the monuments and artefacts the article names, and suggest evidence from its sentences.

    Mentions are derived data and are made to match the body exactly. Suggestions are
    added, never removed or duplicated: a decided one stays as the curator left it, and
    a sentence already quoted as evidence about the same subject is not suggested again.
    ``fresh`` says the article was just created, so it has nothing stored to compare with.
    """
    gazetteer = gazetteer or gazetteer_current()
    stored = [] if fresh else list(article.mentions.all())
    reading = _with_resolutions(gazetteer.read(article.body, context=article.title), stored, gazetteer)
    found = suggest_report(
        article.body,
        reading.matches,
        published=article.published,
        language=article.language,
        ambiguities=reading.ambiguities,
        states=states_as_assessments(article),
    )
    return _analysis_store(
        article=article, reading=reading, found=found.found, stated=found.stated, stored=stored, fresh=fresh
    )


def _with_resolutions(reading: Reading, stored: list[Mention], gazetteer: Gazetteer) -> Reading:
    """Return the reading with each name a curator resolved as the monument they picked.

    The curator's decision stands however the register's names change: at that place the importer's own
    reading of a part (ambiguous, or another site's) gives way to it.
    """
    resolved = {mention.position: mention for mention in stored if mention.status == MentionStatus.RESOLVED}
    if not resolved:
        return reading
    matches = [m for m in reading.matches if not (m.start in resolved and m.subject.is_part)]
    for mention in resolved.values():
        subject = gazetteer.subjects.get(("monument", mention.monument_id))
        if subject:
            matches.append(Match(subject, mention.position, mention.position + len(mention.text), mention.text))
    return Reading(
        matches=sorted(matches, key=lambda match: match.start),
        ambiguities=[ambiguity for ambiguity in reading.ambiguities if ambiguity.start not in resolved],
    )


def _mentions_store(*, article: Article, reading: Reading, stored: list[Mention]) -> None:
    """Make the article's mentions what the reading found, keeping every name a curator resolved."""
    wanted = {(m.subject.model, m.subject.id, m.start): m for m in reading.matches}
    wanted_ambiguous = {ambiguity.start: ambiguity for ambiguity in reading.ambiguities}
    stale, still_ambiguous = [], {}
    for mention in stored:
        if mention.status == MentionStatus.AMBIGUOUS:
            ambiguity = wanted_ambiguous.pop(mention.position, None)
            if ambiguity is None:
                stale.append(mention.pk)
            else:
                still_ambiguous[mention.pk] = {candidate.id for candidate in ambiguity.candidates}
            continue
        key = (*_subject_key(mention), mention.position)
        if wanted.pop(key, None) is None and mention.status != MentionStatus.RESOLVED:
            stale.append(mention.pk)
    if stale:
        Mention.objects.filter(pk__in=stale).delete()
    new = [
        Mention(article=article, position=m.start, text=m.text[:300], **_subject_fields(m.subject))
        for m in wanted.values()
    ]
    ambiguous = [
        Mention(article=article, position=a.start, text=a.text[:300], status=MentionStatus.AMBIGUOUS)
        for a in wanted_ambiguous.values()
    ]
    Mention.objects.bulk_create(new + ambiguous)
    Candidate = Mention.candidates.through
    wanted_candidates = {
        (mention.pk, candidate.id)
        for mention, ambiguity in zip(ambiguous, wanted_ambiguous.values(), strict=True)
        for candidate in ambiguity.candidates
    }
    if still_ambiguous:
        # The register's names changed since: an ambiguous name may have gained or lost candidates.
        current = set(Candidate.objects.filter(mention__in=still_ambiguous).values_list("mention_id", "monument_id"))
        wanted_candidates |= {(pk, monument) for pk, monuments in still_ambiguous.items() for monument in monuments}
        for mention_id, monument_id in current - wanted_candidates:
            Candidate.objects.filter(mention_id=mention_id, monument_id=monument_id).delete()
        wanted_candidates -= current
    if wanted_candidates:
        Candidate.objects.bulk_create(
            Candidate(mention_id=pk, monument_id=monument) for pk, monument in wanted_candidates
        )


def _analysis_store(
    *,
    article: Article,
    reading: Reading,
    found: list[Suggested],
    stated: list[Stated] = (),
    stored: list[Mention],
    fresh: bool,
) -> Analysis:
    checkpoint()
    _mentions_store(article=article, reading=reading, stored=stored)
    matches = reading.matches

    existing = set() if fresh else {(*_subject_key(s), s.position) for s in article.suggestions.all()}
    evidenced = _evidenced_spans(article) if (found or stated) and not fresh else {}
    sources = sources_for(item.cited for item in found if item.cited)
    new = _assessments_suggested(article=article, stated=stated, existing=existing, evidenced=evidenced)
    for item in found:
        key = (item.subject.model, item.subject.id)
        end = item.position + len(item.quote)
        if (*key, item.position) in existing:
            continue
        if any(start < end and item.position < stop for start, stop in evidenced.get(key, ())):
            continue
        suggestion = Suggestion(
            article=article,
            quote=item.quote,
            position=item.position,
            kind=item.kind,
            subject_text=item.subject_text[:300],
            trigger=item.trigger[:100],
            attribution=item.attribution[:300],
            cited_source=sources[item.cited] if item.cited else None,
            date_phrase=item.date_phrase[:100],
            asserted=item.asserted,
            **_subject_fields(item.subject),
        )
        # Built from the body itself, so verbatim by construction; bulk_create skips save(), and the
        # date's window comes with the guess (tests check it against the edtf package's).
        suggestion.asserted_earliest, suggestion.asserted_latest = item.asserted_earliest, item.asserted_latest
        new.append(suggestion)
        existing.add((*key, item.position))
    checkpoint()
    Suggestion.objects.bulk_create(new)
    return Analysis(matches=tuple(matches), suggestions_created=len(new))


def _assessments_suggested(
    *, article: Article, stated: list[Stated], existing: set, evidenced: dict
) -> list[Suggestion]:
    """Return a new assessment suggestion for each subject of each sentence stating its condition.

    As for events: none where one is already suggested at that place, or where the sentence is already evidence
    about that subject. Adds each to ``existing``.
    """
    new = []
    for item in stated:
        end = item.position + len(item.quote)
        for subject, name in zip(item.subjects, item.names, strict=True):
            key = (subject.model, subject.id)
            if (*key, item.position) in existing:
                continue
            if any(start < end and item.position < stop for start, stop in evidenced.get(key, ())):
                continue
            suggestion = Suggestion(
                article=article,
                quote=item.quote,
                position=item.position,
                kind=ASSESSMENT_KIND,
                condition=item.condition,
                subject_text=name[:300],
                trigger=item.phrase[:100],
                date_phrase=item.date.phrase[:100] if item.date else "",
                asserted=item.date.edtf if item.date else "",
                **_subject_fields(subject),
            )
            if item.date:
                suggestion.asserted_earliest, suggestion.asserted_latest = item.date.earliest, item.date.latest
            new.append(suggestion)
            existing.add((*key, item.position))
    return new


def _review_note(notes: Iterable[str]) -> str:
    note = " ".join(notes)
    return note if len(note) <= 500 else note[:499] + "…"


def states_as_assessments(article: Article) -> bool:
    """Return whether the article's sentences that state a condition are for assessments rather than events.

    A survey or an imagery assessment states conditions ("severely damaged", "no visible damage"); the suggester
    returns those sentences apart (``Suggestions.stated``), for assessments to be suggested from, and suggests
    incidents and restorations only from the sentences that report events.
    """
    return article.kind in {DocumentKind.FIELD_SURVEY, DocumentKind.IMAGERY_ASSESSMENT}


@dataclass(frozen=True)
class ArticleStored:
    article: Article
    analysis: Analysis
    created: bool


def article_store(*, article: Article, notes: list[str], gazetteer: Gazetteer) -> ArticleStored:
    """Save a new article with the monuments it names and the evidence it suggests, and what a curator should check.

    ``notes`` are the reasons to review it found so far. When another import stored the same fingerprint meanwhile,
    that article is brought up to date and returned instead, with ``created`` False.
    """
    # Analysed before it is saved, so what the analysis leaves for a curator is in the first version.
    reading = gazetteer.read(article.body, context=article.title)
    found = suggest_report(
        article.body,
        reading.matches,
        published=article.published,
        language=article.language,
        ambiguities=reading.ambiguities,
        states=states_as_assessments(article),
    )
    if found.too_long:
        notes.append(
            ngettext(
                "%(count)s sentence is longer than %(limit)s characters and names a monument or artefact: "
                "nothing was suggested from it; read it.",
                "%(count)s sentences are longer than %(limit)s characters and name a monument or artefact: "
                "nothing was suggested from them; read them.",
                found.too_long,
            )
            % {"count": found.too_long, "limit": f"{MAX_SENTENCE:,}"}
        )
    article.needs_review, article.review_note = bool(notes), _review_note(notes)
    # The fingerprint was looked up and the sources fetched just above, and the database enforces the
    # constraints, so only the other fields and clean() are checked here; a concurrent import of the
    # same text is caught below.
    article.full_clean(exclude=["publisher", "carried_by"], validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            article.save()
    except IntegrityError:
        # Another import stored the same text between the look-up and the save.
        existing = Article.objects.get(sha256=article.sha256)
        return ArticleStored(existing, article_analyse(article=existing, gazetteer=gazetteer), created=False)
    analysis = _analysis_store(
        article=article, reading=reading, found=found.found, stated=found.stated, stored=[], fresh=True
    )
    return ArticleStored(article, analysis, created=True)


@transaction.atomic
def _article_store(*, text: str, sha256: str, encoding: str, name: str, gazetteer: Gazetteer) -> ImportResult:
    existing = Article.objects.filter(sha256=sha256).first()
    if existing is None:
        report = read_report(text)
        checkpoint()
        notes = list(report.review_notes)
        if encoding == WINDOWS_1252:
            notes.append(_("Not UTF-8: decoded as Windows-1252; check accents and quotation marks."))
        publisher_slug = report.publisher or UNKNOWN_PUBLISHER
        outlet_slug = known_slug(report.carried_by) if report.carried_by else None
        sources = sources_for(filter(None, (publisher_slug, outlet_slug)))
        publisher = sources[publisher_slug]
        carried_by = None
        if outlet_slug:
            carried_by = sources[outlet_slug]
        elif report.carried_by:
            carried_by = outlet_for(report.carried_by)
        if carried_by == publisher:
            carried_by = None
        article = Article(
            title=report.title,
            published=report.published,
            dateline=report.dateline,
            byline=report.byline,
            publisher=publisher,
            carried_by=carried_by,
            publisher_guessed=report.publisher_guessed,
            carried_by_guessed=bool(report.outlet_clue) and carried_by is not None,
            raw_text=text,
            body=report.body,
            sha256=sha256,
            source_file=name[-500:],
            encoding=encoding,
        )
        notes += guess_notes(article, outlet_clue=report.outlet_clue, publisher_from_site_name=False)
        stored = article_store(article=article, notes=notes, gazetteer=gazetteer)
        article, analysis, created = stored.article, stored.analysis, stored.created
    else:
        article, analysis, created = existing, article_analyse(article=existing, gazetteer=gazetteer), False
    return ImportResult(
        file=name,
        status=ImportStatus.CREATED if created else ImportStatus.DUPLICATE,
        sha256=sha256,
        article=article,
        mentions=analysis.monument_slugs,
        suggestions=analysis.suggestions_created,
        format=FileFormat.TEXT,
    )


def _failed(name: str, reason: str, sha256: str | None = None, file_format: str | None = None) -> ImportResult:
    return ImportResult(file=name, status=ImportStatus.FAILED, sha256=sha256, error=reason, format=file_format)


@transaction.atomic
def _document_import(*, data: bytes, name: str, file_format: FileFormat, gazetteer: Gazetteer) -> ImportResult:
    # Imported here: the documents service builds on this module's storing and analysis.
    from register.services.documents import document_import

    return document_import(data=data, name=name, file_format=file_format, gazetteer=gazetteer)


def article_import(
    *, data: bytes, name: str, gazetteer: Gazetteer | None = None, seconds: float | None = None
) -> ImportResult:
    """Import one received file's bytes as an article (from a web archive, articles); report why when they cannot be.

    The file's name says how it is read (``register.ingest.formats``): plain text, a web page, a PDF or a web
    archive, whose documents ``register.services.documents`` stores. Never raises for anything a file holds: an
    empty, binary, undecodable or corrupt file, one of a format no reader takes, one the register refuses, one
    that takes longer than ``seconds`` (``ARTICLE_IMPORT_SECONDS`` by default), or one on which the importer
    fails is a ``failed`` result with the reason, and nothing of it is stored, so the next file imports.
    ``name`` is reported with undecodable bytes and control characters escaped.
    """
    name = display_name(name)
    seconds = settings.ARTICLE_IMPORT_SECONDS if seconds is None else seconds
    sha256 = file_format = None
    try:
        # The register's names are read before the file's own time starts: built once per change of names for
        # every file after it, their cost grows with the register, not with the file.
        gazetteer = gazetteer or gazetteer_current()
        with time_budget(seconds):
            file_format = format_of(name)
            if file_format != FileFormat.TEXT:
                sha256 = hashlib.sha256(data).hexdigest()
                if not data:
                    raise UnreadableError(_("empty file"))
                return _document_import(data=data, name=name, file_format=file_format, gazetteer=gazetteer)
            decoded = decode(data)
            sha256 = fingerprint(decoded.text)
            return _article_store(
                text=decoded.text,
                sha256=sha256,
                encoding=decoded.encoding,
                name=name,
                gazetteer=gazetteer,
            )
    except UnreadableError as error:
        logger.warning("Not imported: %s: %s", name, error)
        return _failed(name, str(error), sha256, file_format)
    except ValidationError as error:
        logger.warning("Not imported: %s: %s", name, "; ".join(error.messages))
        return _failed(name, "; ".join(error.messages), sha256, file_format)
    except OverBudget as error:
        # The traceback says which step the time ran out in.
        logger.warning("Not imported: %s took longer than %s seconds", name, error.seconds, exc_info=True)
        reason = _(
            "took longer than the %(seconds)s seconds an import may take; nothing of it was stored. "
            "Import it on its own, or ask for a longer ARTICLE_IMPORT_SECONDS."
        ) % {"seconds": f"{error.seconds:g}"}
        return _failed(name, reason, sha256, file_format)
    except Exception as error:
        # One file's failure, even the importer's own bug, must not cost the rest of the batch.
        logger.exception("Import of %s failed", name)
        reason = _(
            "the importer failed on this file (%(error)s); nothing of it was stored, and the details are in "
            "the server's log."
        ) % {"error": f"{type(error).__name__}: {error}"[:300]}
        return _failed(name, reason, sha256, file_format)


def article_import_file(
    *, path: Path, gazetteer: Gazetteer | None = None, follow_symlinks: bool = True, seconds: float | None = None
) -> ImportResult:
    """Import the file at ``path``; one that cannot be read, or is not a regular file, is a ``failed`` result.

    ``follow_symlinks=False`` refuses a symbolic link, as a directory import does for what it finds.
    """
    try:
        data = read_file(path, follow_symlinks=follow_symlinks)
    except UnreadableError as error:
        logger.warning("Not imported: %s: %s", display_name(path), error)
        return _failed(display_name(path), str(error))
    return article_import(data=data, name=str(path), gazetteer=gazetteer, seconds=seconds)


def article_import_listed(
    *, item: FileToImport, gazetteer: Gazetteer | None = None, seconds: float | None = None
) -> ImportResult:
    """Import one entry of ``files_to_import``: a file named, or one found in a directory (links not followed)."""
    if item.problem:
        logger.warning("Not imported: %s: %s", display_name(item.path), item.problem)
        return _failed(display_name(item.path), item.problem)
    return article_import_file(
        path=item.path, gazetteer=gazetteer, follow_symlinks=not item.in_directory, seconds=seconds
    )


def article_import_upload(*, upload: UploadedFile, gazetteer: Gazetteer | None = None) -> ImportResult:
    """Import an uploaded file; one over the size limit is refused before it is read."""
    try:
        data = read_limited(upload, upload.size)
    except UnreadableError as error:
        logger.warning("Not imported: %s: %s", display_name(upload.name), error)
        return _failed(display_name(upload.name), str(error))
    return article_import(data=data, name=upload.name, gazetteer=gazetteer)


def _unique_slug(model, base: str) -> str:
    base = slugify(base)[:190].strip("-") or model._meta.model_name
    slug, counter = base, 1
    while model.objects.filter(slug=slug).exists():
        counter += 1
        slug = f"{base}-{counter}"
    return slug


def _event_new(suggestion: Suggestion, when: str) -> Incident | Restoration:
    """Return a new incident or restoration for the suggestion's subject, saved, for a curator to complete."""
    if not when:
        raise ValidationError(
            {"date": "The sentence gives no date: give one (EDTF, such as 2017-02 or 2016-12/2017-01)."}
        )
    subject = suggestion.subject
    year = when[:4] if when[:4].isdigit() else ""
    fields = {
        "slug": _unique_slug(
            Restoration if suggestion.is_restoration else Incident, f"{subject.slug}-{suggestion.kind}-{year}"
        ),
        "monument": suggestion.monument,
        "artefact": suggestion.artefact,
        "kind": suggestion.kind,
        "summary": suggestion.quote,
    }
    if suggestion.is_restoration:
        returned = when if suggestion.kind == RestorationKind.RETURN else ""
        event = Restoration(finished=when, returned=returned, **fields)
    else:
        published = suggestion.article.published
        reported = ""
        if published and edtf_window(when)[0] <= published:
            reported = published.isoformat()
        # The grade is left for the curator: a trigger word is no damage assessment.
        event = Incident(occurred=when, reported=reported, **fields)
    event.full_clean()
    event.save()
    return event


# How an assessment suggested from a document saw the place, by the kind of document it is.
ASSESSMENT_METHOD_OF_KIND = {
    DocumentKind.IMAGERY_ASSESSMENT: AssessmentMethod.SATELLITE_IMAGERY,
    DocumentKind.FIELD_SURVEY: AssessmentMethod.FIELD_VISIT,
}


def assessment_method_for(kind: str) -> str:
    """Return the method of an assessment read from a document of ``kind``: imagery, a field visit, else a report."""
    return ASSESSMENT_METHOD_OF_KIND.get(kind, AssessmentMethod.REPORT)


def _assessment_new(suggestion: Suggestion, when: str) -> Assessment:
    """Return a new assessment of the suggestion's subject, saved, stating the condition its sentence guesses.

    Dated by ``when``, else by the sentence's own date, else by the later image of an imagery assessment, else by
    the document's publication: a survey states the state as it found it when it was written.
    """
    article = suggestion.article
    when = when or suggestion.asserted
    if not when and article.kind == DocumentKind.IMAGERY_ASSESSMENT and article.imagery_after:
        when = article.imagery_after.isoformat()
    if not when and article.published:
        when = article.published.isoformat()
    if not when:
        raise ValidationError(
            {"date": _("Neither the sentence nor its document gives a date: give one (EDTF, such as 2017-02).")}
        )
    subject = suggestion.subject
    year = when[:4] if when[:4].isdigit() else ""
    assessment = Assessment(
        slug=_unique_slug(Assessment, f"{subject.slug}-assessment-{year}"),
        monument=suggestion.monument,
        artefact=suggestion.artefact,
        assessed=when,
        condition=suggestion.condition or Condition.UNKNOWN,
        method=assessment_method_for(article.kind),
        summary=suggestion.quote,
    )
    assessment.full_clean()
    assessment.save()
    return assessment


@transaction.atomic
def suggestion_accept(
    *,
    suggestion: Suggestion,
    user,
    incident: Incident | None = None,
    restoration: Restoration | None = None,
    assessment: Assessment | None = None,
    date: str = "",
) -> Evidence:
    """Make the suggestion evidence for an incident, restoration or assessment, or for a new one prefilled from it.

    With none given, the new one is of the suggestion's kind: an assessment for a sentence that states a condition
    (its condition guessed from the words, its method from the kind of document), else an incident or restoration.
    ``date`` (EDTF) dates it when the sentence gives none, or overrides its guess. A passage already quoted as
    evidence for that event is linked rather than copied.
    """
    suggestion = Suggestion.objects.select_for_update().select_related("article").get(pk=suggestion.pk)
    if suggestion.status != SuggestionStatus.PENDING:
        raise ValidationError(f"This suggestion was already {suggestion.get_status_display()}.")
    if sum(event is not None for event in (incident, restoration, assessment)) > 1:
        raise ValidationError(_("Attach the suggestion to one incident, restoration or assessment, not several."))
    if not (incident or restoration or assessment):
        if suggestion.is_assessment:
            assessment = _assessment_new(suggestion, date)
        else:
            event = _event_new(suggestion, date or suggestion.asserted)
            incident, restoration = (None, event) if isinstance(event, Restoration) else (event, None)
    evidence = Evidence.objects.filter(
        article=suggestion.article,
        position=suggestion.position,
        incident=incident,
        restoration=restoration,
        assessment=assessment,
    ).first()
    if evidence is None:
        evidence = Evidence(
            article=suggestion.article,
            incident=incident,
            restoration=restoration,
            assessment=assessment,
            quote=suggestion.quote,
            position=suggestion.position,
            stance=Stance.SUPPORTS,
            cited_source=suggestion.cited_source,
            asserted=suggestion.asserted,
            note=f"The sentence's attribution: “{suggestion.attribution}”." if suggestion.attribution else "",
        )
        evidence.full_clean()
        evidence.save()
    suggestion.status = SuggestionStatus.ACCEPTED
    suggestion.evidence = evidence
    suggestion.reviewed_by = user
    suggestion.reviewed_at = timezone.now()
    suggestion.save(update_fields=["status", "evidence", "reviewed_by", "reviewed_at"])
    if incident is not None:
        # A new origin may corroborate or confirm the incident: imagery or an official body confirming a report.
        incident_strength_refresh(incident=incident)
    conditions_refresh_for(records=[evidence])
    return evidence


@transaction.atomic
def suggestion_reject(*, suggestion: Suggestion, user, reason: str = "") -> Suggestion:
    """Mark the suggestion rejected by ``user``, with the reason; it is never suggested again."""
    suggestion = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    if suggestion.status != SuggestionStatus.PENDING:
        raise ValidationError(f"This suggestion was already {suggestion.get_status_display()}.")
    suggestion.status = SuggestionStatus.REJECTED
    suggestion.reviewed_by = user
    suggestion.reviewed_at = timezone.now()
    suggestion.review_note = reason[:500]
    suggestion.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
    return suggestion


@transaction.atomic
def mention_resolve(*, mention: Mention, monument: Monument, user) -> Mention:
    """Record that an ambiguous mention names ``monument``, one of its candidates, and suggest evidence from it.

    The article is analysed again with the curator's decision, so its sentence is suggested as evidence about
    that monument (and what was suggested before stays as it was).
    """
    mention = Mention.objects.select_for_update().select_related("article").get(pk=mention.pk)
    if mention.status != MentionStatus.AMBIGUOUS:
        raise ValidationError(
            _("This mention is not ambiguous: it already names %(subject)s.") % {"subject": mention.subject}
        )
    if not mention.candidates.filter(pk=monument.pk).exists():
        raise ValidationError(
            {"monument": _("%(monument)s is not one of the monuments this name may be.") % {"monument": monument}}
        )
    mention.monument = monument
    mention.status = MentionStatus.RESOLVED
    mention.resolved_by = user
    mention.resolved_at = timezone.now()
    mention.full_clean()
    mention.save(update_fields=["monument", "status", "resolved_by", "resolved_at"])
    article_analyse(article=mention.article)
    return mention


@transaction.atomic
def article_guesses_confirm(*, articles: Iterable[Article], user) -> int:
    """Confirm the publisher and outlet the importer guessed for ``articles``; return how many had guesses.

    From then on every public channel shows them as fact. Each confirmation is a version in the article's history,
    which records who confirmed it and when.
    """
    guessed = Q(publisher_guessed=True) | Q(carried_by_guessed=True)
    confirmed = 0
    for article in Article.objects.select_for_update().filter(guessed, pk__in=[article.pk for article in articles]):
        article.publisher_guessed = article.carried_by_guessed = False
        article._history_user = user
        article._change_reason = _("Confirmed the guessed publisher and outlet")
        article.save()
        confirmed += 1
    return confirmed
