"""The moved tables take this app's names, and the content types (which admin history and
permissions point at) follow their models, so nothing that referred to them is orphaned.

Renaming a table keeps its rows and the foreign keys that point at it, on PostgreSQL and on
SQLite alike. Audit events keep the label they were recorded under (the chain signs it);
the models name their former labels (audit_former_labels) so their history still reads whole."""

from django.db import migrations

MOVED = {"carepackage": "tendering", "packagechange": "payments", "packagefunding": "payments"}


def content_types_follow(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model, old_app in MOVED.items():
        if not ContentType.objects.filter(app_label="packages", model=model).exists():
            ContentType.objects.filter(app_label=old_app, model=model).update(app_label="packages")


def content_types_go_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model, old_app in MOVED.items():
        ContentType.objects.filter(app_label="packages", model=model).update(app_label=old_app)


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("packages", "0001_initial"),
        ("payments", "0005_package_changes_and_funding_move_to_packages"),
        ("tendering", "0005_care_package_moves_to_packages"),
    ]

    operations = [
        migrations.AlterModelTable(name="carepackage", table=None),
        migrations.AlterModelTable(name="packagechange", table=None),
        migrations.AlterModelTable(name="packagefunding", table=None),
        migrations.RenameIndex(model_name="packagechange", new_name="package_change_status_idx",
                               old_name="payments_pa_status_273f77_idx"),
        migrations.RunPython(content_types_follow, content_types_go_back),
    ]
