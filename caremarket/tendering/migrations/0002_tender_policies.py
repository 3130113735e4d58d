"""How each service of the 2026 framework is tendered (2018 commissioning strategy): the
highest quality rating wins. Prices come from the fee schedule (caremarket.fees).
Commissioners change these in the back office."""

from django.db import migrations

SERVICE_TYPES = ["home-support", "quick-discharge", "approved-premises", "sensory-loss", "residential-care",
                 "nursing-care", "supported-living", "acquired-brain-injury"]


def load(apps, schema_editor):
    Framework = apps.get_model("framework", "Framework")
    ServiceType = apps.get_model("reference", "ServiceType")
    TenderPolicy = apps.get_model("tendering", "TenderPolicy")
    framework = Framework.objects.get(name="Adult Social Care Framework 2026")
    for code in SERVICE_TYPES:
        TenderPolicy.objects.get_or_create(framework=framework, service_type=ServiceType.objects.get(code=code),
                                           defaults={"rule": "strategy_2018"})


class Migration(migrations.Migration):
    dependencies = [("tendering", "0001_initial"), ("framework", "0002_framework_2026")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
