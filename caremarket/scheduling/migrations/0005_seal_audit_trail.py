import datetime as dt

from django.db import migrations


def load(apps, schema_editor):
    ScheduledJob = apps.get_model("scheduling", "ScheduledJob")
    ScheduledJob.objects.get_or_create(name="seal-audit-trail", defaults={
        "task_path": "caremarket.audit.tasks.seal_audit_trail", "every_minutes": 1,
        "next_run_at": dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)})


class Migration(migrations.Migration):
    dependencies = [("scheduling", "0004_tender_deadlines")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
