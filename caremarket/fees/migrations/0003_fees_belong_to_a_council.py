"""Each fee schedule (its rates, uplifts and review) is one council's. An install from before
makes its schedules its council's, in place; a new install, loaded before it has a council,
leaves them for its first council to adopt."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from caremarket.organisations.councils import fill_from_parent, installed_council


def to_the_council(apps, schema_editor):
    council = installed_council(apps)
    if council is None:
        return
    apps.get_model("fees", "FeeSchedule").objects.filter(council__isnull=True).update(council=council)
    for model in ("FeeRate", "QualityUplift", "PriceReview"):
        fill_from_parent(apps.get_model("fees", model), "schedule")


class Migration(migrations.Migration):

    dependencies = [
        ('fees', '0002_schedule_2026'),
        ('organisations', '0006_a_councils_own_settings'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='feerate',
            name='council',
            field=models.ForeignKey(editable=False, limit_choices_to={'kind': 'council'}, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisations.organisation'),
        ),
        migrations.AddField(
            model_name='feeschedule',
            name='council',
            field=models.ForeignKey(editable=False, limit_choices_to={'kind': 'council'}, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisations.organisation'),
        ),
        migrations.AddField(
            model_name='pricereview',
            name='council',
            field=models.ForeignKey(editable=False, limit_choices_to={'kind': 'council'}, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisations.organisation'),
        ),
        migrations.AddField(
            model_name='qualityuplift',
            name='council',
            field=models.ForeignKey(editable=False, limit_choices_to={'kind': 'council'}, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisations.organisation'),
        ),
        migrations.AlterField(
            model_name='feeschedule',
            name='start_year',
            field=models.PositiveIntegerField(help_text='The financial year, by the year it starts in'),
        ),
        migrations.AddConstraint(
            model_name='feeschedule',
            constraint=models.UniqueConstraint(fields=('council', 'start_year'), name='one_fee_schedule_a_year'),
        ),
        migrations.RunPython(to_the_council, migrations.RunPython.noop),
    ]
