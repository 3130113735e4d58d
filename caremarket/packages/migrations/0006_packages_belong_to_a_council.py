"""A package is its requirement's council's, a change its package's: filled in place."""

import django.db.models.deletion
from django.db import migrations, models

from caremarket.organisations.councils import fill_from_parent

TABLES = (("carepackage", "requirement"), ("packagechange", "package"))


def from_parents(apps, schema_editor):
    for model, parent in TABLES:
        fill_from_parent(apps.get_model("packages", model), parent)


class Migration(migrations.Migration):
    dependencies = [("packages", "0005_end_care_job"), ("tendering", "0010_a_council_for_all_tendering")]

    operations = [
        migrations.AddField(
            model_name=model, name="council",
            field=models.ForeignKey(null=True, editable=False, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="+", limit_choices_to={"kind": "council"},
                                    to="organisations.organisation"))
        for model, _ in TABLES
    ] + [migrations.RunPython(from_parents, migrations.RunPython.noop)]
