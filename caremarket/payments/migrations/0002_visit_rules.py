"""How home-support visits are paid from call monitoring: on the planned time, within 5
minutes of the plan without a query, rounded to the nearest 5 minutes, at least 15 minutes."""

from django.db import migrations

HOME_SUPPORT = ["home-support", "quick-discharge", "approved-premises", "sensory-loss"]


def load(apps, schema_editor):
    ServiceType = apps.get_model("reference", "ServiceType")
    VisitRule = apps.get_model("payments", "VisitRule")
    for code in HOME_SUPPORT:
        VisitRule.objects.get_or_create(service_type=ServiceType.objects.get(code=code), defaults={
            "pay_on": "planned", "tolerance_minutes": 5, "rounding_minutes": 5, "rounding": "nearest",
            "minimum_minutes": 15})


class Migration(migrations.Migration):
    dependencies = [("payments", "0001_initial"), ("reference", "0002_service_types_and_need_groups")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
