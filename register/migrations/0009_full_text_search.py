"""Full-text search indexes: GIN over tsvector expressions on PostgreSQL, FTS5 tables on SQLite.

Nothing is stored that could go stale. On PostgreSQL each index is over the
same weighted expression register.models.search builds for its queries (the
columns and weights below must stay equal to its SEARCHED). On SQLite each
FTS5 table reads its text from the register table ("external content") and
triggers keep it in step.

SQLite caveat: Django rebuilds a SQLite table for most later AlterField
operations, and dropping the old table drops its triggers. A later migration
that alters one of these tables must recreate the triggers (call
``sqlite_triggers`` below); tests/test_search.py fails if they are missing.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

SEARCHED = {
    "monument": (("name", "A"), ("description", "C")),
    "alternatename": (("name", "B"),),
    "incident": (("summary", "B"), ("perpetrator", "B")),
    "article": (("title", "A"), ("body", "C")),
}


def _vector(columns):
    vector = None
    for column, weight in columns:
        part = SearchVector(column, config="simple", weight=weight)
        vector = part if vector is None else vector + part
    return vector


def _index(model_name, columns):
    return GinIndex(_vector(columns), name=f"register_{model_name}_search")


def sqlite_triggers(table: str, columns: list[str]) -> list[str]:
    """Return the statements that create the FTS5 table's triggers (idempotent)."""
    fts = f"{table}_fts"
    names = ", ".join(columns)
    new = ", ".join(f"new.{column}" for column in columns)
    old = ", ".join(f"old.{column}" for column in columns)
    delete = f"INSERT INTO {fts}({fts}, rowid, {names}) VALUES ('delete', old.id, {old});"
    insert = f"INSERT INTO {fts}(rowid, {names}) VALUES (new.id, {new});"
    return [
        f"CREATE TRIGGER IF NOT EXISTS {fts}_insert AFTER INSERT ON {table} BEGIN {insert} END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_delete AFTER DELETE ON {table} BEGIN {delete} END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_update AFTER UPDATE ON {table} BEGIN {delete} {insert} END",
    ]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for model_name, columns in SEARCHED.items():
        model = apps.get_model("register", model_name)
        if vendor == "postgresql":
            schema_editor.add_index(model, _index(model_name, columns))
        elif vendor == "sqlite":
            table = model._meta.db_table
            names = [column for column, _weight in columns]
            schema_editor.execute(
                f"CREATE VIRTUAL TABLE {table}_fts USING fts5({', '.join(names)}, content='{table}', "
                "content_rowid='id', tokenize='unicode61 remove_diacritics 2')"
            )
            for statement in sqlite_triggers(table, names):
                schema_editor.execute(statement)
            schema_editor.execute(f"INSERT INTO {table}_fts({table}_fts) VALUES ('rebuild')")


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for model_name, columns in SEARCHED.items():
        model = apps.get_model("register", model_name)
        if vendor == "postgresql":
            schema_editor.remove_index(model, _index(model_name, columns))
        elif vendor == "sqlite":
            table = model._meta.db_table
            for event in ("insert", "delete", "update"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_fts_{event}")
            schema_editor.execute(f"DROP TABLE IF EXISTS {table}_fts")


class Migration(migrations.Migration):
    dependencies = [("register", "0008_stored_condition")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
