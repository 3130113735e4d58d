"""The service types and need groups of the 2018 commissioning strategy (domain guide §1)."""

from django.db import migrations

SERVICE_TYPES = [
    # code, name, setting, is_home_support, open_to_new_entrants, max_providers
    ("home-support", "Home support", "home", True, False, None),
    ("quick-discharge", "Quick Discharge Service", "home", True, False, 1),
    ("approved-premises", "Approved Premises home support", "home", True, False, 4),
    ("sensory-loss", "Sensory Loss home support", "home", True, True, None),
    ("residential-care", "Residential care", "bed_based", False, True, None),
    ("nursing-care", "Nursing care", "bed_based", False, True, None),
    ("supported-living", "Supported living", "supported_living", False, True, None),
    ("acquired-brain-injury", "Acquired brain injury", "bed_based", False, True, None),
]

NEED_GROUPS = [
    ("dementia", "Dementia"),
    ("learning-disability", "Learning disability"),
    ("mental-health", "Mental health"),
    ("physical-disability", "Physical disability"),
    ("substance-misuse", "Substance misuse"),
    ("sensory-loss", "Sensory loss"),
    ("older-people", "Older people"),
]


def load(apps, schema_editor):
    ServiceType = apps.get_model("reference", "ServiceType")
    NeedGroup = apps.get_model("reference", "NeedGroup")
    for code, name, setting, home, open_, most in SERVICE_TYPES:
        ServiceType.objects.update_or_create(code=code, defaults={
            "name": name, "setting": setting, "is_home_support": home, "open_to_new_entrants": open_,
            "max_providers": most,
        })
    for code, name in NEED_GROUPS:
        NeedGroup.objects.update_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("reference", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
