"""Which events are public is stored (is_public), with partial indexes for the public lists' orders.

The flag is computed here for the rows already there, by the rule as it stands at this migration (an event is
public once a quote, evidence with a position, supports it), before the partial indexes are built over it.
From here on register.services.condition keeps it true by register.models.events.public_rule.

SQLite rebuilds register_incident to add the column, which drops its full-text triggers: they are put back as
migration 0009 made them.
"""

import importlib

from django.db import migrations, models
from django.db.models import Exists, OuterRef

full_text_search = importlib.import_module("register.migrations.0009_full_text_search")


def sqlite_search_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    columns = [column for column, _weight in full_text_search.SEARCHED["incident"]]
    for statement in full_text_search.sqlite_triggers("register_incident", columns):
        schema_editor.execute(statement)


def store_public_flags(apps, schema_editor):
    database = schema_editor.connection.alias
    evidence = apps.get_model("register", "Evidence").objects.using(database)
    for name in ("incident", "restoration"):
        quotes = evidence.filter(**{name: OuterRef("pk")}, position__isnull=False)
        apps.get_model("register", name).objects.using(database).update(is_public=Exists(quotes))


class Migration(migrations.Migration):

    dependencies = [
        ('register', '0014_event_base_subject_names'),
    ]

    operations = [
        migrations.AddField(
            model_name='incident',
            name='is_public',
            field=models.BooleanField(default=False, editable=False, help_text='Whether the public sees the event: at least one quote supports it. Kept true by register.services.condition after every change to the event or its evidence.', verbose_name='public'),
        ),
        migrations.AddField(
            model_name='restoration',
            name='is_public',
            field=models.BooleanField(default=False, editable=False, help_text='Whether the public sees the event: at least one quote supports it. Kept true by register.services.condition after every change to the event or its evidence.', verbose_name='public'),
        ),
        migrations.RunPython(sqlite_search_triggers, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(store_public_flags, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name='incident',
            index=models.Index(condition=models.Q(('is_public', True)), fields=['occurred_earliest', 'id'], name='incident_public_occurred_id'),
        ),
        migrations.AddIndex(
            model_name='incident',
            index=models.Index(condition=models.Q(('is_public', True)), fields=['occurred_latest', 'occurred_earliest', 'id'], name='incident_public_order'),
        ),
        migrations.AddIndex(
            model_name='restoration',
            index=models.Index(condition=models.Q(('is_public', True)), fields=['finished_earliest', 'id'], name='restoration_public_finished_id'),
        ),
        migrations.AddIndex(
            model_name='restoration',
            index=models.Index(condition=models.Q(('is_public', True)), fields=['finished_latest', 'finished_earliest', 'id'], name='restoration_public_order'),
        ),
    ]
