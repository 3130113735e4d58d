from django.db import migrations

# A council replaces these with its own chart of accounts (Other settings).
SUBJECTIVE = {"scheduled": "5100", "arrears": "5100", "recovery": "5100", "adjustment": "5100", "invoice": "5110",
              "results": "5200", "nhs_share": "9410", "client_contribution": "9420", "top_up": "9430",
              "creditors": "8000"}


def load(apps, schema_editor):
    Subjective = apps.get_model("ledger", "SubjectiveCode")
    for key, code in SUBJECTIVE.items():
        Subjective.objects.get_or_create(key=key, defaults={
            "code": code, "control_cost_centre": "FIN000" if key == "creditors" else ""})
    CostCentre = apps.get_model("ledger", "CostCentre")
    CostCentre.objects.get_or_create(service_type=None, area=None, defaults={"code": "ASC000"})
    for number, service in enumerate(apps.get_model("reference", "ServiceType").objects.order_by("code"), start=1):
        CostCentre.objects.get_or_create(service_type=service, area=None, defaults={"code": f"ASC{number:02d}0"})


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial"), ("reference", "0002_service_types_and_need_groups")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
