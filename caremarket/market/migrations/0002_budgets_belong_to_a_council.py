"""A budget is its payment period's council's, filled in place."""

from django.db import migrations

from caremarket.organisations.councils import council_column, fill_from_parent


def from_the_period(apps, schema_editor):
    fill_from_parent(apps.get_model("market", "SpendBudget"), "period")


class Migration(migrations.Migration):
    dependencies = [("market", "0001_initial"), ("periods", "0003_a_council_for_every_calendar")]

    operations = [
        migrations.AddField(model_name="spendbudget", name="council", field=council_column(null=True)),
        migrations.RunPython(from_the_period, migrations.RunPython.noop),
        migrations.AlterField(model_name="spendbudget", name="council", field=council_column(null=False)),
    ]
