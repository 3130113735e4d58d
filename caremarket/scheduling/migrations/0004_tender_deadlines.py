import datetime as dt

from django.db import migrations


def load(apps, schema_editor):
    ScheduledJob = apps.get_model("scheduling", "ScheduledJob")
    ScheduledJob.objects.get_or_create(name="close-due-tenders", defaults={
        "task_path": "caremarket.tendering.tasks.close_due_tenders", "every_minutes": 5,
        "next_run_at": dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)})


class Migration(migrations.Migration):
    dependencies = [("scheduling", "0003_framework_and_quality_jobs")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
