import datetime as dt

from django.db import migrations, models
from django.utils import timezone

# The scopes and longest life as they were when tokens gained them (accounts.token_rules).
AREAS = ("people", "organisations", "citizens", "client-records", "events", "reference", "framework", "tendering",
         "payments", "outcomes", "open-data")


def keep_existing_tokens_working(apps, schema_editor):
    """Tokens made before scopes could do everything their person could, for ever: they keep
    every scope and expire a year from now, so no council system stops on the day."""
    ApiToken = apps.get_model("accounts", "ApiToken")
    ApiToken.objects.update(scopes=[f"{area}:{access}" for area in AREAS for access in ("read", "write")],
                            expires_at=timezone.now() + dt.timedelta(days=365))


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0005_email_confirmation"),
    ]

    operations = [
        migrations.AddField(model_name="apitoken", name="scopes", field=models.JSONField(default=list)),
        migrations.AddField(model_name="apitoken", name="expires_at", field=models.DateTimeField(null=True)),
        migrations.AddField(model_name="apitoken", name="last_used_from",
                            field=models.GenericIPAddressField(blank=True, null=True)),
        migrations.AddField(model_name="apitoken", name="replaced_by",
                            field=models.OneToOneField(blank=True, null=True,
                                                       on_delete=models.deletion.SET_NULL, related_name="replaces",
                                                       to="accounts.apitoken")),
        migrations.RunPython(keep_existing_tokens_working, migrations.RunPython.noop),
        migrations.AlterField(model_name="apitoken", name="expires_at", field=models.DateTimeField()),
        migrations.AddIndex(model_name="apitoken",
                            index=models.Index(fields=["expires_at"], name="api_tokens_by_expiry")),
    ]
