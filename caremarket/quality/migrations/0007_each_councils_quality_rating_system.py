"""Each council runs its own quality rating system: its ratings, its own inspections, the
statements and feedback given to it, its improvement plans and the inspections it calls for.
The CQC's and the NHS's inspections stay national (no council). An install from before ran one
council's system: filled in place."""

from django.db import migrations, models

from caremarket.organisations.councils import council_column, installed_council

COUNCILS = ["qualityrating", "improvementplan", "pqassubmission", "customerfeedback", "focussedinspectionrequest"]


def to_the_council(apps, schema_editor):
    models_ = [apps.get_model("quality", name) for name in COUNCILS]
    Inspection = apps.get_model("quality", "Inspection")
    councils_own = Inspection.objects.filter(source="council")
    council = installed_council(apps, make=any(m.objects.exists() for m in models_) or councils_own.exists())
    if council is None:
        return
    for model in models_:
        model.objects.filter(council__isnull=True).update(council=council)
    councils_own.update(council=council)


class Migration(migrations.Migration):
    dependencies = [("quality", "0006_inspection_assessor"),
                    ("organisations", "0007_account_managers_are_each_councils")]

    operations = [
        migrations.RemoveConstraint(model_name="inspection", name="one_record_per_inspection"),
        migrations.RemoveConstraint(model_name="qualityrating", name="one_current_rating_per_service"),
        *[migrations.AddField(model_name=name, name="council", field=council_column(null=True)) for name in COUNCILS],
        migrations.AddField(model_name="inspection", name="council", field=models.ForeignKey(
            "organisations.Organisation", null=True, blank=True, editable=False, on_delete=models.PROTECT,
            related_name="+", limit_choices_to={"kind": "council"})),
        migrations.RunPython(to_the_council, migrations.RunPython.noop),
        *[migrations.AlterField(model_name=name, name="council", field=council_column(null=False))
          for name in COUNCILS],
        migrations.AddConstraint(model_name="inspection", constraint=models.UniqueConstraint(
            fields=["location", "source", "kind", "inspected_on", "outcome"],
            condition=models.Q(council__isnull=True), name="one_record_per_inspection")),
        migrations.AddConstraint(model_name="inspection", constraint=models.UniqueConstraint(
            fields=["council", "location", "source", "kind", "inspected_on", "outcome"],
            condition=models.Q(council__isnull=False), name="one_record_per_council_inspection")),
        migrations.AddConstraint(model_name="qualityrating", constraint=models.UniqueConstraint(
            fields=["council", "location"], condition=models.Q(is_current=True),
            name="one_current_rating_per_service")),
    ]
