import datetime as dt

from django.db import migrations


def load(apps, schema_editor):
    apps.get_model("scheduling", "ScheduledJob").objects.get_or_create(name="publish-open-data", defaults={
        "task_path": "caremarket.opendata.tasks.publish_open_data", "daily_at": dt.time(2, 30),
        "next_run_at": dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)})


class Migration(migrations.Migration):
    dependencies = [("scheduling", "0005_seal_audit_trail")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
