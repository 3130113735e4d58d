"""Default thresholds for focussed inspections (rule 8), in a rolling three months; the
council changes them as data."""

from django.db import migrations

THRESHOLDS = [
    ("concern", 5), ("safeguarding_alert", 3), ("complaint", 5), ("breach", 1), ("cqc_notice", 1),
    ("credit_alert", 1), ("meeting_feedback", 2), ("review_outcomes_not_met", 3),
]


def load(apps, schema_editor):
    TriggerThreshold = apps.get_model("quality", "TriggerThreshold")
    for kind, count in THRESHOLDS:
        TriggerThreshold.objects.get_or_create(kind=kind, defaults={"count": count, "window_days": 91})


class Migration(migrations.Migration):
    dependencies = [("quality", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
