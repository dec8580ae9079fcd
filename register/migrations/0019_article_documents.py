"""Documents beside plain text: web pages, PDFs and web-archive captures, with the files they came in.

An article records what kind of document it is, how it was received (text, HTML, PDF), the file it was read from
(``ReceivedFile``: its bytes in the database, beside the article), a PDF's page starts, and for a capture its web
archive, capture time, payload digest and record id. An imagery assessment has its provider and image dates.

Triggers keep what was received unchangeable, on both databases (an ``IntegrityError`` in Django): a received
file's bytes, fingerprint, size and format never change, and once an article has its file, neither that file nor
its fingerprint, raw text, format, page starts or capture fields change. SQLite rebuilds ``register_article``
for the fields added here, which drops its triggers: the full-text search triggers of 0009 and the raw-text
trigger of 0013 are made again at the end, as those migrations ask. Curators are granted the received files'
permissions, as 0003 grants the importer's models' (the admin shows the files read-only).
"""

import importlib

import django.db.models.deletion
from django.contrib.auth.management import create_permissions
from django.db import migrations, models


FULL_TEXT = importlib.import_module("register.migrations.0009_full_text_search")
RAW_TEXT = importlib.import_module("register.migrations.0013_article_text_kept_as_imported")

FILE_KEPT = "register_receivedfile_kept"
DOCUMENT_KEPT = "register_article_document_kept"
DOCUMENT_COLUMNS = (
    "raw_text",
    "sha256",
    "format",
    "original_id",
    "page_starts",
    "archive_id",
    "captured",
    "payload_digest",
    "warc_record_id",
)
FILE_COLUMNS = ("sha256", "content", "size", "format")


def _changed(columns, distinct: str) -> str:
    return " OR ".join(f"NEW.{column} {distinct} OLD.{column}" for column in columns)


def _postgresql_trigger(name: str, table: str, columns, when: str, message: str) -> list[str]:
    return [
        f"""
        CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION '{message}', OLD.id USING ERRCODE = 'integrity_constraint_violation';
        END
        $$
        """,
        f"""
        CREATE TRIGGER {name} BEFORE UPDATE OF {", ".join(columns)} ON {table}
        FOR EACH ROW WHEN ({when}) EXECUTE FUNCTION {name}()
        """,
    ]


def _sqlite_trigger(name: str, table: str, columns, when: str, message: str) -> str:
    return f"""
        CREATE TRIGGER IF NOT EXISTS {name} BEFORE UPDATE OF {", ".join(columns)} ON {table}
        FOR EACH ROW WHEN {when}
        BEGIN SELECT RAISE(ABORT, '{message}'); END
    """


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        statements = [
            *_postgresql_trigger(
                FILE_KEPT,
                "register_receivedfile",
                FILE_COLUMNS,
                _changed(FILE_COLUMNS, "IS DISTINCT FROM"),
                "received file %%: its bytes are kept as received",
            ),
            *_postgresql_trigger(
                DOCUMENT_KEPT,
                "register_article",
                DOCUMENT_COLUMNS,
                f"OLD.original_id IS NOT NULL AND ({_changed(DOCUMENT_COLUMNS, 'IS DISTINCT FROM')})",
                "article %%: its file and what was read from it are kept as imported",
            ),
        ]
        for statement in statements:
            schema_editor.execute(statement)
    elif vendor == "sqlite":
        schema_editor.execute(
            _sqlite_trigger(
                FILE_KEPT,
                "register_receivedfile",
                FILE_COLUMNS,
                f"({_changed(FILE_COLUMNS, 'IS NOT')})",
                "a received file''s bytes are kept as received",
            )
        )
        schema_editor.execute(
            _sqlite_trigger(
                DOCUMENT_KEPT,
                "register_article",
                DOCUMENT_COLUMNS,
                f"OLD.original_id IS NOT NULL AND ({_changed(DOCUMENT_COLUMNS, 'IS NOT')})",
                "an article''s file and what was read from it are kept as imported",
            )
        )
        # This migration rebuilt register_article, which dropped the triggers 0009 and 0013 made.
        schema_editor.execute(RAW_TEXT.SQLITE_TRIGGER)
        columns = [column for column, _weight in FULL_TEXT.SEARCHED["article"]]
        for statement in FULL_TEXT.sqlite_triggers("register_article", columns):
            schema_editor.execute(statement)


