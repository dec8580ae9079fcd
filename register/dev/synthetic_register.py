"""A realistic, reproducible register of any size, for benchmarks and load tests.

Sites with parts, alternate names in Arabic, Latin transliteration and French,
articles with bodies, incidents with EDTF dates and the earliest and latest day
each allows, quotes that stand verbatim at their position in their article, and
restorations. Everything comes from one ``random.Random(seed)``, so the same
seed gives the same register. What the register stores about events and
subjects (whether each event is public, conditions, counts) is derived at the
end by ``conditions_refresh``, as after any other bulk load.

Speed: benchmarks generate registers of the size the product must serve, so
the load avoids per-row work in Python. Rows are built as plain tuples
(not model instances, whose per-field preparation cost more than the database
did) with ids taken from the table's sequence up front, so children name their
parents without a round trip for each batch's ids; PostgreSQL loads them with
COPY, SQLite with one prepared INSERT per table and batch. No per-row save, so
no edit history is written: generated data is nobody's edit.
"""

import calendar
import datetime as dt
import random
import time
from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, models, transaction
from django.utils import timezone

from register.models import AlternateName, Article, Evidence, Incident, Monument, Restoration, Source, fingerprint
from register.models.vocabularies import (
    Certainty,
    Condition,
    DamageGrade,
    EvidenceStrength,
    IncidentKind,
    MonumentKind,
    PublicationState,
    RestorationKind,
    SourceKind,
    Stance,
)
from register.services.condition import conditions_refresh

PARTS_PER_SITE = 7
QUOTES_PER_ARTICLE = 20
RESTORATION_EVERY = 20  # one monument in twenty has been restored

SOURCES = (
    ("afp", "Agence France-Presse", "AFP", SourceKind.NEWS_AGENCY),
    ("reuters", "Reuters", "Reuters", SourceKind.NEWS_AGENCY),
    ("sana", "Syrian Arab News Agency", "SANA", SourceKind.STATE_MEDIA),
    ("sohr", "Syrian Observatory for Human Rights", "SOHR", SourceKind.MONITOR),
    ("dgam", "Directorate-General of Antiquities and Museums", "DGAM", SourceKind.GOVERNMENT),
    ("unesco", "UNESCO", "UNESCO", SourceKind.INTERGOVERNMENTAL),
    ("asor", "ASOR Cultural Heritage Initiatives", "ASOR", SourceKind.RESEARCH),
    ("iscr", "Istituto Superiore per la Conservazione ed il Restauro", "ISCR", SourceKind.RESEARCH),
)
PUBLISHERS = ("afp", "reuters", "sana", "asor")

SYLLABLES = (
    "tad",
    "mur",
    "pal",
    "my",
    "ra",
    "ha",
    "lab",
    "bos",
    "ra",
    "da",
    "ma",
    "qas",
    "ar",
    "dur",
    "eu",
    "ro",
    "pos",
)
ARABIC = ("تد", "مر", "حل", "ب", "بص", "رى", "دم", "شق", "قص", "ر", "عي", "ن", "تل", "سو", "ق")
SITE_WORDS = ("Tell", "Qasr", "Khirbet", "Deir", "Qalaat", "Ain")
PART_NAMES = (
    (MonumentKind.TEMPLE, "Temple of {}", "Temple de {}"),
    (MonumentKind.THEATRE, "Theatre of {}", "Théâtre de {}"),
    (MonumentKind.ARCH, "Arch of {}", "Arc de {}"),
    (MonumentKind.TETRAPYLON, "Tetrapylon of {}", "Tétrapyle de {}"),
    (MonumentKind.TOMB, "Tower tomb of {}", "Tour funéraire de {}"),
    (MonumentKind.FORTIFICATION, "Citadel of {}", "Citadelle de {}"),
    (MonumentKind.MUSEUM, "Museum of {}", "Musée de {}"),
)
INCIDENTS = (
    (IncidentKind.DESTROYED, DamageGrade.DESTROYED, "blew up"),
    (IncidentKind.DAMAGED, DamageGrade.SEVERE, "severely damaged"),
    (IncidentKind.DAMAGED, DamageGrade.MODERATE, "damaged"),
    (IncidentKind.DAMAGED, DamageGrade.POSSIBLE, "may have damaged"),
    (IncidentKind.LOOTED, "", "looted"),
    (IncidentKind.MILITARY_USE, "", "used as a military position"),
)
PERPETRATORS = ("Islamic State", "government forces", "opposition fighters", "unknown", "looters")

