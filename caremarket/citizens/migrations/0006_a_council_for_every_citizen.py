"""Each citizen's council is required, and a record number is unique within its council (two
councils may both have a CM0000001). Apart from 0005, which filled the column: PostgreSQL alters
a table only once the rows written in its transaction are settled."""

import django.db.models.deletion
from django.db import migrations, models

import caremarket.citizens.models


class Migration(migrations.Migration):
    dependencies = [("citizens", "0005_citizens_belong_to_a_council")]

    operations = [
        migrations.AlterField(
            model_name="citizen", name="council",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                    limit_choices_to={"kind": "council"}, to="organisations.organisation")),
        # The default only in Python (an install with one council need not say it), never in the table.
        migrations.AlterField(
            model_name="citizen", name="council",
            field=models.ForeignKey(default=caremarket.citizens.models.the_only_council,
                                    on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                    limit_choices_to={"kind": "council"}, to="organisations.organisation")),
        migrations.AlterField(model_name="citizen", name="reference",
                              field=models.CharField(max_length=20, verbose_name="Council record number")),
        migrations.AddConstraint(
            model_name="citizen",
            constraint=models.UniqueConstraint(fields=("council", "reference"), name="one_record_number_per_council")),
    ]
