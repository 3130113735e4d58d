"""Each incident is reported to one council, whose quality team triages it. An install from
before made every report to its one council: filled in place."""

from django.db import migrations, models

from caremarket.organisations.councils import council_column, installed_council


def to_the_council(apps, schema_editor):
    Incident = apps.get_model("incidents", "Incident")
    council = installed_council(apps, make=Incident.objects.exists())
    if council is not None:
        Incident.objects.filter(council__isnull=True).update(council=council)


class Migration(migrations.Migration):
    dependencies = [("incidents", "0001_initial"), ("organisations", "0006_a_councils_own_settings")]

    operations = [
        migrations.AddField(model_name="incident", name="council", field=council_column(null=True)),
        migrations.RunPython(to_the_council, migrations.RunPython.noop),
        migrations.AlterField(model_name="incident", name="council", field=council_column(null=False)),
        migrations.RemoveIndex(model_name="incident", name="incidents_i_status_cab3b2_idx"),
        migrations.AddIndex(model_name="incident", index=models.Index(
            fields=["council", "status", "reported_at"], name="incidents_to_triage")),
    ]
