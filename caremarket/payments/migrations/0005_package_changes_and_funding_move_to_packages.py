"""Package changes and funding now live in the packages app (its 0001): forget them here and
point visits and payment lines at packages.CarePackage. No table or row changes."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('packages', '0001_initial'),
        ('payments', '0004_upload_error_count'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.RemoveField(
                model_name='packagefunding',
                name='package',
            ),
            migrations.AlterField(
                model_name='paymentline',
                name='package',
                field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='packages.carepackage'),
            ),
            migrations.AlterField(
                model_name='visit',
                name='package',
                field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='visits', to='packages.carepackage'),
            ),
            migrations.DeleteModel(
                name='PackageChange',
            ),
            migrations.DeleteModel(
                name='PackageFunding',
            ),
        ]),
    ]
