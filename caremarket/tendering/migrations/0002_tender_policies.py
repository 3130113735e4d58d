"""How each service of the 2026 framework is tendered (2018 commissioning strategy): the
highest quality rating wins; fixed fees where the council sets one, open-book prices for
supported living and acquired brain injury. Commissioners change these in the back office."""

from django.db import migrations

POLICIES = [
    # service type, pricing, fixed fee (pence), unit
    ("home-support", "fixed_fee", 2250, "hour"),
    ("quick-discharge", "fixed_fee", 2450, "hour"),
    ("approved-premises", "fixed_fee", 2250, "hour"),
    ("sensory-loss", "fixed_fee", 2400, "hour"),
    ("residential-care", "fixed_fee", 82500, "week"),
    ("nursing-care", "fixed_fee", 94000, "week"),
    ("supported-living", "open_book", None, "week"),
    ("acquired-brain-injury", "open_book", None, "week"),
]


def load(apps, schema_editor):
    Framework = apps.get_model("framework", "Framework")
    ServiceType = apps.get_model("reference", "ServiceType")
    TenderPolicy = apps.get_model("tendering", "TenderPolicy")
    framework = Framework.objects.get(name="Adult Social Care Framework 2026")
    for code, pricing, fee, unit in POLICIES:
        TenderPolicy.objects.get_or_create(framework=framework, service_type=ServiceType.objects.get(code=code),
                                           defaults={"rule": "strategy_2018", "pricing": pricing,
                                                     "fixed_fee_pence": fee, "fee_unit": unit})


class Migration(migrations.Migration):
    dependencies = [("tendering", "0001_initial"), ("framework", "0002_framework_2026")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
