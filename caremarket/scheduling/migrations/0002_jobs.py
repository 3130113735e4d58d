import datetime as dt

from django.db import migrations

JOBS = [
    # name, task, every_minutes, daily_at (UK time)
    ("verify-audit-trail", "caremarket.audit.tasks.verify_audit_trail", None, dt.time(2, 0)),
    ("draft-next-payment-calendar", "caremarket.periods.tasks.draft_next_payment_calendar", None, dt.time(6, 0)),
]


def load(apps, schema_editor):
    ScheduledJob = apps.get_model("scheduling", "ScheduledJob")
    epoch = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)  # due at once; the scheduler sets the real time
    for name, task_path, every, daily in JOBS:
        ScheduledJob.objects.get_or_create(name=name, defaults={
            "task_path": task_path, "every_minutes": every, "daily_at": daily, "next_run_at": epoch,
        })


class Migration(migrations.Migration):
    dependencies = [("scheduling", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
