"""A monument's alternate names read in its own row, as one JSON array, instead of by a second query.

A page of monuments read its names with ``prefetch_related``: a second query with a hundred ids, and Django's
prefetch machinery (a queryset built and filtered per page, each name matched back to its monument). Here a
correlated subquery in the page's own query lists each monument's names, and ``MonumentsWithNames`` turns the
list into the same ``AlternateName`` records the prefetch gave, in the same order, where the serializer reads
them (``prefetched_names``). The list is read as text and decoded here: PostgreSQL's json and SQLite's JSON
functions both give text this way, and Django's JSONField would decode PostgreSQL's twice.
"""

import json

from django.db import connections, models
from django.db.models.query import ModelIterable

from register.api.reading import PREFETCHED
from register.models import AlternateName

# The annotation that carries the list, taken off each record as it is read.
LISTED = "names_listed"
# Each name's columns, in the order each JSON row holds them: every concrete field, so a record is complete.
FIELDS = [field.attname for field in AlternateName._meta.concrete_fields]


class NamesListed(models.Func):
    """A monument's alternate names as a JSON array of rows, by language then name: the prefetch's order."""

    output_field = models.TextField()

    def __init__(self):
        super().__init__(models.F("pk"))

    def _parts(self, compiler, connection):
        monument, params = compiler.compile(self.source_expressions[0])
        quote = connection.ops.quote_name
        table = quote(AlternateName._meta.db_table)
        columns = [f"n.{quote(AlternateName._meta.get_field(name).column)}" for name in FIELDS]
        by = f"n.{quote('language')}, n.{quote('name')}"
        owner = f"n.{quote(AlternateName._meta.get_field('monument').column)}"
        return monument, params, table, columns, by, owner

    def as_postgresql(self, compiler, connection, **extra_context):
        monument, params, table, columns, by, owner = self._parts(compiler, connection)
        return (
            f"(SELECT json_agg(json_build_array({', '.join(columns)}) ORDER BY {by})::text "  # noqa: S608
            f"FROM {table} n WHERE {owner} = {monument})",
            params,
        )

    def as_sql(self, compiler, connection, **extra_context):
        # SQLite: json_group_array takes rows in the order the subquery gives them; they are sorted again when
        # read (its BINARY collation is Python's own order of strings), as SQLite does not promise that order.
        monument, params, table, columns, by, owner = self._parts(compiler, connection)
        return (
            f"(SELECT json_group_array(json(r)) FROM (SELECT json_array({', '.join(columns)}) AS r "  # noqa: S608
            f"FROM {table} n WHERE {owner} = {monument} ORDER BY {by}))",
            params,
        )


LANGUAGE, NAME = FIELDS.index("language"), FIELDS.index("name")


class MonumentsWithNames(ModelIterable):
    """Monuments, each with its alternate names made from the JSON list its row carries."""

    def __iter__(self):
        db = self.queryset.db
        sort = connections[db].vendor != "postgresql"
        from_db = AlternateName.from_db
        for monument in super().__iter__():
            rows = json.loads(monument.__dict__.pop(LISTED) or "[]")
            if sort:
                rows.sort(key=lambda row: (row[LANGUAGE], row[NAME]))
            monument.__dict__[f"{PREFETCHED}names"] = [from_db(db, FIELDS, row) for row in rows]
            yield monument


def with_names(queryset):
    """Return ``queryset`` (of monuments) reading each one's alternate names in its own row."""
    listed = queryset.annotate(**{LISTED: NamesListed()})
    listed._iterable_class = MonumentsWithNames
    return listed
