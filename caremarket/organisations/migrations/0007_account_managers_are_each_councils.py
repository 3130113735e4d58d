"""Each council names its own account manager for an organisation. An install from before ran
one council: each organisation's account manager becomes that council's, then the one field
on the organisation goes."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from caremarket.organisations.councils import installed_council


def to_the_council(apps, schema_editor):
    Organisation = apps.get_model("organisations", "Organisation")
    managed = Organisation.objects.filter(account_manager__isnull=False)
    council = installed_council(apps, make=managed.exists())
    if council is not None:
        apps.get_model("organisations", "AccountManagement").objects.bulk_create(
            apps.get_model("organisations", "AccountManagement")(
                council=council, organisation=organisation, manager_id=organisation.account_manager_id)
            for organisation in managed)


class Migration(migrations.Migration):

    dependencies = [
        ('organisations', '0006_a_councils_own_settings'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='AccountManagement',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('council', models.ForeignKey(editable=False, limit_choices_to={'kind': 'council'}, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisations.organisation')),
                ('manager', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='managed_accounts', to=settings.AUTH_USER_MODEL)),
                ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='account_managements', to='organisations.organisation')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('council', 'organisation'), name='one_account_manager_a_council')],
            },
        ),
        migrations.RunPython(to_the_council, migrations.RunPython.noop),
        migrations.RemoveField(model_name="organisation", name="account_manager"),
    ]
