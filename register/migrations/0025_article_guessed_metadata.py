"""Articles say which of their publisher and outlet the importer guessed, for a curator to confirm.

Articles already held are left unflagged (they were reviewed as imported), except the Palmyra fixture's Reuters
report (seed 001): its outlet, Business Insider, was inferred from nothing but page furniture ("Join the
conversation about this story", "NOW WATCH:"), so it is flagged for review like any import of it now. SQLite adds
a column with a default by rebuilding the article table, which drops its triggers: the full-text ones of 0009, the
raw text's of 0013 and the document's of 0019 are made again, and the full-text index rebuilt.
"""

import importlib

from django.db import migrations, models

full_text_search = importlib.import_module("register.migrations.0009_full_text_search")
raw_text_kept = importlib.import_module("register.migrations.0013_article_text_kept_as_imported")
documents_kept = importlib.import_module("register.migrations.0019_article_documents")

PALMYRA_REUTERS_REPORT = "8787cbf1a83ad0ff717e55fe5f3ebedb9e211eb9f7c319310e6cd669b24d6eeb"
PALMYRA_OUTLET_NOTE = (
    "The outlet Business Insider was inferred from page furniture (“Join the conversation about this story”); "
    "confirm it or remove it."
)


def flag_palmyra_outlet(apps, schema_editor):
    Article = apps.get_model("register", "Article")
    article = Article.objects.filter(
        sha256=PALMYRA_REUTERS_REPORT, carried_by__slug="business-insider", carried_by_guessed=False
    ).first()
    if article is None:
        return
    note = f"{article.review_note} {PALMYRA_OUTLET_NOTE}".strip()
    Article.objects.filter(pk=article.pk).update(
        carried_by_guessed=True, needs_review=True, review_note=note if len(note) <= 500 else note[:499] + "…"
    )


def article_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    table = apps.get_model("register", "Article")._meta.db_table
    schema_editor.execute(raw_text_kept.SQLITE_TRIGGER)
    kept = documents_kept.DOCUMENT_COLUMNS
    schema_editor.execute(
        documents_kept._sqlite_trigger(
            documents_kept.DOCUMENT_KEPT,
            table,
            kept,
            f"OLD.original_id IS NOT NULL AND ({documents_kept._changed(kept, 'IS NOT')})",
            "an article''s file and what was read from it are kept as imported",
        )
    )
    columns = [column for column, _weight in full_text_search.SEARCHED["article"]]
    for statement in full_text_search.sqlite_triggers(table, columns):
        schema_editor.execute(statement)
    schema_editor.execute(f"INSERT INTO {table}_fts({table}_fts) VALUES ('rebuild')")


PUBLISHER_GUESSED = models.BooleanField(
    default=False,
    help_text=(
        "The importer inferred the publisher (from the page's site name or the style of its credits) rather than "
        "read it in the text. The public sees it marked as not confirmed until a curator confirms it: untick to "
        "confirm."
    ),
    verbose_name="publisher guessed, not confirmed",
)
CARRIED_BY_GUESSED = models.BooleanField(
    default=False,
    help_text=(
        "The importer inferred the outlet from page furniture or the page's metadata. The public is not shown it "
        "until a curator confirms it: untick to confirm."
    ),
    verbose_name="outlet guessed, not confirmed",
)


class Migration(migrations.Migration):
    dependencies = [("register", "0024_records_in_both_languages")]

    operations = [
        # Undone last: removing the columns rebuilds the table again, and the triggers are made once more.
        migrations.RunPython(migrations.RunPython.noop, article_triggers, elidable=False),
        migrations.AddField(model_name="article", name="publisher_guessed", field=PUBLISHER_GUESSED),
        migrations.AddField(model_name="article", name="carried_by_guessed", field=CARRIED_BY_GUESSED),
        migrations.AddField(model_name="historicalarticle", name="publisher_guessed", field=PUBLISHER_GUESSED.clone()),
        migrations.AddField(
            model_name="historicalarticle", name="carried_by_guessed", field=CARRIED_BY_GUESSED.clone()
        ),
        migrations.AddConstraint(
            model_name="article",
            constraint=models.CheckConstraint(
                condition=models.Q(("carried_by_guessed", False), ("carried_by__isnull", False), _connector="OR"),
                name="article_guessed_outlet_is_set",
                violation_error_message="Only an outlet that is set can be a guess.",
            ),
        ),
        migrations.RunPython(article_triggers, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(flag_palmyra_outlet, migrations.RunPython.noop, elidable=False),
    ]
