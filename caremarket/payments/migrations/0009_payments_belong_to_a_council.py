"""Each council pays its own: uploads, invoices and runs are their period's council's, visits
their invoice's, queries their visit's, lines their run's, and a payment due the install's
council's. Columns added and filled in place (visits too: no rows copied)."""

import django.db.models.deletion
from django.db import migrations, models

from caremarket.organisations.councils import fill_from_parent

FROM_PARENT = (("visitupload", "period"), ("invoice", "period"), ("visit", "invoice"), ("paymentquery", "visit"),
               ("paymentrun", "period"), ("paymentline", "run"))


def from_parents(apps, schema_editor):
    for model, parent in FROM_PARENT:  # in this order: each takes from one filled before
        fill_from_parent(apps.get_model("payments", model), parent)
    Due = apps.get_model("payments", "PaymentDue")
    council = apps.get_model("periods", "FinancialYear").objects.values_list("council", flat=True).first()
    if council is None:
        council = apps.get_model("organisations", "Organisation").objects.filter(kind="council") \
            .order_by("pk").values_list("pk", flat=True).first()
    Due.objects.filter(council__isnull=True).update(council=council)


class Migration(migrations.Migration):
    dependencies = [("payments", "0008_alter_paymentline_kind_paymentdue_paymentline_due"),
                    ("periods", "0003_a_council_for_every_calendar")]

    operations = [
        migrations.AddField(
            model_name=model, name="council",
            field=models.ForeignKey(null=True, editable=False, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="+", limit_choices_to={"kind": "council"},
                                    to="organisations.organisation"))
        for model in (*(m for m, _ in FROM_PARENT), "paymentdue")
    ] + [migrations.RunPython(from_parents, migrations.RunPython.noop)]
