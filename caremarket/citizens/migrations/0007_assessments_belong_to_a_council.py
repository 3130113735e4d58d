"""An assessment is its citizen's council's: a column added and filled in place."""

import django.db.models.deletion
from django.db import migrations, models

from caremarket.organisations.councils import fill_from_parent


def from_citizen(apps, schema_editor):
    fill_from_parent(apps.get_model("citizens", "Assessment"), "citizen")


class Migration(migrations.Migration):
    dependencies = [("citizens", "0006_a_council_for_every_citizen")]

    operations = [
        migrations.AddField(
            model_name="assessment", name="council",
            field=models.ForeignKey(null=True, editable=False, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="+", limit_choices_to={"kind": "council"},
                                    to="organisations.organisation")),
        migrations.RunPython(from_citizen, migrations.RunPython.noop),
    ]