# Plain strings for the rows: the database drivers are handed str, not str-derived enums.
BASELINES = (str(Condition.GOOD), str(Condition.FAIR), str(Condition.UNKNOWN))
STRENGTHS = tuple(str(value) for value in EvidenceStrength.values)
CERTAINTIES = (str(Certainty.MEDIUM), str(Certainty.HIGH), str(Certainty.LOW))
SUPPORTS = str(Stance.SUPPORTS)
SITE = str(MonumentKind.SITE)
RESTORED = str(RestorationKind.RESTORATION)
RESTORED_CONDITION = str(Condition.FAIR)
DEGREES = Decimal("0.0000001")

# The columns each generated row gives, in tuple order; every other column takes its model default.
MONUMENT_COLUMNS = (
    "id",
    "name",
    "slug",
    "kind",
    "part_of_id",
    "built",
    # The English column of the translated text (register.translation).
    "description_en",
    "latitude",
    "longitude",
    "condition_baseline",
    "version",
)
NAME_COLUMNS = ("monument_id", "name", "language", "version")
# Every generated event is published, on one fixed day, so a generated register is public as a curated one would be.
PUBLISHED_ON = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
INCIDENT_COLUMNS = (
    "id",
    "slug",
    "monument_id",
    "kind",
    "grade",
    "occurred",
    "occurred_earliest",
    "occurred_latest",
    "reported",
    "reported_earliest",
    "reported_latest",
    "perpetrator",
    "summary_en",
    "strength",
    "certainty",
    "state",
    "published",
    "version",
)
RESTORATION_COLUMNS = (
    "id",
    "slug",
    "monument_id",
    "kind",
    "institution_id",
    "finished",
    "finished_earliest",
    "finished_latest",
    "summary_en",
    "condition_after",
    "state",
    "published",
    "version",
)
ARTICLE_COLUMNS = ("id", "title", "publisher_id", "published", "raw_text", "body", "sha256", "language", "version")
EVIDENCE_COLUMNS = (
    "article_id",
    "incident_id",
    "restoration_id",
    "stance",
    "quote",
    "position",
    "cited_source_id",
    "version",
)


@dataclass(frozen=True)
class GenerateSummary:
    monuments: int
    names: int
    articles: int
    incidents: int
    restorations: int
    evidence: int
    # Where the time went, by phase: building rows in Python, writing each table, refreshing the conditions.
    seconds: dict[str, float] = field(default_factory=dict, compare=False)


def edtf_for(rng: random.Random) -> tuple[str, dt.date, dt.date]:
    """Return a random EDTF date of a shape reports give, with its earliest and latest day."""
    start = dt.date(2011, 3, 15) + dt.timedelta(days=rng.randrange(0, 10 * 365))
    shape = rng.randrange(4)
    # isoformat() rather than strftime: the same text (years have four digits), several times faster.
    if shape == 0:  # a month: "in December"
        last = calendar.monthrange(start.year, start.month)[1]
        return start.isoformat()[:7], start.replace(day=1), start.replace(day=last)
    if shape == 1:  # an approximate day: "Wednesday", as the report dates it
        return f"{start.isoformat()}~", start, start
    if shape == 2:  # an interval: "between 26 December and 10 January"
        end = start + dt.timedelta(days=rng.randrange(1, 30))
        return f"{start.isoformat()}/{end.isoformat()}", start, end
    return start.isoformat(), start, start


def _name(rng: random.Random, parts: tuple[str, ...], count: int) -> str:
    return "".join(rng.choice(parts) for _ in range(count))


def _sources() -> dict[str, Source]:
    found = {}
    for slug, name, short, kind in SOURCES:
        found[slug], _created = Source.objects.get_or_create(
            slug=slug, defaults={"name": name, "short_name": short, "kind": kind}
        )
    return found


