import datetime as dt

from django.db import migrations


def load(apps, schema_editor):
    apps.get_model("scheduling", "ScheduledJob").objects.get_or_create(name="end-care-from-client-records", defaults={
        "task_path": "caremarket.packages.tasks.propose_ends_from_client_records", "every_minutes": 15,
        "next_run_at": dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)})


class Migration(migrations.Migration):
    dependencies = [("packages", "0004_requested_by_the_client_record_system"), ("scheduling", "0005_seal_audit_trail")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
