"""The visit rule done in the database (payments.visit_sql) against its definition in Python
(payments.ingest.row_problems for what a row must be, payments.visits.price_visit for what it
is paid): on every generated file, the same rows are refused, and every stored visit has the
same times, minutes, carers, pence and query as the Python gives it.

Period 8 of 2026/27 runs from 14 October to 10 November, across the night the clocks go back."""

import datetime as dt

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caremarket.core import cleaning, clock
from caremarket.packages.models import PackageChange
from caremarket.payments import ingest, visit_sql, visits
from caremarket.payments.models import Visit, VisitRule

PERIOD_START = dt.datetime(2026, 10, 14)
PERIOD_MINUTES = 28 * 24 * 60
UNKNOWN = "CP-999999"
CLOCKS_GO_BACK = dt.datetime(2026, 10, 25, 1, 0)


def _written(moment: dt.datetime, style: str) -> str:
    return {"plain": f"{moment:%Y-%m-%d %H:%M}", "T": f"{moment:%Y-%m-%dT%H:%M}",
            "seconds": f"{moment:%Y-%m-%d %H:%M:%S}", "padded": f"  {moment:%Y-%m-%d %H:%M} ",
            "british": f"{moment:%d/%m/%Y %H:%M}"}[style]


def mostly(good, odd):
    """``good`` nine times in ten: most rows of a real file are right."""
    return st.integers(0, 9).flatmap(lambda k: odd if k == 0 else good)


STYLES = mostly(st.sampled_from(["plain", "T", "padded"]), st.sampled_from(["seconds", "british"]))
ODD_MOMENTS = st.sampled_from(["", "2026-02-30 10:00", "2026-10-14 24:00", "2026-10-14 08:60", "0000-10-14 08:00",
                               "2026-13-01 08:00", "2026-10-14", "soon", "2026-10-14 8:00", "2026-10-14 08:00+01:00",
                               "２026-10-14 08:00", "2028-02-29 08:00", "2027-02-29 08:00"])


@st.composite
def visit_rows(draw, packages):
    rows = []
    for _ in range(draw(st.integers(1, 12))):
        near_the_change = draw(st.booleans())
        start = ((CLOCKS_GO_BACK if near_the_change else PERIOD_START)
                 + dt.timedelta(minutes=draw(st.integers(-3 * 60, 3 * 60) if near_the_change
                                             else st.integers(-2 * 1440, PERIOD_MINUTES + 2 * 1440))))
        planned = start + dt.timedelta(minutes=draw(mostly(st.sampled_from([30, 45, 60, 1440]) | st.integers(1, 200),
                                                           st.sampled_from([0, -15, 1441]))))
        checked_in = start + dt.timedelta(minutes=draw(mostly(st.integers(-30, 30), st.sampled_from([-1441, 1441]))))
        length = (planned - start) + dt.timedelta(minutes=draw(st.integers(-20, 20)))
        checked_out = checked_in + draw(mostly(st.just(length), st.integers(-5, 240).map(
            lambda m: dt.timedelta(minutes=m))))
        missed = draw(st.sampled_from(["no"] * 7 + ["both", "check-in", "check-out"]))
        rows.append({
            "visit_id": draw(mostly(st.sampled_from(["V1", "V2", "V3", "V4", "V5", "V6", " V7 ", "Ⅴ8", "V\xa09"]),
                                    st.sampled_from(["EARLIER", "", "V\x07", "V\u202e", "V" * 61]))),
            "package": draw(mostly(st.sampled_from(packages), st.sampled_from([UNKNOWN, f" {packages[0]} ", ""]))),
            "planned_start": draw(mostly(STYLES.map(lambda s: _written(start, s)), ODD_MOMENTS)),
            "planned_end": draw(mostly(STYLES.map(lambda s: _written(planned, s)), ODD_MOMENTS)),
            "actual_start": "" if missed in ("both", "check-in") else draw(
                mostly(STYLES.map(lambda s: _written(checked_in, s)), ODD_MOMENTS)),
            "actual_end": "" if missed in ("both", "check-out") else draw(
                mostly(STYLES.map(lambda s: _written(checked_out, s)), ODD_MOMENTS)),
            "carers": draw(mostly(st.sampled_from(["1", "2", "3", "4", " 2 "]),
                                  st.sampled_from(["5", "0", "01", "two", "", "٣"]))),
        })
    return rows


RULES = st.fixed_dictionaries(dict(pay_on=st.sampled_from(["planned", "actual"]), tolerance_minutes=st.integers(0, 15),
                  rounding_minutes=st.sampled_from([0, 1, 5, 15]), rounding=st.sampled_from(["nearest", "up", "down"]),
                  minimum_minutes=st.sampled_from([0, 15, 30])))


