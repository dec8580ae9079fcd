"""An article's raw text and SHA-256 are kept as imported: the database refuses any UPDATE that changes them.

A reference-only article (empty raw text, no fingerprint) may receive its text once; after that neither the
text nor its fingerprint changes, whatever path writes (the admin, the API, a script, a bulk ``update()``), so
the fingerprint always verifies the text it was taken from. A trigger on each database: PostgreSQL raises
``integrity_constraint_violation`` and SQLite ``RAISE(ABORT)``, both an ``IntegrityError`` in Django.

SQLite caveat (as in 0009): Django rebuilds a SQLite table for most later AlterField and many AddField
operations on it, and dropping the old table drops its triggers. A later migration that rebuilds
``register_article`` must run ``SQLITE_TRIGGER`` below again; tests/test_article_integrity.py fails if it is
missing.
"""

from django.db import migrations

NAME = "register_article_text_kept"
CHANGED = "NEW.raw_text IS DISTINCT FROM OLD.raw_text OR NEW.sha256 IS DISTINCT FROM OLD.sha256"

POSTGRESQL_FORWARDS = [
    f"""
    CREATE FUNCTION {NAME}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'article %%: its raw text and SHA-256 are kept as imported', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END
    $$
    """,
    f"""
    CREATE TRIGGER {NAME} BEFORE UPDATE OF raw_text, sha256 ON register_article
    FOR EACH ROW WHEN (OLD.raw_text <> '' AND ({CHANGED}))
    EXECUTE FUNCTION {NAME}()
    """,
]
POSTGRESQL_BACKWARDS = [f"DROP TRIGGER IF EXISTS {NAME} ON register_article", f"DROP FUNCTION IF EXISTS {NAME}()"]

SQLITE_TRIGGER = f"""
    CREATE TRIGGER IF NOT EXISTS {NAME} BEFORE UPDATE OF raw_text, sha256 ON register_article
    FOR EACH ROW WHEN OLD.raw_text <> '' AND ({CHANGED.replace("IS DISTINCT FROM", "IS NOT")})
    BEGIN SELECT RAISE(ABORT, 'an article''s raw text and SHA-256 are kept as imported'); END
"""


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for statement in POSTGRESQL_FORWARDS:
            schema_editor.execute(statement)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_TRIGGER)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for statement in POSTGRESQL_BACKWARDS:
            schema_editor.execute(statement)
    elif vendor == "sqlite":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("register", "0012_covering_window_indexes")]

    operations = [migrations.RunPython(forwards, backwards)]
