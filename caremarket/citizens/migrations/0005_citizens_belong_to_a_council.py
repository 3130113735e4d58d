"""Each citizen belongs to one council. An install from before (one council) makes every citizen
its council's, in place: a column added and filled, no rows copied."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def to_the_council(apps, schema_editor):
    Citizen, Organisation = apps.get_model("citizens", "Citizen"), apps.get_model("organisations", "Organisation")
    if not Citizen.objects.filter(council__isnull=True).exists():
        return
    councils = Organisation.objects.filter(kind="council").order_by("pk")
    council = (councils.filter(name=settings.COUNCIL_NAME).first() or councils.first()
               or Organisation.objects.create(kind="council", name=settings.COUNCIL_NAME))
    Citizen.objects.filter(council__isnull=True).update(council=council)


class Migration(migrations.Migration):
    dependencies = [("citizens", "0004_citizen_anonymised_on"), ("organisations", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="citizen", name="council",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                    limit_choices_to={"kind": "council"}, to="organisations.organisation")),
        migrations.RunPython(to_the_council, migrations.RunPython.noop),
    ]