def _oracle(rows, context, recorded):
    """What Python says of each row: its problems, with the duplicate and seen checks done here."""
    first, problems = {}, {}
    for number, row in enumerate(rows, start=1):
        visit_id = ingest.cell(row, "visit_id")
        if not any(cleaning.problem(row.get(c) or "") for c in ingest.COLUMNS):
            first.setdefault(visit_id, number)
        problems[number] = ingest.row_problems(number, row, context, seen=visit_id in recorded,
                                               first=first.get(visit_id, number))
    return problems


@pytest.fixture
def double_up(citizen, home_care, broker, hourly_package):
    from decimal import Decimal

    from caremarket.packages.tests.conftest import make_package

    package = make_package(citizen, home_care, broker, service="home-support", weekly_price_pence=47250,
                           hourly_rate_pence=2250, weekly_hours=Decimal("10.5"), reference="CR-000778")
    package.carers_per_visit = 2
    package.save()
    # A new hourly rate from 1 November, and a later change the same day that wins.
    for rate in (2400, 2415):
        PackageChange.objects.create(package=package, kind=PackageChange.Kind.PRICE, status="approved",
                                     effective_from=dt.date(2026, 11, 1), hourly_rate_pence=rate, reason="uplift",
                                     requested_by=broker, requested_at=clock.now())
    return package


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), rule=RULES)
def test_the_database_checks_and_prices_every_row_as_the_python_rule_does(data, rule, calendar, hourly_package,
                                                                          double_up, home_care):
    packages = {p.reference: p for p in (hourly_package, double_up)}
    rows = data.draw(visit_rows(list(packages)))
    period = calendar[8]
    with transaction.atomic():
        VisitRule.objects.filter(service_type_id=hourly_package.requirement.service_type_id).delete()
        rule = VisitRule.objects.create(service_type_id=hourly_package.requirement.service_type_id, **rule)
        ingest.store_visits(home_care, period, [{**rows[0], "visit_id": "EARLIER", "carers": "1",
                                                 "package": hourly_package.reference,
                                                 "planned_start": "2026-10-14 08:00", "planned_end": "2026-10-14 08:30",
                                                 "actual_start": "", "actual_end": ""}],
                            home_care.people.first(), keep_valid_rows=True, source="api")
        upload = ingest.store_visits(home_care, period, rows, home_care.people.first(), keep_valid_rows=True,
                                     source="api")
        context = ingest.RowContext(packages={p.reference: p for p in packages.values()}, period=period)
        problems = _oracle(rows, context, recorded={"EARLIER"})
        refused = {e["row"] for e in upload.errors}
        assert refused == {n for n, found in problems.items() if found}
        assert upload.error_count == sum(len(found) for found in problems.values())
        stored = {v.visit_id: v for v in Visit.objects.filter(upload=upload).select_related("package")}
        assert len(stored) == len(rows) - len(refused)
        python_rule = ingest.rule_for(rule.service_type_id, {rule.service_type_id: rule})
        for number, row in enumerate(rows, start=1):
            if problems[number]:
                continue
            visit = stored[ingest.cell(row, "visit_id")]
            times = [ingest.read_moment(ingest.cell(row, c)) if ingest.cell(row, c) else None
                     for c in ("planned_start", "planned_end", "actual_start", "actual_end")]
            package = packages[ingest.cell(row, "package")]
            priced = visits.price_visit(visits.Visit(*times, int(row["carers"])), python_rule,
                                        ingest.hourly_rate_on(package, times[0].date()), package.carers_per_visit)
            assert (visit.paid_minutes, visit.carers_paid, visit.amount_pence, visit.query) == (
                priced.paid_minutes, priced.carers_paid, priced.amount_pence, priced.query), row
            assert [visit.planned_start, visit.planned_end, visit.actual_start, visit.actual_end] == [
                # In UTC: an hour the clocks go back through never equals another zone's time (PEP 495).
                m.replace(tzinfo=clock.LONDON).astimezone(dt.timezone.utc) if m else None for m in times], row
        transaction.set_rollback(True)


def test_summer_time_begins_and_ends_as_zoneinfo_says_for_a_century():
    utc = dt.timezone.utc
    for year in range(2000, 2100):
        (start, end), = visit_sql.summer_time([year])
        for wall in (start - 1, start, end - 1, end):
            moment = dt.datetime(1970, 1, 1) + dt.timedelta(minutes=wall)
            taken_off = moment.replace(tzinfo=clock.LONDON).astimezone(utc).replace(tzinfo=None) - moment
            assert taken_off == dt.timedelta(hours=-1 if start <= wall < end else 0), moment