RECEIVED_FILE_CODENAMES = frozenset(f"{action}_receivedfile" for action in ("add", "change", "delete", "view"))


def grant_curators(apps, schema_editor):
    # As in 0002 and 0003: permissions are created after migrate, so create them now from the historical models.
    app_config = apps.get_app_config("register")
    app_config.models_module = True
    try:
        create_permissions(app_config, apps=apps, using=schema_editor.connection.alias, verbosity=0)
    finally:
        app_config.models_module = None
    db = schema_editor.connection.alias
    group = apps.get_model("auth", "Group").objects.using(db).filter(name="Curators").first()
    if group is not None:
        permissions = apps.get_model("auth", "Permission").objects.using(db)
        group.permissions.add(
            *permissions.filter(content_type__app_label="register", codename__in=RECEIVED_FILE_CODENAMES)
        )


def revoke_curators(apps, schema_editor):
    db = schema_editor.connection.alias
    group = apps.get_model("auth", "Group").objects.using(db).filter(name="Curators").first()
    if group is not None:
        permissions = apps.get_model("auth", "Permission").objects.using(db)
        group.permissions.remove(
            *permissions.filter(content_type__app_label="register", codename__in=RECEIVED_FILE_CODENAMES)
        )


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for name, table in ((FILE_KEPT, "register_receivedfile"), (DOCUMENT_KEPT, "register_article")):
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {name}()")
        elif vendor == "sqlite":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")


