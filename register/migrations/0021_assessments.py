"""Assessments: a dated statement of a monument's or artefact's state, evidenced by quotes as incidents are.

Evidence gains an assessment beside its incident and restoration (exactly one of the three), with one quote per
article position and assessment; suggestions gain the assessment kind and the condition their words state. SQLite
rebuilds register_evidence and register_suggestion, which carry no triggers (the full-text and raw-text triggers of
0009, 0013 and 0019 are on monuments, names, incidents and articles, untouched here). Curators are granted the
assessments' permissions, as 0019 grants the received files'.
"""

import concurrency.fields
import django.db.models.deletion
import register.models.dates
import simple_history.models
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

ASSESSMENT_CODENAMES = frozenset(
    [f"{action}_assessment" for action in ("add", "change", "delete", "view")] + ["view_historicalassessment"]
)


def grant_curators(apps, schema_editor):
    # As in 0002 and 0019: permissions are created after migrate, so create them now from the historical models.
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
            *permissions.filter(content_type__app_label="register", codename__in=ASSESSMENT_CODENAMES)
        )


def revoke_curators(apps, schema_editor):
    db = schema_editor.connection.alias
    group = apps.get_model("auth", "Group").objects.using(db).filter(name="Curators").first()
    if group is not None:
        permissions = apps.get_model("auth", "Permission").objects.using(db)
        group.permissions.remove(
            *permissions.filter(content_type__app_label="register", codename__in=ASSESSMENT_CODENAMES)
        )


