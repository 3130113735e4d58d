import datetime as dt

from django.db import migrations

JOBS = [
    ("check-compliance-evidence", "caremarket.framework.tasks.check_compliance_evidence", dt.time(5, 0)),
    ("rerate-services", "caremarket.quality.tasks.rerate_all_services", dt.time(5, 30)),
    ("focussed-inspection-triggers", "caremarket.quality.tasks.check_focussed_inspection_triggers", dt.time(5, 45)),
]


def load(apps, schema_editor):
    ScheduledJob = apps.get_model("scheduling", "ScheduledJob")
    epoch = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)
    for name, task_path, daily in JOBS:
        ScheduledJob.objects.get_or_create(name=name, defaults={
            "task_path": task_path, "daily_at": daily, "next_run_at": epoch})


class Migration(migrations.Migration):
    dependencies = [("scheduling", "0002_jobs")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
