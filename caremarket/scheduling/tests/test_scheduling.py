import datetime as dt

import pytest
from django_tasks_db.models import DBTaskResult
from hypothesis import given
from hypothesis import strategies as st

from caremarket.core import clock
from caremarket.core.clock import LONDON
from caremarket.periods.models import FinancialYear
from caremarket.periods.tasks import draft_next_payment_calendar
from caremarket.scheduling.dispatch import dispatch_due_jobs
from caremarket.scheduling.models import ScheduledJob
from caremarket.scheduling.timetable import EPOCH, next_run_after

moments = st.datetimes(min_value=dt.datetime(2020, 1, 1), max_value=dt.datetime(2040, 1, 1),
                       timezones=st.just(dt.timezone.utc))


@given(moments, st.integers(min_value=1, max_value=24 * 60))
def test_an_interval_job_runs_next_within_one_interval_on_a_shared_grid(moment, minutes):
    following = next_run_after(moment, every_minutes=minutes)
    assert moment < following <= moment + dt.timedelta(minutes=minutes)
    assert (following - EPOCH) % dt.timedelta(minutes=minutes) == dt.timedelta(0)


# 01:00-01:59 is missing from the UK's spring-forward day; those runs are tested below.
outside_the_missing_hour = st.times().filter(lambda t: t.hour != 1)


@given(moments, outside_the_missing_hour)
def test_a_daily_job_runs_at_its_uk_time_within_a_day(moment, at):
    following = next_run_after(moment, daily_at=at)
    assert moment < following <= moment + dt.timedelta(days=1, hours=1)
    assert following.astimezone(LONDON).time() == at


def test_a_daily_job_keeps_uk_time_across_the_clock_changes():
    spring = dt.datetime(2027, 3, 27, 12, 0, tzinfo=LONDON)  # 01:00 GMT on 28 March 2027 becomes 02:00 BST
    runs = [next_run_after(spring, daily_at=dt.time(1, 30))]
    runs.append(next_run_after(runs[0], daily_at=dt.time(1, 30)))
    assert [r.astimezone(LONDON).strftime("%d %H:%M %Z") for r in runs] == ["28 02:30 BST", "29 01:30 BST"]
    autumn = dt.datetime(2027, 10, 30, 12, 0, tzinfo=LONDON)  # 02:00 BST on 31 October becomes 01:00 GMT
    run = next_run_after(autumn, daily_at=dt.time(2, 0))
    assert run.astimezone(LONDON).strftime("%d %H:%M %Z") == "31 02:00 GMT"


def test_a_job_needs_exactly_one_timetable():
    with pytest.raises(ValueError):
        next_run_after(dt.datetime(2027, 1, 1, tzinfo=LONDON))


def test_due_jobs_are_enqueued_once_without_anyone_pressing_a_button(db):
    with clock.frozen(dt.datetime(2027, 1, 10, 6, 30, tzinfo=LONDON)):
        enqueued = dispatch_due_jobs()
        every_job = set(ScheduledJob.objects.values_list("name", flat=True))
        assert set(enqueued) == every_job and {"draft-next-payment-calendar", "verify-audit-trail"} <= every_job
        assert dispatch_due_jobs() == []  # nothing is due twice
        assert DBTaskResult.objects.count() == len(every_job)
        job = ScheduledJob.objects.get(name="verify-audit-trail")
        assert job.next_run_at == dt.datetime(2027, 1, 11, 2, 0, tzinfo=LONDON)
        clock.advance(dt.timedelta(days=1))
        assert set(dispatch_due_jobs()) == every_job


def test_disabled_jobs_are_not_enqueued(db):
    ScheduledJob.objects.update(enabled=False)
    with clock.frozen(dt.datetime(2027, 1, 10, 6, 30, tzinfo=LONDON)):
        assert dispatch_due_jobs() == []


# The worker closes its database connection between tasks, as a real worker process does.
def test_the_worker_runs_an_enqueued_job(committed_db, council):
    from django.core.management import call_command

    with clock.frozen(dt.datetime(2027, 1, 10, 6, 30, tzinfo=LONDON)):
        dispatch_due_jobs()
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    assert FinancialYear.objects.get(start_year=2027).periods.count() == 13


@pytest.mark.parametrize("today, outcome", [
    (dt.date(2026, 11, 23), "not yet"), (dt.date(2027, 1, 5), "drafted"), (dt.date(2027, 3, 31), "drafted"),
])
def test_next_years_calendar_is_drafted_from_january(council, today, outcome):
    with clock.frozen(dt.datetime.combine(today, dt.time(6), tzinfo=LONDON)):
        assert draft_next_payment_calendar.call() == outcome
        if outcome == "drafted":
            assert draft_next_payment_calendar.call() == "already drafted"