class Migration(migrations.Migration):

    dependencies = [
        ('register', '0020_sqlite_search_triggers'),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Assessment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('slug', models.SlugField(max_length=200, unique=True, verbose_name='slug')),
                ('is_public', models.BooleanField(default=False, editable=False, help_text='Whether the public sees the event: at least one quote supports it. Kept true by register.services.condition after every change to the event or its evidence.', verbose_name='public')),
                ('created', models.DateTimeField(auto_now_add=True)),
                ('updated', models.DateTimeField(auto_now=True)),
                ('version', concurrency.fields.AutoIncVersionField(default=0, help_text='Raised by one on every save; a write based on an older version is refused.')),
                ('assessed', register.models.dates.EDTFField(help_text="EDTF: when the state was observed (a field visit's day, the date of the later satellite image), not when it was published.", max_length=64, validators=[register.models.dates.validate_edtf], verbose_name='assessed')),
                ('assessed_earliest', models.DateField(editable=False, verbose_name='assessed, earliest day')),
                ('assessed_latest', models.DateField(editable=False, verbose_name='assessed, latest day')),
                ('condition', models.CharField(choices=[('good', 'good'), ('fair', 'fair'), ('poor', 'poor'), ('very_bad', 'very bad'), ('destroyed', 'destroyed'), ('unknown', 'unknown')], help_text='EAMENA overall condition the assessment states; it sets the condition on its date. Unknown states nothing and leaves the condition as it was.', max_length=20, verbose_name='overall condition')),
                ('extent', models.CharField(blank=True, choices=[('none', 'none'), ('1-10', '1-10%'), ('11-30', '11-30%'), ('31-60', '31-60%'), ('61-90', '61-90%'), ('91-100', '91-100%')], help_text='How much of the place is damaged (EAMENA); empty where the assessment does not say.', max_length=10, verbose_name='damage extent')),
                ('trend', models.CharField(choices=[('improving', 'improving'), ('stable', 'stable'), ('declining', 'declining'), ('unknown', 'unknown')], default='unknown', help_text='Whether the condition is improving, stable or declining, as the assessment finds it.', max_length=10, verbose_name='trend')),
                ('threats', models.TextField(blank=True, help_text='What threatens the place as the assessment names it, such as looting, military activity, unexploded ordnance or neglect; free text, one threat a line.', verbose_name='threats')),
                ('priority', models.CharField(blank=True, choices=[('A', 'A: immediate risk of further rapid deterioration or loss of fabric; no solution agreed'), ('B', 'B: immediate risk of further rapid deterioration or loss of fabric; solution agreed but not yet implemented'), ('C', 'C: slow decay; no solution agreed'), ('D', 'D: slow decay; solution agreed but not yet implemented'), ('E', 'E: under repair, or in fair to good repair, but no use or user identified'), ('F', 'F: repair scheme in progress and, where it applies, a use or user identified')], help_text="After Historic England's Heritage at Risk Register. A: immediate risk of further rapid deterioration or loss of fabric, no solution agreed. B: the same, a solution agreed but not yet implemented. C: slow decay, no solution agreed. D: slow decay, a solution agreed but not yet implemented. E: under repair, or in fair to good repair, but no use or user identified. F: a repair scheme in progress and, where it applies, a use or user identified. Empty where the assessment gives none.", max_length=1, verbose_name='priority for action')),
                ('method', models.CharField(choices=[('field_visit', 'field visit'), ('satellite_imagery', 'satellite imagery'), ('report', 'report')], help_text="How the assessor saw the place: a field visit, satellite imagery, or others' reports.", max_length=20, verbose_name='method')),
                ('summary', models.TextField(verbose_name='summary')),
            ],
            options={
                'verbose_name': 'assessment',
                'verbose_name_plural': 'assessments',
                'ordering': ['assessed_latest', 'assessed_earliest', 'pk'],
                'abstract': False,
            },
        ),
        migrations.CreateModel(
            name='HistoricalAssessment',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('slug', models.SlugField(max_length=200, verbose_name='slug')),
                ('created', models.DateTimeField(blank=True, editable=False)),
                ('updated', models.DateTimeField(blank=True, editable=False)),
                ('version', concurrency.fields.AutoIncVersionField(default=0, help_text='Raised by one on every save; a write based on an older version is refused.')),
                ('assessed', register.models.dates.EDTFField(help_text="EDTF: when the state was observed (a field visit's day, the date of the later satellite image), not when it was published.", max_length=64, validators=[register.models.dates.validate_edtf], verbose_name='assessed')),
                ('assessed_earliest', models.DateField(editable=False, verbose_name='assessed, earliest day')),
                ('assessed_latest', models.DateField(editable=False, verbose_name='assessed, latest day')),
                ('condition', models.CharField(choices=[('good', 'good'), ('fair', 'fair'), ('poor', 'poor'), ('very_bad', 'very bad'), ('destroyed', 'destroyed'), ('unknown', 'unknown')], help_text='EAMENA overall condition the assessment states; it sets the condition on its date. Unknown states nothing and leaves the condition as it was.', max_length=20, verbose_name='overall condition')),
                ('extent', models.CharField(blank=True, choices=[('none', 'none'), ('1-10', '1-10%'), ('11-30', '11-30%'), ('31-60', '31-60%'), ('61-90', '61-90%'), ('91-100', '91-100%')], help_text='How much of the place is damaged (EAMENA); empty where the assessment does not say.', max_length=10, verbose_name='damage extent')),
                ('trend', models.CharField(choices=[('improving', 'improving'), ('stable', 'stable'), ('declining', 'declining'), ('unknown', 'unknown')], default='unknown', help_text='Whether the condition is improving, stable or declining, as the assessment finds it.', max_length=10, verbose_name='trend')),
                ('threats', models.TextField(blank=True, help_text='What threatens the place as the assessment names it, such as looting, military activity, unexploded ordnance or neglect; free text, one threat a line.', verbose_name='threats')),
                ('priority', models.CharField(blank=True, choices=[('A', 'A: immediate risk of further rapid deterioration or loss of fabric; no solution agreed'), ('B', 'B: immediate risk of further rapid deterioration or loss of fabric; solution agreed but not yet implemented'), ('C', 'C: slow decay; no solution agreed'), ('D', 'D: slow decay; solution agreed but not yet implemented'), ('E', 'E: under repair, or in fair to good repair, but no use or user identified'), ('F', 'F: repair scheme in progress and, where it applies, a use or user identified')], help_text="After Historic England's Heritage at Risk Register. A: immediate risk of further rapid deterioration or loss of fabric, no solution agreed. B: the same, a solution agreed but not yet implemented. C: slow decay, no solution agreed. D: slow decay, a solution agreed but not yet implemented. E: under repair, or in fair to good repair, but no use or user identified. F: a repair scheme in progress and, where it applies, a use or user identified. Empty where the assessment gives none.", max_length=1, verbose_name='priority for action')),
                ('method', models.CharField(choices=[('field_visit', 'field visit'), ('satellite_imagery', 'satellite imagery'), ('report', 'report')], help_text="How the assessor saw the place: a field visit, satellite imagery, or others' reports.", max_length=20, verbose_name='method')),
                ('summary', models.TextField(verbose_name='summary')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
            ],
            options={
                'verbose_name': 'historical assessment',
                'verbose_name_plural': 'historical assessments',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.RemoveConstraint(
            model_name='evidence',
            name='evidence_one_event',
        ),
        migrations.RemoveConstraint(
            model_name='suggestion',
            name='suggestion_kind_known',
        ),
        migrations.AddField(
            model_name='suggestion',
            name='condition',
            field=models.CharField(blank=True, choices=[('good', 'good'), ('fair', 'fair'), ('poor', 'poor'), ('very_bad', 'very bad'), ('destroyed', 'destroyed'), ('unknown', 'unknown')], default='', help_text='For an assessment: the EAMENA condition its words state. Empty for an incident or restoration.', max_length=20, verbose_name='condition it states (guess)'),
        ),
        migrations.AlterField(
            model_name='suggestion',
            name='kind',
            field=models.CharField(choices=[('incident', [('destroyed', 'destroyed'), ('damaged', 'damaged'), ('looted', 'looted'), ('vandalised', 'vandalised'), ('military_use', 'military use'), ('misuse', 'misuse')]), ('restoration', [('conservation', 'conservation'), ('restoration', 'restoration'), ('reconstruction', 'reconstruction'), ('replica', 'replica'), ('return', 'return')]), ('assessment', [('assessment', 'assessment of its condition')])], help_text='A guess from its wording.', max_length=20, verbose_name='what it seems to report'),
        ),
        migrations.AlterField(
            model_name='suggestion',
            name='trigger',
            field=models.CharField(help_text='The words that suggested the kind: destroyed, brought back, no visible damage.', max_length=100, verbose_name='trigger'),
        ),
        migrations.AddConstraint(
            model_name='suggestion',
            constraint=models.CheckConstraint(condition=models.Q(('kind__in', ['destroyed', 'damaged', 'looted', 'vandalised', 'military_use', 'misuse', 'conservation', 'restoration', 'reconstruction', 'replica', 'return', 'assessment'])), name='suggestion_kind_known'),
        ),
        migrations.AddConstraint(
            model_name='suggestion',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('condition__in', ['good', 'fair', 'poor', 'very_bad', 'destroyed', 'unknown']), ('kind', 'assessment')), models.Q(models.Q(('kind', 'assessment'), _negated=True), ('condition', '')), _connector='OR'), name='suggestion_condition_only_for_assessments'),
        ),
        migrations.AddField(
            model_name='assessment',
            name='artefact',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='%(class)ss', to='register.artefact', verbose_name='artefact'),
        ),
        migrations.AddField(
            model_name='assessment',
            name='monument',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='%(class)ss', to='register.monument', verbose_name='monument'),
        ),
        migrations.AddField(
            model_name='evidence',
            name='assessment',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='evidence', to='register.assessment'),
        ),
        migrations.AddField(
            model_name='historicalevidence',
            name='assessment',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='register.assessment'),
        ),
        migrations.AddConstraint(
            model_name='evidence',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('assessment__isnull', True), ('incident__isnull', False), ('restoration__isnull', True)), models.Q(('assessment__isnull', True), ('incident__isnull', True), ('restoration__isnull', False)), models.Q(('assessment__isnull', False), ('incident__isnull', True), ('restoration__isnull', True)), _connector='OR'), name='evidence_one_event'),
        ),
        migrations.AddConstraint(
            model_name='evidence',
            constraint=models.UniqueConstraint(condition=models.Q(('assessment__isnull', False)), fields=('article', 'position', 'assessment'), name='evidence_unique_quote_per_assessment'),
        ),
        migrations.AddField(
            model_name='historicalassessment',
            name='artefact',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='register.artefact', verbose_name='artefact'),
        ),
        migrations.AddField(
            model_name='historicalassessment',
            name='history_user',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicalassessment',
            name='monument',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='register.monument', verbose_name='monument'),
        ),
        migrations.AddIndex(
            model_name='assessment',
            index=models.Index(condition=models.Q(('is_public', True)), fields=['assessed_earliest', 'id'], name='assessment_public_assessed_id'),
        ),
        migrations.AddIndex(
            model_name='assessment',
            index=models.Index(condition=models.Q(('is_public', True)), fields=['assessed_latest', 'assessed_earliest', 'id'], name='assessment_public_order'),
        ),
        migrations.AddConstraint(
            model_name='assessment',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('artefact__isnull', True), ('monument__isnull', False)), models.Q(('artefact__isnull', False), ('monument__isnull', True)), _connector='OR'), name='assessment_one_subject'),
        ),
        migrations.AddConstraint(
            model_name='assessment',
            constraint=models.CheckConstraint(condition=models.Q(('assessed_earliest__isnull', False), ('assessed_latest__isnull', False), models.Q(('assessed', ''), _negated=True)), name='assessment_assessed_window_present'),
        ),
        migrations.AddConstraint(
            model_name='assessment',
            constraint=models.CheckConstraint(condition=models.Q(('assessed_earliest__isnull', True), ('assessed_earliest__lte', models.F('assessed_latest')), _connector='OR'), name='assessment_assessed_window_ordered'),
        ),
        migrations.AddConstraint(
            model_name='assessment',
            constraint=models.CheckConstraint(condition=models.Q(('condition__in', ['good', 'fair', 'poor', 'very_bad', 'destroyed', 'unknown'])), name='assessment_condition_known'),
        ),
        migrations.AddConstraint(
            model_name='assessment',
            constraint=models.CheckConstraint(condition=models.Q(('extent', ''), ('extent__in', ['none', '1-10', '11-30', '31-60', '61-90', '91-100']), _connector='OR'), name='assessment_extent_known'),
        ),
        migrations.AddConstraint(
            model_name='assessment',
            constraint=models.CheckConstraint(condition=models.Q(('trend__in', ['improving', 'stable', 'declining', 'unknown'])), name='assessment_trend_known'),
        ),
        migrations.AddConstraint(
            model_name='assessment',
            constraint=models.CheckConstraint(condition=models.Q(('priority', ''), ('priority__in', ['A', 'B', 'C', 'D', 'E', 'F']), _connector='OR'), name='assessment_priority_known'),
        ),
        migrations.AddConstraint(
            model_name='assessment',
            constraint=models.CheckConstraint(condition=models.Q(('method__in', ['field_visit', 'satellite_imagery', 'report'])), name='assessment_method_known'),
        ),
        migrations.RunPython(grant_curators, revoke_curators),
    ]
