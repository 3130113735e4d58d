"""The published 2026/27 fee schedule (illustrative figures in the shape of the 2018 strategy):
fixed fees for home support, supported living and over-65s care homes; enhancements for
Quick Discharge and Sensory Loss; guide prices by level of need where providers price open
book; minimum rates for historic packages; NHS-funded nursing care; the direct payment
agency rate; and a published uplift for Gold-rated providers."""

import datetime as dt

from django.db import migrations

RATES = [
    # service type, kind, age band, need level, unit, pence
    ("home-support", "fixed", "all", "", "hour", 2250),
    ("approved-premises", "fixed", "all", "", "hour", 2250),
    ("quick-discharge", "enhancement", "all", "", "hour", 200),
    ("sensory-loss", "enhancement", "all", "", "hour", 150),
    ("supported-living", "fixed", "all", "", "hour", 2000),
    ("residential-care", "fixed", "65+", "", "week", 82500),
    ("nursing-care", "fixed", "65+", "", "week", 94000),
    ("nursing-care", "fnc", "all", "", "week", 25406),
    ("residential-care", "guide", "18-64", "standard", "week", 90000),
    ("residential-care", "guide", "18-64", "high", "week", 120000),
    ("residential-care", "guide", "18-64", "complex", "week", 160000),
    ("nursing-care", "guide", "18-64", "standard", "week", 105000),
    ("nursing-care", "guide", "18-64", "high", "week", 135000),
    ("acquired-brain-injury", "guide", "all", "standard", "week", 140000),
    ("acquired-brain-injury", "guide", "all", "high", "week", 180000),
    ("residential-care", "minimum", "18-64", "", "week", 65000),
    ("nursing-care", "minimum", "18-64", "", "week", 75000),
    ("home-support", "direct_payment", "all", "", "hour", 2100),
]
GOLD_UPLIFT_PERCENT = "2.00"

METHOD = ("Fixed fees for home support, supported living and care homes for over-65s; enhancements for "
          "Quick Discharge and Sensory Loss; guide prices by level of need where providers price open book. "
          "Set from the KPMG open-book analysis, current prices, regional comparison and consultation. "
          "Gold-rated providers receive a 2% uplift on fixed fees.")


def load(apps, schema_editor):
    FeeSchedule = apps.get_model("fees", "FeeSchedule")
    FeeRate = apps.get_model("fees", "FeeRate")
    QualityUplift = apps.get_model("fees", "QualityUplift")
    ServiceType = apps.get_model("reference", "ServiceType")
    schedule, created = FeeSchedule.objects.get_or_create(
        start_year=2026, defaults={"method": METHOD,
                                   "published_at": dt.datetime(2026, 2, 27, 12, 0, tzinfo=dt.timezone.utc)})
    if not created:
        return
    for code, kind, band, level, unit, pence in RATES:
        FeeRate.objects.create(schedule=schedule, service_type=ServiceType.objects.get(code=code), kind=kind,
                               age_band=band, need_level=level, unit=unit, amount_pence=pence,
                               effective_from=dt.date(2026, 4, 1))
    QualityUplift.objects.create(schedule=schedule, rating=4, percent=GOLD_UPLIFT_PERCENT)


class Migration(migrations.Migration):
    dependencies = [("fees", "0001_initial"), ("reference", "0002_service_types_and_need_groups")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
