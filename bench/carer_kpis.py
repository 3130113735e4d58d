"""Benchmark: the consortium's KPIs from a register of 100,000 carers and a year of activity;
prints one JSON line.

A consortium of 21 members and its contract; 100,000 carers registered over the year before
and during it (some left, some merged, some young, some not yet assessed), and a year of
activity (responses, group sessions, support networks, GP practices). The figure is the KPI
page's work for the year: every KPI for every member and for the consortium, by month, by
quarter and for the year (17 periods). Beside it, in the same run, the reference: the bare
engine scanning the same tables as many times, grouping by member with no conditions (the
least each of those queries must read).

    python -m bench.carer_kpis --carers 100000
"""

import argparse
import datetime as dt
import json
import os
import random
import time
from decimal import Decimal

START_YEAR = 2025


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--carers", type=int, default=100_000)
    parser.add_argument("--activity", type=int, default=60_000)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caremarket.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from caremarket.accounts.models import User
    from caremarket.accounts.roles import Role
    from caremarket.core.bulk import create_all
    from caremarket.organisations.models import ConsortiumMembership, Organisation
    from caremarket.outcomes import kpis
    from caremarket.outcomes.models import Carer, CarerActivity

    call_command("migrate", verbosity=0)
    r = random.Random(17)
    group = Organisation.objects.create(kind=Organisation.Kind.CONSORTIUM, name="Bench Carers")
    members = Organisation.objects.bulk_create(
        Organisation(kind=Organisation.Kind.CHARITY, name=f"Member {i}") for i in range(22))
    ConsortiumMembership.objects.bulk_create(ConsortiumMembership(consortium=group, member=m, is_lead=(i == 0),
                                                                  joined_on=dt.date(START_YEAR, 4, 1))
                                             for i, m in enumerate(members))
    user = User.objects.create(username="bench@example.test", role=Role.CONSORTIUM_MEMBER, organisation=members[1])
    first = dt.date(START_YEAR - 1, 4, 1)
    carers = []
    for i in range(args.carers):
        registered = first + dt.timedelta(days=r.randrange(730))
        assessed = registered + dt.timedelta(days=r.randrange(60))
        carers.append(Carer(
            reference=f"B{i:07d}", consortium=group, registered_by=r.choice(members), registered_on=registered,
            given_name="Given", family_name=f"Family{i % 5000}", born_on=registered - dt.timedelta(days=r.randrange(
                365 * 8, 365 * 90)), postcode="B1 1AA", cared_for="Parent",
            hours_a_week=Decimal(r.choice([5, 12, 35, 50, 55, 70, 100])), lives_alone_with_cared_for=r.random() < .35,
            has_own_health_problems=r.random() < .3, cared_for_will_not_cooperate=r.random() < .2,
            emergency_response=r.random() < .25, assessed_on=assessed if r.random() < .85 else None,
            left_on=registered + dt.timedelta(days=r.randrange(30, 400)) if r.random() < .05 else None))
    create_all(Carer, carers)
    year_start = dt.date(START_YEAR, 4, 1)
    activity = []
    for _ in range(args.activity):
        kind = r.choice(["emergency", "planned", "planned", "group", "network", "gp_champion"])
        activity.append(CarerActivity(
            member=r.choice(members), kind=kind, happened_on=year_start + dt.timedelta(days=r.randrange(365)),
            carer=r.choice(carers) if kind in ("emergency", "planned") else None, recorded_by=user,
            name="" if kind in ("emergency", "planned") else f"Group {r.randrange(400)}",
            attending=r.randrange(1, 15) if kind == "group" else 0))
    create_all(CarerActivity, activity)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    member_ids = [m.pk for m in members]
    periods = [p for kind in ("month", "quarter", "year") for p in kpis.year_periods(START_YEAR)[kind]]

    started = time.perf_counter()
    found = [kpis.figures(period, member_ids) for period in periods]
    kpi_seconds = time.perf_counter() - started

    # The reference: as many bare scans of the same tables, grouped by member, no conditions.
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for _ in periods:
            for table, column in (("outcomes_carer", "registered_by_id"), ("outcomes_careractivity", "member_id")):
                for _twice in range(2):  # by member, and for all together
                    cursor.execute(f"SELECT {column}, count(*) FROM {table} GROUP BY {column}")
                    cursor.fetchall()
    bare_seconds = time.perf_counter() - started
    print(json.dumps({"carers": args.carers, "activity": args.activity, "periods": len(periods),
                      "members": len(member_ids), "kpi_seconds": kpi_seconds, "bare_seconds": bare_seconds,
                      "year_kpi_1": found[-1]["1"]["all"]}))


if __name__ == "__main__":
    main()
