"""Caremarket's first reading of how its values become the CLD return's codes. A council checks
them against the specification it is sent and changes them under Other settings. Acquired brain
injury is left without a service type on purpose: whether a placement counts as residential or
nursing care is the council's call, and until it is made those rows are listed, not guessed."""

from django.db import migrations

CODES = {
    "service_type": {
        "home-support": "Long Term Support: Community",
        "quick-discharge": "Short Term Support: ST-Max",
        "approved-premises": "Long Term Support: Community",
        "sensory-loss": "Long Term Support: Community",
        "residential-care": "Long Term Support: Residential Care",
        "nursing-care": "Long Term Support: Nursing Care",
        "supported-living": "Long Term Support: Community",
    },
    "service_component": {
        "home-support": "Home Support",
        "quick-discharge": "Reablement",
        "approved-premises": "Home Support",
        "sensory-loss": "Home Support",
        "residential-care": "Residential Care",
        "nursing-care": "Nursing Care",
        "supported-living": "Supported Living",
        "acquired-brain-injury": "Residential Care",
    },
    "delivery_mechanism": {route: "CASSR Commissioned Support" for route in (
        "micro_tender", "citizen_choice", "block_contract", "quick_discharge", "hand_back")},
    "event_outcome": {
        "death": "NFA - Deceased",
        "moved": "NFA - Moved to another LA",
        "no_longer_needed": "Service ended as planned",
        "handed_back": "Progress to Support Planning / Services",
        "ended": "Service ended as planned",
    },
    "cost_frequency": {"hourly": "Hourly", "weekly": "Weekly"},
    "carer_support": {
        "service_type": "Carer Support: Direct to Carer",
        "service_component": "Carer Respite",
        "delivery_mechanism": "CASSR Commissioned Support",
        "cost_frequency": "One-off",
    },
}


def load(apps, schema_editor):
    CodeMapping = apps.get_model("national_return", "CodeMapping")
    for kind, pairs in CODES.items():
        for ours, theirs in pairs.items():
            CodeMapping.objects.get_or_create(kind=kind, ours=ours, defaults={"theirs": theirs})


class Migration(migrations.Migration):
    dependencies = [("national_return", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