class _RowWriter:
    """Write plain rows to a model's table, with ids taken from its sequence beforehand.

    Columns a row does not give take the model's default (``auto_now`` ones the time of the run), so a
    field added to a model later with a default still loads.
    """

    def __init__(self, now: dt.datetime):
        self.now = now
        self.copy = connection.vendor == "postgresql"
        self.next_id: dict[type[models.Model], int] = {}
        self.seconds: dict[str, float] = {}

    def ids(self, model: type[models.Model], count: int) -> Sequence[int]:
        """Return ``count`` new ids for ``model``, none of which the table has used or will hand out."""
        table = connection.ops.quote_name(model._meta.db_table)
        with connection.cursor() as cursor:
            if self.copy:
                # nextval() is safe beside other writers; one round trip returns the whole batch's ids.
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [table, model._meta.pk.column, count],
                )
                return [row[0] for row in cursor.fetchall()]
            if model not in self.next_id:
                # Above both the highest id and AUTOINCREMENT's record of it, so no deleted id is reused.
                cursor.execute(f"SELECT max({model._meta.pk.column}) FROM {table}")  # noqa: S608 (model metadata)
                highest = cursor.fetchone()[0] or 0
                cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [model._meta.db_table])
                recorded = cursor.fetchone()
                self.next_id[model] = max(highest, recorded[0] if recorded else 0) + 1
        first = self.next_id[model]
        self.next_id[model] = first + count
        return range(first, first + count)

    def write(self, model: type[models.Model], columns: Sequence[str], rows: Iterable[tuple]) -> None:
        started = time.perf_counter()
        # The id is the database's to give where a row names none (no child points at the row).
        fields = [
            field for field in model._meta.concrete_fields if field.column not in columns and not field.primary_key
        ]
        missing = tuple(field.get_db_prep_save(self._default(field), connection) for field in fields)
        names = [*columns, *(field.column for field in fields)]
        table = connection.ops.quote_name(model._meta.db_table)
        column_list = ", ".join(connection.ops.quote_name(name) for name in names)
        with connection.cursor() as cursor:
            if self.copy:
                # The driver's own cursor: COPY streams the rows in one statement, far faster than INSERTs.
                with cursor.cursor.copy(f"COPY {table} ({column_list}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row + missing)
            else:
                placeholders = ", ".join(["%s"] * len(names))
                insert = f"INSERT INTO {table} ({column_list}) VALUES ({placeholders})"  # noqa: S608 (model metadata)
                cursor.executemany(insert, [row + missing for row in rows])
        self.seconds[model.__name__] = self.seconds.get(model.__name__, 0.0) + time.perf_counter() - started

    def _default(self, field: models.Field):
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            return self.now
        return field.get_default()


@contextmanager
def _search_indexed_after_load(models_loaded: Iterable[type[models.Model]]):
    """On SQLite, fill the full-text tables (migration 0009) once after the load, not by a trigger per row.

    Each table's insert trigger is dropped and then recreated from its own stored SQL, and the rows
    added in between are indexed with the same INSERT the trigger makes, in one statement, which costs
    less than indexing row by row. Run inside the load's transaction: SQLite's schema changes are
    transactional, so an error rolls the trigger back into place, and no other connection can write (and
    so skip the index) while it is missing.
    """
    if connection.vendor != "sqlite":
        yield
        return
    deferred = []
    with connection.cursor() as cursor:
        for model in models_loaded:
            table = model._meta.db_table
            cursor.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = %s", [f"{table}_fts_insert"]
            )
            trigger = cursor.fetchone()
            if trigger is None:
                continue
            cursor.execute(f"DROP TRIGGER {table}_fts_insert")
            # The trigger's drop took the write lock, so no row can come between this and the load.
            cursor.execute(f"SELECT max(id) FROM {table}")  # noqa: S608 (model metadata)
            highest = cursor.fetchone()[0] or 0
            cursor.execute(f"PRAGMA table_info({table}_fts)")
            columns = ", ".join(row[1] for row in cursor.fetchall())
            deferred.append((table, columns, highest, trigger[0]))
    yield
    with connection.cursor() as cursor:
        for table, columns, highest, trigger in deferred:
            cursor.execute(
                f"INSERT INTO {table}_fts(rowid, {columns}) SELECT id, {columns} FROM {table} WHERE id > %s",  # noqa: S608
                [highest],
            )
            cursor.execute(trigger)


