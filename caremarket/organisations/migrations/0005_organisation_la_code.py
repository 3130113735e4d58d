"""A council's own local authority code for national returns; an install's council takes the
code it was set up with (CAREMARKET_COUNCIL_LA_CODE)."""

from django.conf import settings
from django.db import migrations, models


def the_installs_code(apps, schema_editor):
    councils = apps.get_model("organisations", "Organisation").objects.filter(kind="council")
    if councils.count() == 1:
        councils.update(la_code=settings.COUNCIL_LA_CODE)


class Migration(migrations.Migration):
    dependencies = [("organisations", "0004_organisation_supplier_number")]

    operations = [
        migrations.AddField(
            model_name="organisation", name="la_code",
            field=models.CharField(blank=True, max_length=3, verbose_name="Local authority code",
                                   help_text="A council's three-digit code in national returns (Birmingham's is 330)")),
        migrations.RunPython(the_installs_code, migrations.RunPython.noop),
    ]
