"""Sources record when they last changed, and restorations and artefacts are indexed by it, for harvesters."""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("register", "0021_assessments"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalsource",
            name="updated",
            field=models.DateTimeField(blank=True, default=django.utils.timezone.now, editable=False),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="source",
            name="updated",
            field=models.DateTimeField(auto_now=True),
        ),
        migrations.AddIndex(
            model_name="artefact",
            index=models.Index(fields=["updated", "id"], name="artefact_updated_id"),
        ),
        migrations.AddIndex(
            model_name="restoration",
            index=models.Index(fields=["updated", "id"], name="restoration_updated_id"),
        ),
    ]
