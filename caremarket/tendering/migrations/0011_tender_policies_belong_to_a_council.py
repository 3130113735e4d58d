"""A tender policy is its framework's council's, filled in place."""

import django.db.models.deletion
from django.db import migrations, models

from caremarket.organisations.councils import fill_from_parent


def from_the_framework(apps, schema_editor):
    fill_from_parent(apps.get_model("tendering", "TenderPolicy"), "framework")


class Migration(migrations.Migration):

    dependencies = [
        ('organisations', '0005_organisation_la_code'),
        ('tendering', '0010_a_council_for_all_tendering'),
        ('framework', '0003_frameworks_belong_to_a_council'),
    ]

    operations = [
        migrations.AddField(
            model_name='tenderpolicy',
            name='council',
            field=models.ForeignKey(editable=False, limit_choices_to={'kind': 'council'}, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisations.organisation'),
        ),
        migrations.RunPython(from_the_framework, migrations.RunPython.noop),
    ]
