"""An event's quotes, with their articles and sources, read in the event's own row as one JSON array.

A page of incidents read its quotes with ``prefetch_related``: a second query naming the page's hundred events,
and Django's prefetch machinery around it (a queryset filtered by a hundred instances, each quote's four joined
records put together row by row, each quote matched back to its event): most of a page's time after its own
rows. Here a correlated subquery in the page's own query lists each event's quotes, every column the citation
and attribution show, in the prefetch's order; ``EventsWithQuotes`` makes them into the same records (a quote
with its article, the article's publisher and carrying outlet, and the cited source, each joined record cached
on it as ``select_related`` leaves it) and puts them where the serializer reads them (``prefetched_evidence``).

The list is one JSON array (``register.api.inline_rows``). Dates and times come in it as ISO 8601 text and are
read into the objects Django's own loading gives: aware date-times in UTC.
"""

import datetime as dt
from dataclasses import dataclass
from itertools import accumulate

from django.db import connections, models
from django.db.models.query import ModelIterable

from register.api.inline_rows import JSONRows, listed_rows
from register.api.reading import PREFETCHED
from register.api.serializers import CitationSerializer, SourceSummarySerializer
from register.models import Article, Evidence, Source

# The annotation that carries the list, taken off each record as it is read.
LISTED = "quotes_listed"


@dataclass(frozen=True)
class Part:
    """One record of a quote's row: its model, its alias, how it is joined, and the fields read."""

    model: type[models.Model]
    alias: str
    join: str  # "" for the quote itself
    fields: tuple[models.Field, ...]
    holder: str = ""  # the alias of the record it hangs from
    relation: str = ""  # the foreign key on the holder that points to it


def _shown(model, *names: str) -> tuple[models.Field, ...]:
    """The columns of ``model`` a summary shows, as querysets._only leaves them undeferred."""
    return tuple(field for field in model._meta.concrete_fields if field.name in {"id", *names})


PARTS = (
    Part(Evidence, "e", "", tuple(Evidence._meta.concrete_fields)),
    Part(Article, "a", "JOIN", _shown(Article, *CitationSerializer.Meta.fields), "e", "article"),
    Part(Source, "p", "JOIN", _shown(Source, *SourceSummarySerializer.Meta.fields), "a", "publisher"),
    Part(Source, "c", "LEFT JOIN", _shown(Source, *SourceSummarySerializer.Meta.fields), "a", "carried_by"),
    Part(Source, "q", "LEFT JOIN", _shown(Source, "slug", "name"), "e", "cited_source"),
)
# Where each part's values start in a row.
STARTS = [0, *accumulate(len(part.fields) for part in PARTS[:-1])]


def _reader(field: models.Field):
    """Return a function from a JSON value of ``field`` to the value Django loads from the database."""
    if isinstance(field, models.DateTimeField):

        def read(value):
            if value is None:
                return None
            moment = dt.datetime.fromisoformat(value)
            # PostgreSQL writes the offset (+00:00, the connection's zone); SQLite stores UTC without one.
            return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)

        return read
    if isinstance(field, models.DateField):
        return lambda value: None if value is None else dt.date.fromisoformat(value)
    if isinstance(field, models.BooleanField):
        # SQLite's JSON has no booleans: 0 and 1.
        return lambda value: None if value is None else bool(value)
    return None


READERS = [[(index, read) for index, field in enumerate(part.fields) if (read := _reader(field))] for part in PARTS]


class QuotesListed(JSONRows):
    """An event's quotes, ordered as the prefetch ordered them: by article (newest first), then place in it."""

    def __init__(self, event_field: str):
        self.event_field = event_field
        super().__init__()

    def rows(self, owner: str, connection):
        quote = connection.ops.quote_name

        def column(part: Part, name: str) -> str:
            return f"{part.alias}.{quote(part.model._meta.get_field(name).column)}"

        columns = [f"{part.alias}.{quote(field.column)}" for part in PARTS for field in part.fields]
        joins = [f"{quote(Evidence._meta.db_table)} e"]
        for part in PARTS[1:]:
            holder = next(other for other in PARTS if other.alias == part.holder)
            joins.append(
                f"{part.join} {quote(part.model._meta.db_table)} {part.alias} "
                f"ON {column(part, 'id')} = {column(holder, part.relation)}"
            )
        # Article's Meta ordering (newest first, then title and id), then the quote's place in it.
        article, evidence = PARTS[1], PARTS[0]
        order = (
            f"{column(article, 'published')} DESC, {column(article, 'title')}, {column(article, 'id')}, "
            f"{column(evidence, 'position')}"
        )
        return columns, " ".join(joins), f"{column(evidence, self.event_field)} = {owner}", order


def _index(part: Part, name: str) -> int:
    return STARTS[PARTS.index(part)] + [field.name for field in part.fields].index(name)


PUBLISHED, TITLE, ARTICLE, POSITION = (
    _index(PARTS[1], "published"),
    _index(PARTS[1], "title"),
    _index(PARTS[1], "id"),
    _index(PARTS[0], "position"),
)


def sort_as_sqlite(rows: list[list]) -> None:
    """Sort rows as SQLite orders them: published descending (empty last), title, article, position (empty first).

    One stable sort per key, the last key first. Dates are ISO text, so their text order is their order, and
    SQLite's BINARY collation is Python's own order of strings.
    """
    rows.sort(key=lambda row: (row[POSITION] is not None, row[POSITION] or 0))
    rows.sort(key=lambda row: row[ARTICLE])
    rows.sort(key=lambda row: row[TITLE])
    rows.sort(key=lambda row: (row[PUBLISHED] is not None, row[PUBLISHED] or ""), reverse=True)


class EventsWithQuotes(ModelIterable):
    """Events, each with its quotes made from the JSON list its row carries."""

    def __iter__(self):
        db = self.queryset.db
        on_sqlite = connections[db].vendor != "postgresql"
        attribute = f"{PREFETCHED}evidence"
        for event in super().__iter__():
            rows = listed_rows(event, LISTED)
            if on_sqlite:
                sort_as_sqlite(rows)
            event.__dict__[attribute] = [_quote(db, row) for row in rows]
            yield event


FIELD_NAMES = [[field.attname for field in part.fields] for part in PARTS]


def _quote(db: str, row: list) -> Evidence:
    records = {}
    for part, start, names, readers in zip(PARTS, STARTS, FIELD_NAMES, READERS, strict=True):
        values = row[start : start + len(names)]
        if values[0] is None:
            # A LEFT JOIN that found nothing: Django caches None for the relation, as select_related does.
            records[part.alias] = None
            continue
        for index, read in readers:
            values[index] = read(values[index])
        records[part.alias] = part.model.from_db(db, names, values)
    for part in PARTS[1:]:
        holder = records[part.holder]
        if holder is not None:
            holder._meta.get_field(part.relation).set_cached_value(holder, records[part.alias])
    # The quote is not pointed back at its event, as Django's prefetch would: nothing the API shows of a quote
    # reads its event, and the back-link made each event and its quotes a cycle only the cycle collector frees.
    return records["e"]


def with_quotes(queryset):
    """Return ``queryset`` (of incidents or restorations) reading each one's quotes in its own row."""
    listed = queryset.annotate(**{LISTED: QuotesListed(queryset.model._meta.model_name)})
    listed._iterable_class = EventsWithQuotes
    return listed
