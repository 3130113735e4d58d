"""KPI figures from a generated register, against counts made here, independently, in Python."""

import datetime as dt
import random
from decimal import Decimal

import pytest

from caremarket.core.bulk import create_all
from caremarket.outcomes import kpis
from caremarket.outcomes.carers import age_on
from caremarket.outcomes.models import Carer, CarerActivity


def generated(consortium, seed: int):
    rng = random.Random(seed)
    members = [consortium["north"], consortium["south"]]
    user = consortium["north_user"]
    carers = []
    for i in range(300):
        registered = dt.date(2026, 3, 1) + dt.timedelta(days=rng.randrange(400))
        born = dt.date(2026, 6, 30) - dt.timedelta(days=rng.choice([rng.randrange(365 * 17, 365 * 19),
                                                                    rng.randrange(365 * 19, 365 * 90)]))
        carers.append(Carer(
            reference=f"G{i:06d}", consortium=consortium["group"], registered_by=rng.choice(members),
            registered_on=registered, given_name=f"Given{i}", family_name="Family", born_on=born, postcode="B1 1AA",
            cared_for="Parent", hours_a_week=Decimal(rng.choice([10, 35, 50, "50.5", 60, 100])),
            lives_alone_with_cared_for=rng.random() < 0.4, has_own_health_problems=rng.random() < 0.3,
            cared_for_will_not_cooperate=rng.random() < 0.2, emergency_response=rng.random() < 0.25,
            assessed_on=registered + dt.timedelta(days=rng.randrange(60)) if rng.random() < 0.7 else None,
            left_on=registered + dt.timedelta(days=rng.randrange(1, 200)) if rng.random() < 0.15 else None))
    create_all(Carer, carers)
    carers = list(Carer.objects.order_by("pk"))
    for merged in rng.sample(carers, 10):  # merged duplicates do not count
        Carer.objects.filter(pk=merged.pk).update(merged_into=rng.choice([c for c in carers if c != merged]))
    activity = []
    for _ in range(400):
        kind = rng.choice(CarerActivity.Kind.values)
        activity.append(CarerActivity(
            member=rng.choice(members), kind=kind, happened_on=dt.date(2026, 3, 1) + dt.timedelta(days=rng.randrange(400)),
            carer=rng.choice(carers) if kind in CarerActivity.FOR_A_CARER else None,
            name="" if kind in CarerActivity.FOR_A_CARER else rng.choice(["Alpha", "Beta", "Gamma", "Delta"]),
            attending=rng.randrange(1, 12) if kind == "group" else 0, recorded_by=user))
    CarerActivity.objects.bulk_create(activity)
    return list(Carer.objects.all()), list(CarerActivity.objects.all())


def counted_here(carers, activity, period, member_ids):
    """The Box 5 definitions, written out again, plainly."""
    end = period.end
    on = [c for c in carers if c.registered_by_id in member_ids and c.registered_on <= end and c.merged_into_id is None
          and (c.left_on is None or c.left_on > end)]
    assessed = [c for c in on if c.assessed_on and c.assessed_on <= end]
    heavy = [c for c in on if c.hours_a_week > 50]
    done = [a for a in activity if a.member_id in member_ids]
    within = [a for a in done if period.start <= a.happened_on <= end]
    return {
        "1": len(assessed), "1a": sum(1 for c in assessed if age_on(c.born_on, end) < 18), "2": len(heavy),
        "3": sum(c.lives_alone_with_cared_for for c in heavy), "4": sum(c.has_own_health_problems for c in heavy),
        "5": sum(c.cared_for_will_not_cooperate for c in heavy), "7": sum(c.emergency_response for c in on),
        "8": sum(a.kind == "emergency" for a in within), "9": sum(a.kind == "planned" for a in within),
        "10": len({a.name for a in within if a.kind == "network"}),
        "11": len({a.name for a in done if a.kind == "gp_champion" and a.happened_on <= end}),
    }


@pytest.mark.parametrize("seed", [1, 2])
def test_kpi_figures_match_counts_made_independently(consortium, seed):
    carers, activity = generated(consortium, seed)
    members = [consortium["north"].pk, consortium["south"].pk]
    periods = kpis.year_periods(2026)
    for period in periods["month"] + periods["quarter"] + periods["year"]:
        found = kpis.figures(period, members)
        for code in kpis.BY_CODE:
            assert found[code]["all"] == counted_here(carers, activity, period, members)[code], (period, code)
            for member in members:
                assert found[code][member] == counted_here(carers, activity, period, [member])[code], (period, code)


def test_the_drill_down_lists_exactly_the_records_a_figure_counts(consortium):
    generated(consortium, 3)
    members = [consortium["north"].pk, consortium["south"].pk]
    quarter = kpis.year_periods(2026)["quarter"][1]
    found = kpis.figures(quarter, members)
    for kpi in kpis.KPIS:
        records = kpi.records(quarter, members)
        count = records.values(kpi.distinct).distinct().count() if kpi.distinct else records.count()
        assert count == found[kpi.code]["all"], kpi.code


def test_a_young_carer_is_one_who_is_under_18_at_the_periods_end():
    assert kpis.eighteen_years_before(dt.date(2026, 6, 30)) == dt.date(2008, 6, 30)
    assert kpis.eighteen_years_before(dt.date(2028, 2, 29)) == dt.date(2010, 2, 28)
    assert age_on(dt.date(2010, 2, 28), dt.date(2028, 2, 29)) == 18
    assert age_on(dt.date(2010, 3, 1), dt.date(2028, 2, 29)) == 17


def test_a_financial_year_has_twelve_months_and_four_quarters_from_april():
    periods = kpis.year_periods(2026)
    assert [p.label for p in periods["quarter"]] == ["Quarter 1", "Quarter 2", "Quarter 3", "Quarter 4"]
    assert periods["month"][0].start == dt.date(2026, 4, 1) and periods["month"][-1].end == dt.date(2027, 3, 31)
    assert periods["month"][10].end == dt.date(2027, 2, 28)
    assert periods["year"][0].label == "2026/27"
