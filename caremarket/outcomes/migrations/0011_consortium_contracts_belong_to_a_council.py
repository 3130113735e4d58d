"""A consortium contract is the council's that let it: the install's council, in place."""

import django.db.models.deletion
from django.db import migrations, models


def to_the_council(apps, schema_editor):
    council = apps.get_model("organisations", "Organisation").objects.filter(kind="council") \
        .order_by("pk").values_list("pk", flat=True).first()
    apps.get_model("outcomes", "ConsortiumContract").objects.filter(council__isnull=True).update(council=council)


class Migration(migrations.Migration):
    dependencies = [("outcomes", "0010_carer_anonymised_on"), ("organisations", "0005_organisation_la_code")]

    operations = [
        migrations.AddField(
            model_name="consortiumcontract", name="council",
            field=models.ForeignKey(null=True, editable=False, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="+", limit_choices_to={"kind": "council"},
                                    to="organisations.organisation")),
        migrations.RunPython(to_the_council, migrations.RunPython.noop),
    ]
