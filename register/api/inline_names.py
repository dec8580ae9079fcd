"""A monument's alternate names read in its own row, as one JSON array, instead of by a second query.

A page of monuments read its names with ``prefetch_related``: a second query with a hundred ids, and Django's
prefetch machinery (a queryset built and filtered per page, each name matched back to its monument). Here a
correlated subquery in the page's own query lists each monument's names (``register.api.inline_rows``), and
``MonumentsWithNames`` turns the list into the same ``AlternateName`` records the prefetch gave, in the same
order, where the serializer reads them (``prefetched_names``).
"""

from django.db import connections
from django.db.models.query import ModelIterable

from register.api.inline_rows import JSONRows, listed_rows
from register.api.reading import PREFETCHED
from register.models import AlternateName

# The annotation that carries the list, taken off each record as it is read.
LISTED = "names_listed"
# Each name's columns, in the order each JSON row holds them: every concrete field, so a record is complete.
FIELDS = [field.attname for field in AlternateName._meta.concrete_fields]


class NamesListed(JSONRows):
    """A monument's alternate names, by language then name: the prefetch's order."""

    def rows(self, owner: str, connection):
        quote = connection.ops.quote_name
        columns = [f"n.{quote(AlternateName._meta.get_field(name).column)}" for name in FIELDS]
        where = f"n.{quote(AlternateName._meta.get_field('monument').column)} = {owner}"
        return columns, f"{quote(AlternateName._meta.db_table)} n", where, f"n.{quote('language')}, n.{quote('name')}"


LANGUAGE, NAME = FIELDS.index("language"), FIELDS.index("name")


class MonumentsWithNames(ModelIterable):
    """Monuments, each with its alternate names made from the JSON list its row carries."""

    def __iter__(self):
        db = self.queryset.db
        sort = connections[db].vendor != "postgresql"
        from_db = AlternateName.from_db
        for monument in super().__iter__():
            rows = listed_rows(monument, LISTED)
            if sort:
                # SQLite's BINARY collation is Python's own order of strings.
                rows.sort(key=lambda row: (row[LANGUAGE], row[NAME]))
            monument.__dict__[f"{PREFETCHED}names"] = [from_db(db, FIELDS, row) for row in rows]
            yield monument


def with_names(queryset):
    """Return ``queryset`` (of monuments) reading each one's alternate names in its own row."""
    listed = queryset.annotate(**{LISTED: NamesListed()})
    listed._iterable_class = MonumentsWithNames
    return listed
