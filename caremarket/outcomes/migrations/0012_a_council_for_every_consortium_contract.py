import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("outcomes", "0011_consortium_contracts_belong_to_a_council")]

    operations = [
        migrations.AlterField(
            model_name="consortiumcontract", name="council",
            field=models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                    limit_choices_to={"kind": "council"}, to="organisations.organisation")),
    ]