class Migration(migrations.Migration):

    dependencies = [
        ('register', '0018_monument_place_source'),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.CreateModel(
            name='ReceivedFile',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('sha256', models.CharField(editable=False, help_text='Of the bytes as received: what sha256sum prints for the file.', max_length=64, unique=True, verbose_name='SHA-256')),
                ('format', models.CharField(choices=[('html', 'web page (HTML)'), ('pdf', 'PDF'), ('warc', 'web archive (WARC)'), ('wacz', 'web archive collection (WACZ)')], editable=False, max_length=10, verbose_name='format')),
                ('name', models.CharField(blank=True, help_text="The file's name.", max_length=500, verbose_name='received as')),
                ('size', models.PositiveBigIntegerField(editable=False, verbose_name='size in bytes')),
                ('content', models.BinaryField(verbose_name='bytes')),
                ('received', models.DateTimeField(auto_now_add=True, verbose_name='received')),
            ],
            options={
                'verbose_name': 'received file',
                'verbose_name_plural': 'received files',
                'ordering': ['-received', 'pk'],
            },
        ),
        migrations.RemoveConstraint(
            model_name='article',
            name='article_text_fingerprinted_or_reference',
        ),
        migrations.AddField(
            model_name='article',
            name='captured',
            field=models.DateTimeField(blank=True, editable=False, help_text='When the archive captured it (WARC-Date).', null=True, verbose_name='captured'),
        ),
        migrations.AddField(
            model_name='article',
            name='format',
            field=models.CharField(choices=[('text', 'plain text'), ('html', 'web page (HTML)'), ('pdf', 'PDF')], default='text', editable=False, help_text='Decoded from a text file, or extracted from a web page or a PDF.', max_length=10, verbose_name='received as'),
        ),
        migrations.AddField(
            model_name='article',
            name='imagery_after',
            field=models.DateField(blank=True, help_text='For a satellite imagery assessment: the date of the later image compared.', null=True, verbose_name='later image'),
        ),
        migrations.AddField(
            model_name='article',
            name='imagery_before',
            field=models.DateField(blank=True, help_text='For a satellite imagery assessment: the date of the earlier image compared.', null=True, verbose_name='earlier image'),
        ),
        migrations.AddField(
            model_name='article',
            name='imagery_provider',
            field=models.CharField(blank=True, help_text='For a satellite imagery assessment: whose images it compares (Airbus DS, WorldView-2).', max_length=200, verbose_name='imagery provider'),
        ),
        migrations.AddField(
            model_name='article',
            name='kind',
            field=models.CharField(choices=[('news_report', 'news report'), ('official_statement', 'official statement'), ('imagery_assessment', 'satellite imagery assessment'), ('field_survey', 'field survey'), ('social_media_post', 'social-media post (archived)'), ('scholarly_publication', 'scholarly publication')], default='news_report', help_text='What the document is: an imagery assessment or an official statement can confirm a report.', max_length=30, verbose_name='kind of document'),
        ),
        migrations.AddField(
            model_name='article',
            name='page_starts',
            field=models.JSONField(blank=True, default=list, editable=False, help_text="Where each page of a PDF starts in the body, in characters: a quote's position gives its page.", verbose_name='page starts'),
        ),
        migrations.AddField(
            model_name='article',
            name='payload_digest',
            field=models.CharField(blank=True, editable=False, help_text="The capture's WARC-Payload-Digest, as its archive records it.", max_length=200, verbose_name='payload digest'),
        ),
        migrations.AddField(
            model_name='article',
            name='warc_record_id',
            field=models.CharField(blank=True, editable=False, help_text="The capture's WARC-Record-ID.", max_length=200, verbose_name='WARC record'),
        ),
        migrations.AddField(
            model_name='historicalarticle',
            name='captured',
            field=models.DateTimeField(blank=True, editable=False, help_text='When the archive captured it (WARC-Date).', null=True, verbose_name='captured'),
        ),
        migrations.AddField(
            model_name='historicalarticle',
            name='format',
            field=models.CharField(choices=[('text', 'plain text'), ('html', 'web page (HTML)'), ('pdf', 'PDF')], default='text', editable=False, help_text='Decoded from a text file, or extracted from a web page or a PDF.', max_length=10, verbose_name='received as'),
        ),
        migrations.AddField(
            model_name='historicalarticle',
            name='imagery_after',
            field=models.DateField(blank=True, help_text='For a satellite imagery assessment: the date of the later image compared.', null=True, verbose_name='later image'),
        ),
        migrations.AddField(
            model_name='historicalarticle',
            name='imagery_before',
            field=models.DateField(blank=True, help_text='For a satellite imagery assessment: the date of the earlier image compared.', null=True, verbose_name='earlier image'),
        ),
        migrations.AddField(
            model_name='historicalarticle',
            name='imagery_provider',
            field=models.CharField(blank=True, help_text='For a satellite imagery assessment: whose images it compares (Airbus DS, WorldView-2).', max_length=200, verbose_name='imagery provider'),
        ),
        migrations.AddField(
            model_name='historicalarticle',
            name='kind',
            field=models.CharField(choices=[('news_report', 'news report'), ('official_statement', 'official statement'), ('imagery_assessment', 'satellite imagery assessment'), ('field_survey', 'field survey'), ('social_media_post', 'social-media post (archived)'), ('scholarly_publication', 'scholarly publication')], default='news_report', help_text='What the document is: an imagery assessment or an official statement can confirm a report.', max_length=30, verbose_name='kind of document'),
        ),
        migrations.AddField(
            model_name='historicalarticle',
            name='page_starts',
            field=models.JSONField(blank=True, default=list, editable=False, help_text="Where each page of a PDF starts in the body, in characters: a quote's position gives its page.", verbose_name='page starts'),
        ),
        migrations.AddField(
            model_name='historicalarticle',
            name='payload_digest',
            field=models.CharField(blank=True, editable=False, help_text="The capture's WARC-Payload-Digest, as its archive records it.", max_length=200, verbose_name='payload digest'),
        ),
        migrations.AddField(
            model_name='historicalarticle',
            name='warc_record_id',
            field=models.CharField(blank=True, editable=False, help_text="The capture's WARC-Record-ID.", max_length=200, verbose_name='WARC record'),
        ),
        migrations.AddConstraint(
            model_name='receivedfile',
            constraint=models.CheckConstraint(condition=models.Q(('sha256__regex', '^[0-9a-f]{64}$')), name='receivedfile_sha256_is_hex'),
        ),
        migrations.AddConstraint(
            model_name='receivedfile',
            constraint=models.CheckConstraint(condition=models.Q(('size__gt', 0)), name='receivedfile_not_empty'),
        ),
        migrations.AddField(
            model_name='article',
            name='archive',
            field=models.ForeignKey(blank=True, editable=False, help_text='The WARC or WACZ file the page or PDF was captured in, exactly as received.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='archived_documents', to='register.receivedfile', verbose_name='web archive'),
        ),
        migrations.AddField(
            model_name='article',
            name='original',
            field=models.ForeignKey(blank=True, editable=False, help_text='The web page or PDF exactly as received (a capture: as its archive holds it).', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='documents', to='register.receivedfile', verbose_name='original file'),
        ),
        migrations.AddField(
            model_name='historicalarticle',
            name='archive',
            field=models.ForeignKey(blank=True, db_constraint=False, editable=False, help_text='The WARC or WACZ file the page or PDF was captured in, exactly as received.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='register.receivedfile', verbose_name='web archive'),
        ),
        migrations.AddField(
            model_name='historicalarticle',
            name='original',
            field=models.ForeignKey(blank=True, db_constraint=False, editable=False, help_text='The web page or PDF exactly as received (a capture: as its archive holds it).', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='register.receivedfile', verbose_name='original file'),
        ),
        migrations.AddConstraint(
            model_name='article',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(models.Q(models.Q(('raw_text', ''), _negated=True), ('original__isnull', False), _connector='OR'), ('sha256__regex', '^[0-9a-f]{64}$')), models.Q(('body', ''), ('original__isnull', True), ('raw_text', ''), ('sha256__isnull', True), models.Q(('url', ''), _negated=True)), _connector='OR'), name='article_text_fingerprinted_or_reference'),
        ),
        migrations.AddConstraint(
            model_name='article',
            constraint=models.CheckConstraint(condition=models.Q(('format', 'text'), ('original__isnull', False), _connector='OR'), name='article_document_keeps_its_file', violation_error_message='A web page or PDF keeps the file it was read from.'),
        ),
        migrations.AddConstraint(
            model_name='article',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('archive__isnull', True), ('captured__isnull', True), ('payload_digest', ''), ('warc_record_id', '')), models.Q(('archive__isnull', False), ('captured__isnull', False), ('original__isnull', False)), _connector='OR'), name='article_capture_keeps_its_archive', violation_error_message='A capture keeps its web archive, its own file and its capture time.'),
        ),
        migrations.AddConstraint(
            model_name='article',
            constraint=models.CheckConstraint(condition=models.Q(('kind', 'imagery_assessment'), models.Q(('imagery_after__isnull', True), ('imagery_before__isnull', True), ('imagery_provider', '')), _connector='OR'), name='article_imagery_only_for_assessments', violation_error_message='Only a satellite imagery assessment has an imagery provider and dates.'),
        ),
        migrations.AddConstraint(
            model_name='article',
            constraint=models.CheckConstraint(condition=models.Q(('imagery_before__isnull', True), ('imagery_after__isnull', True), ('imagery_before__lte', models.F('imagery_after')), _connector='OR'), name='article_imagery_in_date_order', violation_error_message='The earlier image cannot be dated after the later one.'),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RunPython(grant_curators, revoke_curators),
    ]
