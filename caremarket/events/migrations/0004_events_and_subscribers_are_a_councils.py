"""An event records one council's work (or national work), and a subscriber is one council's
system: it receives its council's events alone. An install from before ran one council: its
events and subscribers are that council's."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def to_the_council(apps, schema_editor):
    # As organisations.councils.installed_council, which events, below organisations, does not
    # import: the council named in the settings, else the first (made if subscribers need one).
    Subscriber, Event = apps.get_model("events", "Subscriber"), apps.get_model("events", "Event")
    organisations = apps.get_model("organisations", "Organisation").objects
    councils = organisations.filter(kind="council").order_by("pk")
    council = councils.filter(name=settings.COUNCIL_NAME).first() or councils.first()
    if council is None and Subscriber.objects.exists():
        council = organisations.create(kind="council", name=settings.COUNCIL_NAME)
    if council is not None:
        Subscriber.objects.filter(council__isnull=True).update(council=council)
        Event.objects.filter(council__isnull=True).update(council=council)


def council(null):
    return models.ForeignKey("organisations.Organisation", null=null, editable=False, related_name="+",
                             on_delete=django.db.models.deletion.PROTECT, limit_choices_to={"kind": "council"})


class Migration(migrations.Migration):
    dependencies = [("events", "0003_delivery_lanes"), ("organisations", "0007_account_managers_are_each_councils")]

    operations = [
        migrations.AddField(model_name="event", name="council", field=models.ForeignKey(
            "organisations.Organisation", null=True, editable=False, related_name="+",
            on_delete=django.db.models.deletion.PROTECT)),
        migrations.AddField(model_name="subscriber", name="council", field=council(null=True)),
        migrations.RunPython(to_the_council, migrations.RunPython.noop),
        migrations.AlterField(model_name="subscriber", name="council", field=council(null=False)),
    ]