@transaction.atomic
def register_generate(
    *,
    monuments: int,
    seed: int = 1,
    incidents_per_monument: int = 4,
    quotes_per_article: int = QUOTES_PER_ARTICLE,
    batch_size: int = 5000,
    progress: Callable[[int], None] | None = None,
    refresh_progress: Callable[[int], None] | None = None,
) -> GenerateSummary:
    """Add ``monuments`` generated monuments with their names, incidents, restorations, articles and quotes.

    ``progress`` is called with the number of monuments done after each batch, ``refresh_progress`` with the
    number of monuments and artefacts whose stored condition has been refreshed, after each batch of those.
    """
    started = time.perf_counter()
    rng = random.Random(seed)
    sources = {slug: source.pk for slug, source in _sources().items()}
    writer = _RowWriter(timezone.now())
    totals = dict.fromkeys(("monuments", "names", "articles", "incidents", "restorations", "evidence"), 0)
    site_size = PARTS_PER_SITE + 1
    # Whole sites per batch, so a part is always written with its site.
    per_batch = max(site_size, batch_size // site_size * site_size)
    # Numbers continue after the monuments already there, so slugs stay unique in a register that has data.
    offset = Monument.objects.count()
    with _search_indexed_after_load((Monument, AlternateName, Incident, Restoration, Article, Evidence)):
        for start in range(offset, offset + monuments, per_batch):
            count = min(per_batch, offset + monuments - start)
            created = _batch(rng, writer, sources, start, count, incidents_per_monument, quotes_per_article)
            for key, value in created.items():
                totals[key] += value
            if progress is not None:
                progress(count)
        written = time.perf_counter()
    loaded = time.perf_counter()
    _analyze((Monument, AlternateName, Incident, Restoration, Article, Evidence))
    analyzed = time.perf_counter()
    conditions_refresh(batch_size=batch_size, progress=refresh_progress)
    refreshed = time.perf_counter()
    # The refresh rewrote the stored values the lists filter on (the public flags above all): their statistics too.
    _analyze((Monument, Incident, Restoration))
    seconds = {"build rows": written - started - sum(writer.seconds.values())}
    seconds.update({f"write {table}": spent for table, spent in writer.seconds.items()})
    if connection.vendor == "sqlite":
        seconds["fill search tables"] = loaded - written
    seconds["analyze"] = analyzed - loaded + time.perf_counter() - refreshed
    seconds["refresh conditions"] = refreshed - analyzed
    return GenerateSummary(**totals, seconds=seconds)


def _analyze(models: tuple) -> None:
    """Gather the planner's statistics on the tables just filled, inside the load's own transaction.

    Autovacuum cannot see rows before they commit, so without this the refresh that follows is planned for
    empty tables, and PostgreSQL hashed every quote of the register for each batch of subjects.
    """
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


@dataclass(slots=True)
class _Place:
    """A monument to be written; its id is given once the batch's ids are taken."""

    name: str
    slug: str
    kind: str
    site: "_Place | None"
    built: str
    description: str
    latitude: Decimal
    longitude: Decimal
    baseline: str
    pk: int = 0

    def row(self) -> tuple:
        """Return the row in MONUMENT_COLUMNS order."""
        part_of = self.site.pk if self.site is not None else None
        place = (self.latitude, self.longitude, self.baseline)
        return (self.pk, self.name, self.slug, self.kind, part_of, self.built, self.description, *place, 1)


def _batch(rng, writer, sources, start, count, incidents_per_monument, quotes_per_article) -> dict[str, int]:
    site_size = PARTS_PER_SITE + 1
    sites, parts, names = [], [], []
    for number in range(start, start + count):
        place = _name(rng, SYLLABLES, 3).capitalize()
        arabic = _name(rng, ARABIC, 3)
        latitude = Decimal(rng.uniform(29.0, 37.0)).quantize(DEGREES)
        longitude = Decimal(rng.uniform(35.0, 48.0)).quantize(DEGREES)
        baseline = rng.choice(BASELINES)
        if (number - start) % site_size == 0:
            word = rng.choice(SITE_WORDS)
            name = f"{word} {place}"
            built = f"{rng.randrange(1, 30)}th century BCE"
            description = f"An ancient settlement at {name}, inhabited for {rng.randrange(2, 40)} centuries."
            site = _Place(
                name, f"{word}-{place}-{number}".lower(), SITE, None, built, description, latitude, longitude, baseline
            )
            sites.append(site)
            names.append((site, arabic, "ar"))
            names.append((site, place, "ar-Latn"))
        else:
            kind, english, french = PART_NAMES[(number - start) % site_size - 1]
            name = english.format(place)
            slug = f"{name}-{number}".lower().replace(" ", "-")
            description = f"{name}, part of the site of {sites[-1].name}."
            part = _Place(name, slug, str(kind), sites[-1], "", description, latitude, longitude, baseline)
            parts.append(part)
            names.append((part, french.format(place), "fr"))
            names.append((part, arabic, "ar"))
    # Sites take the lower ids, then their parts, in the order the rows are written.
    monuments = [*sites, *parts]
    for monument, pk in zip(monuments, writer.ids(Monument, len(monuments)), strict=True):
        monument.pk = pk
    writer.write(Monument, MONUMENT_COLUMNS, (monument.row() for monument in monuments))
    writer.write(AlternateName, NAME_COLUMNS, ((monument.pk, name, language, 1) for monument, name, language in names))

    # Each event is told in one sentence of an article; the sentence is its quote.
    events = []
    for monument in monuments:
        # Between none and twice the mean, so the mean is incidents_per_monument.
        for number in range(rng.randrange(incidents_per_monument * 2 + 1)):
            events.append(_incident(rng, monument, number))
        if rng.randrange(RESTORATION_EVERY) == 0:
            events.append(_restoration(rng, monument, sources["iscr"]))
    rng.shuffle(events)
    incidents = [event for event in events if event[0] is Incident]
    restorations = [event for event in events if event[0] is Restoration]
    for event, pk in zip(incidents, writer.ids(Incident, len(incidents)), strict=True):
        event[1][0] = pk
    for event, pk in zip(restorations, writer.ids(Restoration, len(restorations)), strict=True):
        event[1][0] = pk
    writer.write(Incident, INCIDENT_COLUMNS, (tuple(event[1]) for event in incidents))
    writer.write(Restoration, RESTORATION_COLUMNS, (tuple(event[1]) for event in restorations))

    articles, evidence = [], []
    article_ids = iter(writer.ids(Article, (len(events) + quotes_per_article - 1) // quotes_per_article))
    cited = [sources["sohr"], sources["dgam"], None, None]
    quotes = []
    for first in range(0, len(events), quotes_per_article):
        told = events[first : first + quotes_per_article]
        publisher = rng.choice(PUBLISHERS)
        article = next(article_ids)
        sentences, position = [], 0
        for model, row, sentence, _told_on, _subject in told:
            quotes.append((article, model, row[0], sentence, position))
            sentences.append(sentence)
            position += len(sentence) + 1
        body = " ".join(sentences)
        published = max(event[3] for event in told)
        raw = f"{SOURCES_SHORT[publisher]}, {published:%d %B %Y}\n\n{body}\n"
        title = f"Damage reported at {told[0][4]} and {len(told) - 1} other sites"
        articles.append((article, title, sources[publisher], published, raw, body, fingerprint(raw), "en", 1))
    writer.write(Article, ARTICLE_COLUMNS, articles)
    for article, model, event, sentence, at in quotes:
        incident, restoration = (event, None) if model is Incident else (None, event)
        evidence.append((article, incident, restoration, SUPPORTS, sentence, at, rng.choice(cited), 1))
    writer.write(Evidence, EVIDENCE_COLUMNS, evidence)
    return {
        "monuments": len(sites) + len(parts),
        "names": len(names),
        "articles": len(articles),
        "incidents": len(incidents),
        "restorations": len(restorations),
        "evidence": len(evidence),
    }


SOURCES_SHORT = {slug: short for slug, _name, short, _kind in SOURCES}


def _incident(rng: random.Random, monument: _Place, number: int) -> tuple:
    """Return an incident of the monument: (Incident, its row with the id to come first, sentence, told on, subject)."""
    kind, grade, verb = rng.choice(INCIDENTS)
    occurred, earliest, latest = edtf_for(rng)
    reported = latest + dt.timedelta(days=rng.randrange(0, 20))
    perpetrator = rng.choice(PERPETRATORS)
    name = monument.name
    row = [
        None,
        f"{monument.slug}-{number}",
        monument.pk,
        str(kind),
        str(grade),
        occurred,
        earliest,
        latest,
        reported.isoformat(),
        reported,
        reported,
        perpetrator,
        f"{perpetrator.capitalize()} {verb} the {name}.",
        rng.choice(STRENGTHS),
        rng.choice(CERTAINTIES),
        PublicationState.PUBLISHED.value,
        PUBLISHED_ON,
        1,
    ]
    sentence = f"According to witnesses, {perpetrator} {verb} the {name} ({occurred})."
    # A report of an incident is dated after the incident was reported.
    return Incident, row, sentence, reported, name


def _restoration(rng: random.Random, monument: _Place, iscr: int) -> tuple:
    """Return a restoration of the monument, shaped as ``_incident``'s incidents are."""
    finished, earliest, latest = edtf_for(rng)
    name = monument.name
    row = [
        None,
        f"{monument.slug}-restored",
        monument.pk,
        RESTORED,
        iscr,
        finished,
        earliest,
        latest,
        f"The {name} was restored.",
        RESTORED_CONDITION,
        PublicationState.PUBLISHED.value,
        PUBLISHED_ON,
        1,
    ]
    sentence = f"Restorers finished work on the {name} ({finished})."
    # A report of a restoration is dated once the work was done.
    return Restoration, row, sentence, latest, name
