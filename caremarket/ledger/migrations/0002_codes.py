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
    apps.get_model("ledger", "CostCentre").objects.get_or_create(service_type=None, area=None,
                                                                 defaults={"code": "ASC000"})


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
