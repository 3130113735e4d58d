import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("periods", "0002_calendars_belong_to_a_council")]

    operations = [
        *(migrations.AlterField(
            model_name=model, name="council",
            field=models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                    limit_choices_to={"kind": "council"}, to="organisations.organisation"))
          for model in ("financialyear", "paymentperiod")),
        migrations.AlterField(model_name="financialyear", name="start_year", field=models.PositiveIntegerField()),
        migrations.AlterField(model_name="paymentperiod", name="start_date", field=models.DateField()),
        migrations.AlterField(model_name="paymentperiod", name="end_date", field=models.DateField()),
        migrations.AddConstraint(model_name="financialyear", constraint=models.UniqueConstraint(
            fields=("council", "start_year"), name="one_calendar_a_year")),
        migrations.AddConstraint(model_name="paymentperiod", constraint=models.UniqueConstraint(
            fields=("council", "start_date"), name="one_period_starts_a_day")),
        migrations.AddConstraint(model_name="paymentperiod", constraint=models.UniqueConstraint(
            fields=("council", "end_date"), name="one_period_ends_a_day")),
    ]
