"""Birmingham's five home-support areas, its 69 wards and its postcode districts.

Wards and their localities come from ONS (geography/data, Open Government Licence); the locality → area
mapping and postcode districts are the council's own reference data, editable later.
"""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"


def _rows(name):
    with open(DATA / name, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def load(apps, schema_editor):
    Area = apps.get_model("geography", "Area")
    Ward = apps.get_model("geography", "Ward")
    PostcodeDistrict = apps.get_model("geography", "PostcodeDistrict")
    areas = {}
    for row in _rows("areas.csv"):
        areas[row["code"]], _ = Area.objects.update_or_create(
            code=row["code"], defaults={"name": row["name"], "weekly_care_hours": int(row["weekly_care_hours"])}
        )
    for row in _rows("areas.csv"):
        areas[row["code"]].borders.set([areas[code] for code in row["borders"].split()])
    for row in _rows("wards.csv"):
        Ward.objects.update_or_create(
            ons_code=row["ons_code"],
            defaults={"name": row["name"], "locality": row["locality"], "area": areas[row["area"]]},
        )
    for row in _rows("postcode_districts.csv"):
        PostcodeDistrict.objects.update_or_create(code=row["district"], defaults={"area": areas[row["area"]]})


class Migration(migrations.Migration):
    dependencies = [("geography", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
