"""Posting a payment run: the check page says what will happen and what is unusual, and a
run with warnings is posted only once they are acknowledged (and they are recorded)."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caremarket.audit.models import AuditEvent
from caremarket.core import clock
from caremarket.payments import ingest, posting, runs
from caremarket.payments.models import PaymentRun

D = dt.date
QUIET = posting.RunFacts(period_ends_on=D(2026, 11, 10), today=D(2026, 11, 13), unsettled_queries=0,
                         changes_waiting=0, total_pence=100_000, last_total_pence=100_000, last_label="2026/27-P07")


def test_an_ordinary_run_has_no_warnings():
    assert posting.warnings(QUIET) == []


def test_each_unusual_thing_is_said_in_words():
    from dataclasses import replace

    early = replace(QUIET, today=D(2026, 11, 9), unsettled_queries=1, changes_waiting=3, total_pence=130_000)
    said = posting.warnings(early)
    assert said[0].startswith("The period has not ended: 2 days of care, to 10 November 2026")
    assert said[1].startswith("1 payment query is not settled")
    assert said[2].startswith("3 package changes are waiting for approval")
    assert "30.0% more than the last run (2026/27-P07: £1,000.00)" in said[3]


@given(last=st.integers(1, 10**9), total=st.integers(0, 10**9))
def test_far_means_more_than_a_quarter_either_way(last, total):
    from dataclasses import replace

    far = any("than the last run" in w for w in posting.warnings(replace(QUIET, total_pence=total,
                                                                         last_total_pence=last)))
    exact = abs(Decimal(total - last) * 100 / last)
    assert far == (exact.quantize(Decimal("0.1")) > posting.FAR_PERCENT)


VISITS = [{"visit_id": "Q1", "package": "CP-000777", "planned_start": "2026-10-14 08:00",
           "planned_end": "2026-10-14 08:30", "actual_start": "", "actual_end": "", "carers": "1"}]


@pytest.fixture
def run_with_an_open_query(calendar, hourly_package, home_care, finance):
    with clock.frozen(dt.datetime(2026, 11, 13, 9, 0, tzinfo=clock.LONDON)):
        ingest.store_visits(home_care, calendar[8], VISITS, home_care.people.first(), keep_valid_rows=True)
        return runs.run_period(calendar[8], finance)


def test_a_run_with_an_open_query_is_posted_only_once_the_warning_is_acknowledged(
        run_with_an_open_query, calendar, finance, signed_in):
    client = signed_in(finance)
    address = f"/payments/periods/{calendar[8].pk}/post/"
    with clock.frozen(dt.datetime(2026, 11, 13, 9, 0, tzinfo=clock.LONDON)):
        check = client.get(address).content.decode()
        assert "Check the payment run before you post it" in check
        assert "1 payment query is not settled" in check
        refused = client.post(address, {}).content.decode()
        assert "Tick the box to confirm you have read the warnings" in refused
        assert PaymentRun.objects.get().status == PaymentRun.Status.DRAFT
        client.post(address, {"acknowledge": "on"})
    assert PaymentRun.objects.get().status == PaymentRun.Status.POSTED
    posted = AuditEvent.objects.get(action="payment_run.posted")
    assert posted.after["warnings acknowledged"][0].startswith("1 payment query is not settled")
