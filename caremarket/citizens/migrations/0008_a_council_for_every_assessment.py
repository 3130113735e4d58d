import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("citizens", "0007_assessments_belong_to_a_council")]

    operations = [
        migrations.AlterField(
            model_name="assessment", name="council",
            field=models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                    limit_choices_to={"kind": "council"}, to="organisations.organisation")),
        migrations.AlterField(
            model_name="assessment", name="source_id",
            field=models.CharField(blank=True, help_text="Set when the assessment came from the client record system",
                                   max_length=40, null=True, verbose_name="Client record system's id")),
        migrations.AddConstraint(
            model_name="assessment",
            constraint=models.UniqueConstraint(fields=("council", "source_id"), name="one_assessment_per_source_id")),
    ]
