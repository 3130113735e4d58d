import datetime as dt
from decimal import Decimal

from django.db import migrations


def load(apps, schema_editor):
    apps.get_model("management", "ReviewPolicy").objects.get_or_create(
        pk=1, defaults={"market_share": Decimal("0.01"), "days_into_quarter": 45})
    apps.get_model("scheduling", "ScheduledJob").objects.get_or_create(name="schedule-contract-reviews", defaults={
        "task_path": "caremarket.management.tasks.schedule_contract_reviews", "daily_at": dt.time(6, 0),
        "next_run_at": dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)})


class Migration(migrations.Migration):
    dependencies = [("management", "0001_initial"), ("scheduling", "0005_seal_audit_trail")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
