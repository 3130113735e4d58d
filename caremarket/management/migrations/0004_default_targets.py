from django.db import migrations

DEFAULTS = {"late": "5.0", "missed": "1.0", "delivered": "95.0", "award_to_start": "7.0", "hand_backs": "1.0"}


def load(apps, schema_editor):
    Target = apps.get_model("management", "PerformanceTarget")
    for measure, value in DEFAULTS.items():
        Target.objects.get_or_create(organisation=None, measure=measure, defaults={"value": value})


class Migration(migrations.Migration):
    dependencies = [("management", "0003_performance_targets")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
