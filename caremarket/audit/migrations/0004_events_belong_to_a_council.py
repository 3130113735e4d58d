"""Each event says whose work it records. An install from before ran one council: its events
are that council's (the chain is untouched: it covers what happened, not who reads it)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def to_the_council(apps, schema_editor):
    # As organisations.councils.installed_council, which the audit trail, below organisations,
    # does not import: the council named in the settings, else the first.
    councils = apps.get_model("organisations", "Organisation").objects.filter(kind="council").order_by("pk")
    council = councils.filter(name=settings.COUNCIL_NAME).first() or councils.first()
    if council is not None:
        apps.get_model("audit", "AuditEvent").objects.filter(council__isnull=True).update(council=council)


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0003_seal_after_writing'),
        ('organisations', '0006_a_councils_own_settings'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='auditevent',
            name='council',
            field=models.ForeignKey(editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisations.organisation'),
        ),
        migrations.AddIndex(
            model_name='auditevent',
            index=models.Index(fields=['council', 'sequence'], name='audit_by_council'),
        ),
        migrations.RunPython(to_the_council, migrations.RunPython.noop),
    ]
