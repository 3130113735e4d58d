"""Each alliance contract is one council's. An install from before ran one council: filled in place."""

from django.db import migrations

from caremarket.organisations.councils import council_column, installed_council


def to_the_council(apps, schema_editor):
    AllianceContract = apps.get_model("outcomes", "AllianceContract")
    council = installed_council(apps, make=AllianceContract.objects.exists())
    if council is not None:
        AllianceContract.objects.filter(council__isnull=True).update(council=council)


class Migration(migrations.Migration):
    dependencies = [("outcomes", "0012_a_council_for_every_consortium_contract"),
                    ("organisations", "0006_a_councils_own_settings")]

    operations = [
        migrations.AddField(model_name="alliancecontract", name="council", field=council_column(null=True)),
        migrations.RunPython(to_the_council, migrations.RunPython.noop),
        migrations.AlterField(model_name="alliancecontract", name="council", field=council_column(null=False)),
    ]
