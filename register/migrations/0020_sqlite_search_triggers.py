"""Put back the SQLite full-text triggers that 0016 and 0018 dropped when SQLite rebuilt the monument table.

Every searched table's triggers are created again if missing (they are idempotent), and each FTS5 index is rebuilt
from its table, so rows written while a trigger was missing are found too. PostgreSQL's indexes are unaffected.
"""

import importlib

from django.db import migrations

full_text_search = importlib.import_module("register.migrations.0009_full_text_search")


def sqlite_search_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for model_name, searched in full_text_search.SEARCHED.items():
        table = apps.get_model("register", model_name)._meta.db_table
        columns = [column for column, _weight in searched]
        for statement in full_text_search.sqlite_triggers(table, columns):
            schema_editor.execute(statement)
        schema_editor.execute(f"INSERT INTO {table}_fts({table}_fts) VALUES ('rebuild')")


class Migration(migrations.Migration):
    dependencies = [("register", "0019_article_documents")]

    operations = [migrations.RunPython(sqlite_search_triggers, migrations.RunPython.noop, elidable=False)]
