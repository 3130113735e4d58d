import datetime as dt

from django.db import migrations


def load(apps, schema_editor):
    apps.get_model("scheduling", "ScheduledJob").objects.get_or_create(name="raise-from-client-records", defaults={
        "task_path": "caremarket.tendering.tasks.raise_from_client_records", "every_minutes": 5,
        "next_run_at": dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)})


class Migration(migrations.Migration):
    dependencies = [("tendering", "0007_raise_from_client_records"), ("scheduling", "0005_seal_audit_trail")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
