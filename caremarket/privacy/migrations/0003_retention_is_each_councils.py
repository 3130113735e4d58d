"""Each council keeps its own retention schedule and runs. An install from before ran one
council: its schedule and runs are that council's, in place; a new install's schedule waits for
its first council to adopt it."""

from django.db import migrations, models

from caremarket.organisations.councils import council_column, installed_council
from caremarket.privacy.retention_rules import KINDS


def to_the_council(apps, schema_editor):
    runs = apps.get_model("privacy", "RetentionRun").objects
    council = installed_council(apps, make=runs.exists())
    if council is not None:
        for model in ("RetentionRule", "RetentionRun"):
            apps.get_model("privacy", model).objects.filter(council__isnull=True).update(council=council)


class Migration(migrations.Migration):
    dependencies = [("privacy", "0002_default_schedule"), ("organisations", "0006_a_councils_own_settings")]

    operations = [
        migrations.AddField(model_name="retentionrule", name="council", field=council_column(null=True)),
        migrations.AddField(model_name="retentionrun", name="council", field=council_column(null=True)),
        migrations.RunPython(to_the_council, migrations.RunPython.noop),
        migrations.AlterField(model_name="retentionrun", name="council", field=council_column(null=False)),
        migrations.AlterField(model_name="retentionrule", name="kind", field=models.CharField(
            max_length=20, choices=[(k, v.label) for k, v in KINDS.items()])),
        migrations.AddConstraint(model_name="retentionrule", constraint=models.UniqueConstraint(
            fields=["council", "kind"], name="one_rule_a_kind_a_council")),
    ]
