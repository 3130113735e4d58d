"""Payment runs, worked through: scheduled payments for a care home across a price change,
a hospital stay, a death reported late, joint funding and a top-up; re-runs; the file."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caremarket.accounts.roles import Role
from caremarket.packages.services import decide_change, request_change, set_funding
from caremarket.payments import runs, scheduled, terms
from caremarket.payments.models import PaymentLine, PaymentRun

from .conftest import make_package

D = dt.date


@pytest.fixture
def social_worker(make_user, council):
    return make_user(Role.SOCIAL_WORKER, council, username="sw@council.test")


@pytest.fixture
def package(citizen, care_home, broker):
    return make_package(citizen, care_home, broker)


def approved(package, requester, approver, **values):
    change = request_change(package, requester, reason="Reviewed at home visit", **values)
    return decide_change(change, approver, approve=True)


def lines_of(run):
    return [(line.kind, line.first_day, line.last_day, line.amount_pence)
            for line in run.lines.order_by("first_day", "amount_pence")]


def test_a_period_pays_each_day_once_and_a_redraft_changes_nothing(calendar, package, finance):
    run = runs.run_period(calendar[7], finance)
    assert lines_of(run) == [("scheduled", D(2026, 9, 16), D(2026, 10, 13), 330000)]  # 4 weeks at £825
    assert run.status == PaymentRun.Status.DRAFT
    first_ids = list(run.lines.values_list("pk", flat=True))
    again = runs.run_period(calendar[7], finance)
    assert lines_of(again) == lines_of(run) and again.lines.count() == len(first_ids)
    runs.post_run(run, finance)
    with pytest.raises(runs.RunRefused, match="posted"):
        runs.run_period(calendar[7], finance)
    assert lines_of(runs.run_period(calendar[8], finance)) == [
        ("scheduled", D(2026, 10, 14), D(2026, 11, 10), 330000)]


def test_a_price_change_mid_week_splits_the_payment_at_that_day(calendar, package, finance, social_worker, broker):
    approved(package, social_worker, broker, kind="price", effective_from=D(2026, 10, 21), weekly_price_pence=87000)
    assert lines_of(runs.run_period(calendar[8], finance)) == [
        ("scheduled", D(2026, 10, 14), D(2026, 10, 20), 82500),   # 7 days at £825 a week
        ("scheduled", D(2026, 10, 21), D(2026, 11, 10), 261000),  # 21 days at £870 a week
    ]


def test_a_hospital_stay_is_not_paid(calendar, package, finance, social_worker, broker):
    approved(package, social_worker, broker, kind="suspension", effective_from=D(2026, 10, 20),
             effective_to=D(2026, 10, 26))
    assert lines_of(runs.run_period(calendar[8], finance)) == [
        ("scheduled", D(2026, 10, 14), D(2026, 10, 19), 70714),   # 6 days: £825 × 6 ÷ 7 = £707.142…
        ("scheduled", D(2026, 10, 27), D(2026, 11, 10), 176786),  # 15 days: £1,767.857…
    ]


def test_a_death_reported_after_payment_becomes_a_recovery_in_the_next_run(
        calendar, package, finance, social_worker, broker):
    runs.post_run(runs.run_period(calendar[7], finance), finance)
    approved(package, social_worker, broker, kind="end", effective_from=D(2026, 10, 1), end_cause="death")
    package.refresh_from_db()
    assert (package.end_on, package.status) == (D(2026, 10, 1), "ended")
    run = runs.run_period(calendar[8], finance)
    # Nothing for period 8; the 12 days after the death that period 7 paid are recovered.
    assert lines_of(run) == [("recovery", D(2026, 10, 2), D(2026, 10, 13), -141429)]
    runs.post_run(run, finance)
    assert lines_of(runs.run_period(calendar[9], finance)) == []


def test_a_backdated_price_is_adjusted_in_the_next_run(calendar, package, finance, social_worker, broker):
    runs.post_run(runs.run_period(calendar[7], finance), finance)
    approved(package, social_worker, broker, kind="price", effective_from=D(2026, 10, 1), weekly_price_pence=87000)
    assert lines_of(runs.run_period(calendar[8], finance)) == [
        ("adjustment", D(2026, 10, 1), D(2026, 10, 13), 8357),  # 13 days: £1,615.71 due less £1,532.14 paid
        ("scheduled", D(2026, 10, 14), D(2026, 11, 10), 348000),
    ]


def test_a_package_recorded_late_is_paid_its_arrears(calendar, citizen, care_home, finance, broker):
    runs.post_run(runs.run_period(calendar[7], finance), finance)
    make_package(citizen, care_home, broker, start_on=D(2026, 10, 7))  # recorded after period 7 was paid
    assert lines_of(runs.run_period(calendar[8], finance)) == [
        ("arrears", D(2026, 10, 7), D(2026, 10, 13), 82500),
        ("scheduled", D(2026, 10, 14), D(2026, 11, 10), 330000),
    ]


def test_joint_funding_a_contribution_and_a_top_up_share_each_line_exactly(calendar, citizen, care_home, finance,
                                                                         broker):
    package = make_package(citizen, care_home, broker, top_up_pence=5000, top_up_payer="The citizen's daughter")
    set_funding(package, finance, nhs_percent=Decimal(50), nhs_funder="NHS Birmingham and Solihull",
                        client_contribution_pence=20000)
    line = runs.run_period(calendar[8], finance).lines.get()
    # £875 a week for 4 weeks: the NHS pays half the £825 price, the citizen £200, the daughter £50.
    assert (line.amount_pence, line.council_pence, line.nhs_pence, line.client_pence, line.top_up_pence) == (
        350000, 85000, 165000, 80000, 20000)


def test_a_run_that_fails_midway_stores_nothing_and_says_so(calendar, package, citizen, care_home, broker, finance,
                                                            monkeypatch):
    make_package(citizen, care_home, broker)
    good = runs.run_period(calendar[8], finance)
    before = lines_of(good)
    calls = []

    def breaks_on_the_second(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return scheduled.period_lines(*args, **kwargs)

    monkeypatch.setattr(runs.scheduled, "period_lines", breaks_on_the_second)
    with pytest.raises(RuntimeError):
        runs.run_period(calendar[8], finance)
    run = PaymentRun.objects.get(period=calendar[8])
    assert run.status == "failed" and "disk full" in run.failure
    assert lines_of(run) == before  # the earlier draft is untouched
    with pytest.raises(runs.RunRefused):
        runs.post_run(run, finance)


def test_the_payment_file_adds_up_to_the_run(calendar, package, citizen, care_home, broker, finance):
    other = make_package(citizen, care_home, broker, weekly_price_pence=94000, start_on=D(2026, 10, 20))
    set_funding(other, finance, nhs_percent=Decimal("33.33"), nhs_funder="NHS Birmingham and Solihull")
    run = runs.run_period(calendar[8], finance)
    rows = list(csv.DictReader(io.StringIO(runs.payment_file_text(run))))
    assert len(rows) == run.lines.count() == 2
    assert rows[0]["run"] == "2026/27-P08" and rows[0]["payment_date"] == "2026-11-17"
    total = sum(Decimal(r["amount"]) for r in rows)
    assert total * 100 == runs.totals(run).amount_pence
    for row in rows:
        assert Decimal(row["amount"]) == sum(Decimal(row[c]) for c in
                                             ("council_share", "nhs_share", "client_share", "top_up_share"))
    assert PaymentLine.objects.filter(run=run).count() == 2


KINDS = st.sampled_from(["price", "suspension", "end"])


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(events=st.lists(st.tuples(st.sampled_from([7, 8, 9, 10]), KINDS, st.integers(0, 100), st.integers(0, 13),
                                 st.integers(40000, 120000)), max_size=5))
def test_whatever_changes_between_runs_each_day_ends_up_paid_once_at_its_price(
        calendar, citizen, care_home, broker, finance, social_worker, events):
    first, last = calendar[7].start_date, calendar[10].end_date
    with transaction.atomic():
        package = make_package(citizen, care_home, broker)
        for number in (7, 8, 9, 10):
            for decided_before, kind, offset, length, price in events:
                if decided_before != number:
                    continue
                start = first + dt.timedelta(days=offset)
                try:
                    approved(package, social_worker, broker, kind=kind, effective_from=start,
                             effective_to=start + dt.timedelta(days=length), weekly_price_pence=price,
                             end_cause="death")
                except ValidationError:
                    continue  # e.g. a change after the package ended
                package.refresh_from_db()
            runs.post_run(runs.run_period(calendar[number], finance), finance)
        posted = PaymentLine.objects.filter(package=package).order_by("run__period__start_date", "pk")
        paid = runs.paid_by_day(posted).get(package.pk, {})
        rules_view = terms.as_scheduled(package, package.changes.filter(status="approved"))
        assert paid == scheduled.due_by_day(rules_view, first, last)
        transaction.set_rollback(True)


def test_a_past_period_says_it_was_paid_outside_before_the_first_run_and_is_overdue_after():
    from caremarket.periods.models import PaymentPeriod

    def period(number, start):
        return PaymentPeriod(number=number, start_date=start, end_date=start + dt.timedelta(days=27),
                             payment_date=start + dt.timedelta(days=34))

    may, june, july = period(2, dt.date(2026, 4, 29)), period(3, dt.date(2026, 5, 27)), period(4, dt.date(2026, 6, 24))
    go_live, today = june.start_date, dt.date(2026, 8, 20)
    posted = PaymentRun(status=PaymentRun.Status.POSTED)
    assert runs.period_standing(may, None, go_live, today).says == "Paid outside Caremarket"
    assert runs.period_standing(june, posted, go_live, today).says == "Paid on 30 June 2026"
    late = runs.period_standing(july, None, go_live, today)
    assert late.overdue and "has passed" in late.says
    assert runs.period_standing(july, None, go_live, dt.date(2026, 7, 20)).says == "Due to be paid on 28 July 2026"
    assert runs.period_standing(may, None, None, today).paid_outside  # nothing run here yet: all before it
