import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("packages", "0006_packages_belong_to_a_council")]

    operations = [
        migrations.AlterField(
            model_name=model, name="council",
            field=models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                    limit_choices_to={"kind": "council"}, to="organisations.organisation"))
        for model in ("carepackage", "packagechange")
    ]
