"""Related rows read in their record's own row: a correlated subquery's rows as one JSON array, as text.

What ``register.api.inline_names`` and ``register.api.inline_quotes`` share. PostgreSQL aggregates the rows with
``json_agg`` in the order asked for; SQLite's ``json_group_array`` takes them in the order its subquery gives
them, which SQLite does not promise, so each reader sorts them again as SQLite would. Both give text, decoded
by ``listed_rows``: Django's JSONField would decode PostgreSQL's json twice.
"""

import json

from django.db import models


class JSONRows(models.Func):
    """The rows ``rows()`` describes, for the record whose id the query reads, as a JSON array of arrays."""

    output_field = models.TextField()

    def __init__(self):
        super().__init__(models.F("pk"))

    def rows(self, owner: str, connection) -> tuple[list[str], str, str, str]:
        """Return the columns, FROM clause, WHERE condition and ORDER BY of the rows of the record ``owner``."""
        raise NotImplementedError

    def _render(self, template: str, compiler, connection):
        owner, params = compiler.compile(self.source_expressions[0])
        columns, source, where, order = self.rows(owner, connection)
        return template.format(columns=", ".join(columns), source=source, where=where, order=order), params

    def as_postgresql(self, compiler, connection, **extra_context):
        return self._render(POSTGRESQL, compiler, connection)

    def as_sql(self, compiler, connection, **extra_context):
        return self._render(SQLITE, compiler, connection)


POSTGRESQL = "(SELECT json_agg(json_build_array({columns}) ORDER BY {order})::text FROM {source} WHERE {where})"
SQLITE = (
    "(SELECT json_group_array(json(r)) FROM "
    "(SELECT json_array({columns}) AS r FROM {source} WHERE {where} ORDER BY {order}))"
)


def listed_rows(record, annotation: str) -> list[list]:
    """Take the JSON array an annotation carries off ``record`` and return its rows (none when it is empty)."""
    return json.loads(record.__dict__.pop(annotation) or "[]")
