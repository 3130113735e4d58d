"""Contract management is each council's: its log of contact with providers, its reviews and
actions, its review policy and performance targets, and the cost-of-care returns providers
send it. An install from before makes every row its council's, in place; a new install's
policy and default targets wait for its first council to adopt them."""

from django.db import migrations, models

from caremarket.organisations.councils import council_column, installed_council

OWNED = ("contactentry", "contractreview", "action", "costofcarereturn")  # made by a council's work
LOADED = ("reviewpolicy", "performancetarget")  # loaded with a new install


def to_the_council(apps, schema_editor):
    council = installed_council(apps, make=any(
        apps.get_model("management", model).objects.exists() for model in OWNED))
    if council is None:
        return
    for model in OWNED + LOADED:
        apps.get_model("management", model).objects.filter(council__isnull=True).update(council=council)


class Migration(migrations.Migration):
    dependencies = [("management", "0005_cost_of_care_returns"), ("organisations", "0006_a_councils_own_settings")]

    operations = [
        *[migrations.AddField(model_name=model, name="council", field=council_column(null=True)) for model in OWNED + LOADED],
        migrations.RunPython(to_the_council, migrations.RunPython.noop),
        *[migrations.AlterField(model_name=model, name="council", field=council_column(null=False)) for model in OWNED],
        migrations.RemoveConstraint(model_name="contractreview", name="one_review_a_provider_a_quarter"),
        migrations.AddConstraint(model_name="contractreview", constraint=models.UniqueConstraint(
            fields=["council", "organisation", "start_year", "quarter"], name="one_review_a_provider_a_quarter")),
        migrations.RemoveConstraint(model_name="performancetarget", name="one_target_a_provider_a_measure"),
        migrations.RemoveConstraint(model_name="performancetarget", name="one_default_target_a_measure"),
        migrations.AddConstraint(model_name="performancetarget", constraint=models.UniqueConstraint(
            fields=["council", "organisation", "measure"], name="one_target_a_provider_a_measure")),
        migrations.AddConstraint(model_name="performancetarget", constraint=models.UniqueConstraint(
            condition=models.Q(organisation__isnull=True), fields=["council", "measure"],
            name="one_default_target_a_measure")),
        migrations.AddConstraint(model_name="reviewpolicy", constraint=models.UniqueConstraint(
            fields=["council"], name="one_review_policy_a_council")),
        migrations.RemoveIndex(model_name="contactentry", name="management__organis_b16811_idx"),
        migrations.AddIndex(model_name="contactentry", index=models.Index(
            fields=["council", "organisation", "happened_on"], name="contact_by_provider")),
        migrations.RemoveConstraint(model_name="costofcarereturn", name="one_return_a_service_a_year"),
        migrations.AddConstraint(model_name="costofcarereturn", constraint=models.UniqueConstraint(
            fields=["council", "organisation", "service_type", "start_year"], name="one_return_a_service_a_year")),
    ]
