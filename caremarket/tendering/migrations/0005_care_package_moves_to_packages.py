"""The care package now lives in the packages app (its 0001): forget it here and point a
requirement's `replaces` at packages.CarePackage. No table or row changes."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('packages', '0001_initial'),
        ('payments', '0005_package_changes_and_funding_move_to_packages'),
        ('tendering', '0004_eligibility_at_every_step'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.AlterField(
                model_name='carerequirement',
                name='replaces',
                field=models.ForeignKey(blank=True, help_text='The handed-back package this re-places', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='replacements', to='packages.carepackage'),
            ),
            migrations.DeleteModel(
                name='CarePackage',
            ),
        ]),
    ]
