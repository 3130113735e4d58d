import datetime as dt

import django.db.models.deletion
from django.db import migrations, models

# The five core standards of the 2018 commissioning strategy, with their outcomes.
STANDARDS = [
    {"code": "involvement", "name": "Involvement and information", "outcomes": [
        "Service users understand their choices, are involved in decisions and their privacy, dignity and "
        "independence are respected",
        "Service users give valid consent and their human rights are respected"]},
    {"code": "personalised-care", "name": "Personalised care and support", "outcomes": [
        "Appropriate, effective care that safely meets needs and maximises independence",
        "A choice of nutritious food and drink", "Safe, coordinated care across providers"]},
    {"code": "safeguarding", "name": "Safeguarding and safety", "outcomes": [
        "Protection from abuse", "A clean environment that reduces the risk of infection",
        "Medicines at the right time and in a safe way", "Safe and accessible surroundings",
        "Safe, suitable and comfortable equipment"]},
    {"code": "staffing", "name": "Suitability of staffing", "outcomes": [
        "Staff appropriately recruited with the right qualifications and experience",
        "Sufficient numbers of appropriate staff", "Staff properly supported and trained"]},
    {"code": "management", "name": "Quality of management", "outcomes": [
        "The service is well led and its quality is monitored", "Complaints are listened to and acted on",
        "Records are accurate and kept safely"]},
]


def load(apps, schema_editor):
    apps.get_model("quality", "Toolkit").objects.get_or_create(
        version="2018.1", defaults={"published_on": dt.date(2018, 4, 1), "standards": STANDARDS})


class Migration(migrations.Migration):
    dependencies = [("quality", "0002_trigger_thresholds")]
    operations = [
        migrations.CreateModel(
            name="Toolkit",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("version", models.CharField(max_length=20, unique=True)),
                ("published_on", models.DateField()),
                ("standards", models.JSONField(help_text='[{"code": ..., "name": ..., "outcomes": [...]}, ...]')),
            ],
            options={"ordering": ["-published_on"]},
        ),
        migrations.AddField(
            model_name="inspection", name="toolkit",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                                    to="quality.toolkit"),
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
