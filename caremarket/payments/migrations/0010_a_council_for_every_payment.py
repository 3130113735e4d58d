import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("payments", "0009_payments_belong_to_a_council")]

    operations = [
        *(migrations.AlterField(
            model_name=model, name="council",
            field=models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                    limit_choices_to={"kind": "council"}, to="organisations.organisation"))
          for model in ("visitupload", "invoice", "visit", "paymentquery", "paymentrun", "paymentline", "paymentdue")),
        migrations.AlterField(model_name="invoice", name="reference", field=models.CharField(max_length=30)),
        migrations.AddConstraint(model_name="invoice", constraint=models.UniqueConstraint(
            fields=("council", "reference"), name="one_invoice_reference")),
    ]
