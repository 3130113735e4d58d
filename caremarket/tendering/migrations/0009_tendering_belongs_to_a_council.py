"""A requirement is its citizen's council's; a tender its requirement's; an invitation and an
offer their tender's: columns added and filled in place, no rows copied."""

import django.db.models.deletion
from django.db import migrations, models

from caremarket.organisations.councils import fill_from_parent

TABLES = (("carerequirement", "citizen"), ("tender", "requirement"), ("invitation", "tender"), ("offer", "tender"))


def from_parents(apps, schema_editor):
    for model, parent in TABLES:  # in this order: each takes from the one filled before
        fill_from_parent(apps.get_model("tendering", model), parent)


def council():
    return models.ForeignKey(null=True, editable=False, on_delete=django.db.models.deletion.PROTECT,
                             related_name="+", limit_choices_to={"kind": "council"}, to="organisations.organisation")


class Migration(migrations.Migration):
    dependencies = [("tendering", "0008_raise_from_client_records_job"), ("citizens", "0008_a_council_for_every_assessment")]

    operations = [migrations.AddField(model_name=model, name="council", field=council()) for model, _ in TABLES] + [
        migrations.RunPython(from_parents, migrations.RunPython.noop),
    ]
