import datetime as dt

from django.db import migrations


def load(apps, schema_editor):
    apps.get_model("scheduling", "ScheduledJob").objects.get_or_create(name="deliver-events", defaults={
        "task_path": "caremarket.events.tasks.deliver_events", "every_minutes": 1,
        "next_run_at": dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)})


class Migration(migrations.Migration):
    dependencies = [("events", "0001_outbox"), ("scheduling", "0005_seal_audit_trail")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
