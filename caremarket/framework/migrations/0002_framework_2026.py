"""The council's framework, its sections, the evidence it asks for and its entry criteria
(2018 commissioning strategy, "Entry criteria"), as data commissioners can change."""

import datetime as dt

from django.db import migrations

ALL = ["home", "bed_based", "supported_living"]
DOCUMENT_TYPES = [
    # code, name, has expiry, settings
    ("cqc-registration", "CQC registration certificate", False, ALL),
    ("financial-accounts", "Latest financial accounts", True, ALL),
    ("insurance-el", "Employer's liability insurance certificate", True, ALL),
    ("insurance-pl", "Public liability insurance certificate", True, ALL),
    ("company-registration", "Company registration details", False, ALL),
    ("food-hygiene", "Food hygiene rating", True, ["bed_based"]),
    ("call-monitoring", "Electronic call monitoring system details", False, ["home"]),
    ("policy-safeguarding", "Safeguarding policy", True, ALL),
    ("policy-health-safety", "Health and safety policy", True, ALL),
    ("policy-recruitment", "Recruitment and selection policy", True, ALL),
    ("policy-business-continuity", "Business continuity policy", True, ALL),
    ("policy-equal-opportunities", "Equal opportunities policy", True, ALL),
    ("policy-environmental", "Environmental and sustainability policy", True, ALL),
    ("policy-care-planning", "Care planning and risk assessment policies", True, ALL),
]
DECLARATIONS = [
    ("bankruptcy-convictions", "Bankruptcy or convictions of owners or responsible persons"),
    ("data-protection", "Data protection compliance"),
    ("modern-slavery", "Modern slavery compliance"),
]
HOME_SUPPORT_CITY_WIDE = ["quick-discharge", "approved-premises", "sensory-loss"]
BY_NEED = {
    "residential-care": ["older-people", "dementia", "learning-disability", "mental-health", "physical-disability"],
    "nursing-care": ["older-people", "dementia", "physical-disability"],
    "supported-living": ["learning-disability", "mental-health", "physical-disability"],
    "acquired-brain-injury": [None],
}


def load(apps, schema_editor):
    get = apps.get_model
    ServiceType, NeedGroup, Area = get("reference", "ServiceType"), get("reference", "NeedGroup"), get("geography", "Area")
    Framework, Section = get("framework", "Framework"), get("framework", "Section")
    DocumentType, EntryCriterion = get("framework", "DocumentType"), get("framework", "EntryCriterion")
    framework, _ = Framework.objects.get_or_create(name="Adult Social Care Framework 2026", defaults={
        "starts_on": dt.date(2026, 4, 1), "ends_on": dt.date(2030, 3, 31),
        "initial_procurement_closes_on": dt.date(2026, 6, 30)})

    def section(code, area=None, need=None):
        service = ServiceType.objects.get(code=code)
        Section.objects.get_or_create(
            framework=framework, service_type=service, area=area,
            need_group=NeedGroup.objects.get(code=need) if need else None,
            defaults={"open_to_new_entrants": service.open_to_new_entrants, "max_providers": service.max_providers})

    for area in Area.objects.all():
        section("home-support", area=area)
    for code in HOME_SUPPORT_CITY_WIDE:
        section(code)
    for code, needs in BY_NEED.items():
        for need in needs:
            section(code, need=need)

    position = 1
    EntryCriterion.objects.get_or_create(code="quality-rating", defaults={
        "name": "Quality rating", "kind": "rating", "settings": ALL, "position": position})
    for code, name, expires, settings in DOCUMENT_TYPES:
        document_type, _ = DocumentType.objects.get_or_create(code=code, defaults={
            "name": name, "has_expiry": expires, "settings": settings})
        position += 1
        EntryCriterion.objects.get_or_create(code=code, defaults={
            "name": name, "kind": "document", "settings": settings, "document_type": document_type,
            "position": position})
    for code, name in DECLARATIONS:
        position += 1
        EntryCriterion.objects.get_or_create(code=code, defaults={
            "name": name, "kind": "declaration", "settings": ALL, "position": position})


class Migration(migrations.Migration):
    dependencies = [
        ("framework", "0001_initial"),
        ("reference", "0002_service_types_and_need_groups"),
        ("geography", "0002_birmingham"),
    ]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
