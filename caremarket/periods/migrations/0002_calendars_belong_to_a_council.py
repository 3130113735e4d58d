"""Each council keeps its own payment calendar: a year and its periods become the install's
council's, in place; a date is unique within a council's calendar, not across councils."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from caremarket.organisations.councils import fill_from_parent


def to_the_council(apps, schema_editor):
    Year, Organisation = apps.get_model("periods", "FinancialYear"), apps.get_model("organisations", "Organisation")
    if Year.objects.filter(council__isnull=True).exists():
        councils = Organisation.objects.filter(kind="council").order_by("pk")
        council = (councils.filter(name=settings.COUNCIL_NAME).first() or councils.first()
                   or Organisation.objects.create(kind="council", name=settings.COUNCIL_NAME))
        Year.objects.filter(council__isnull=True).update(council=council)
    fill_from_parent(apps.get_model("periods", "PaymentPeriod"), "financial_year")


def council():
    return models.ForeignKey(null=True, editable=False, on_delete=django.db.models.deletion.PROTECT,
                             related_name="+", limit_choices_to={"kind": "council"}, to="organisations.organisation")


class Migration(migrations.Migration):
    dependencies = [("periods", "0001_initial"), ("organisations", "0001_initial")]

    operations = [
        migrations.AddField(model_name="financialyear", name="council", field=council()),
        migrations.AddField(model_name="paymentperiod", name="council", field=council()),
        migrations.RunPython(to_the_council, migrations.RunPython.noop),
    ]
