"""A provider's call-monitoring file becomes an invoice: bad rows reported row by row,
queries answered and settled, the 28-day clock, and payment in the run."""

import datetime as dt

import pytest

from caremarket.core import clock
from caremarket.payments import ingest, queries, runs, visits
from caremarket.payments.models import Invoice, PaymentQuery, Visit, VisitUpload, WaitingVisitFile

HEADER = "visit_id,package,planned_start,planned_end,actual_start,actual_end,carers\n"


def upload(text, organisation, period, keep=True):
    return ingest.store_visit_file(organisation, period, text.encode(), organisation.people.first(),
                                   keep_valid_rows=keep, file_name="visits.csv")


GOOD = ("V1,CP-000777,2026-10-14 08:00,2026-10-14 08:30,2026-10-14 08:02,2026-10-14 08:31,1\n"
        "V2,CP-000777,2026-10-15 08:00,2026-10-15 08:30,2026-10-15 08:00,2026-10-15 08:12,1\n"  # short
        "V3,CP-000777,2026-10-16 08:00,2026-10-16 08:30,,,1\n")  # missed
BAD = ("V1,CP-000777,2026-10-17 08:00,2026-10-17 08:30,2026-10-17 08:00,2026-10-17 08:30,1\n"  # duplicate id
       "V5,CP-999999,2026-10-17 08:00,2026-10-17 08:30,2026-10-17 08:00,2026-10-17 08:30,1\n"  # unknown package
       "V6,CP-000777,17/10/2026 8am,2026-10-17 08:30,2026-10-17 08:00,2026-10-17 08:30,1\n"  # bad time
       "V7,CP-000777,2026-12-01 08:00,2026-12-01 08:30,2026-12-01 08:00,2026-12-01 08:30,one\n")  # period, carers


def test_visits_are_matched_priced_and_queried_where_they_differ_from_the_plan(calendar, hourly_package, home_care):
    result = upload(HEADER + GOOD, home_care, calendar[8])
    assert (result.status, result.stored, result.errors) == ("stored", 3, [])
    paid = dict(Visit.objects.values_list("visit_id", "amount_pence"))
    assert paid == {"V1": 1125, "V2": 563, "V3": 0}  # 30 minutes; 15 minutes (the minimum); missed
    assert set(PaymentQuery.objects.values_list("visit__visit_id", flat=True)) == {"V2", "V3"}
    invoice = Invoice.objects.get()
    assert invoice.status == "draft" and runs.payable_pence(invoice.pk) == 1125  # queried visits are held


def test_bad_rows_are_reported_row_by_row_and_the_provider_chooses(calendar, hourly_package, home_care):
    upload(HEADER + GOOD, home_care, calendar[8])
    refused = upload(HEADER + BAD + "V8,CP-000777,2026-10-18 08:00,2026-10-18 08:30,2026-10-18 08:00,"
                     "2026-10-18 08:30,1\n", home_care, calendar[8], keep=False)
    assert refused.status == "refused" and refused.stored == 0
    assert {(e["row"], e["column"]) for e in refused.errors} == {
        (2, "visit_id"), (3, "package"), (4, "planned_start"), (5, "planned_start"), (5, "carers")}
    assert "already recorded" in refused.errors[0]["message"]
    assert Visit.objects.count() == 3  # nothing from the refused file
    kept = upload(HEADER + BAD + "V8,CP-000777,2026-10-18 08:00,2026-10-18 08:30,2026-10-18 08:00,"
                  "2026-10-18 08:30,1\n", home_care, calendar[8], keep=True)
    assert (kept.status, kept.stored, len(kept.errors)) == ("stored", 1, 5)
    assert Visit.objects.count() == 4


def test_a_file_with_wrong_columns_is_refused_whole(calendar, hourly_package, home_care):
    result = upload("visit,package,start\nV1,CP-000777,2026-10-14 08:00\n", home_care, calendar[8])
    assert result.status == "refused"
    assert {e["column"] for e in result.errors} == {"visit_id", "planned_start", "planned_end", "actual_start",
                                                    "actual_end", "carers"}
    assert not VisitUpload.objects.filter(status="stored").exists()


def test_another_providers_package_is_unknown_to_you(calendar, hourly_package, make_user):
    from caremarket.tendering.tests.conftest import approved_provider

    other = approved_provider("Birch Care", "1-500000002", make_user=make_user)
    result = upload(HEADER + GOOD, other, calendar[8])
    assert result.status == "refused" and "not one of your care packages" in result.errors[0]["message"]


def test_queries_are_answered_settled_and_paid_within_28_days(calendar, hourly_package, home_care, finance):
    upload(HEADER + GOOD, home_care, calendar[8])
    invoice = Invoice.objects.get()
    with clock.frozen(dt.datetime(2026, 11, 12, 10, 0, tzinfo=clock.LONDON)):
        ingest.submit_invoice(invoice, home_care.people.first())
    invoice.refresh_from_db()
    assert (invoice.status, invoice.due_on) == ("received", dt.date(2026, 12, 10))
    missed = PaymentQuery.objects.get(visit__visit_id="V3")
    queries.answer(missed, home_care.people.first(), text="The carer's phone failed; the visit took place")
    queries.settle(missed, finance, accept=True, resolution="Confirmed with the citizen's daughter")
    short = PaymentQuery.objects.get(visit__visit_id="V2")
    run = runs.run_period(calendar[8], finance)  # drafted on 13 November, paid on 17 November
    line = run.lines.get(invoice=invoice)
    assert line.amount_pence == 1125 + 1125  # V1, and V3 as planned; V2 still in query
    runs.post_run(run, finance)
    invoice.refresh_from_db()
    assert (invoice.status, invoice.paid_on) == ("paid", dt.date(2026, 11, 17))
    assert not visits.is_late(invoice.due_on, invoice.paid_on, dt.date(2026, 11, 17))
    queries.answer(short, home_care.people.first(), text="The citizen asked the carer to leave early")
    queries.settle(short, finance, accept=False, resolution="Paid for the time delivered")
    assert runs.run_period(calendar[9], finance).lines.get(invoice=invoice).amount_pence == 563
    assert runs.run_period(calendar[9], finance).lines.filter(invoice=invoice).count() == 1  # a redraft: no more


def test_a_file_the_database_cannot_read_as_csv_is_read_row_by_row_instead(calendar, hourly_package, home_care):
    # PostgreSQL's COPY refuses each of these whole (a field too many, a null character, an
    # unclosed quote); the file is then read by Python and every row still gets its answer.
    odd = (HEADER + GOOD
           + "V4,CP-000777,2026-10-17 08:00,2026-10-17 08:30,2026-10-17 08:00,2026-10-17 08:30,1,extra\n"
           + "V5\x00,CP-000777,2026-10-18 08:00,2026-10-18 08:30,2026-10-18 08:00,2026-10-18 08:30,1\n"
           + 'V6,"CP-000777,2026-10-19 08:00,2026-10-19 08:30,,,1\n')
    result = upload(odd, home_care, calendar[8])
    assert result.status == "stored" and result.stored == 4  # V1-V3, and V4 (the extra field is ignored)
    assert {(e["row"], e["column"]) for e in result.errors} >= {(6, "visit_id")}
    assert "null character" in next(e["message"] for e in result.errors if e["row"] == 6)
    assert set(Visit.objects.values_list("visit_id", flat=True)) == {"V1", "V2", "V3", "V4"}


def test_a_waiting_file_that_cannot_be_checked_says_so_rather_than_wait_for_ever(calendar, hourly_package,
                                                                                  home_care):
    waiting = ingest.queue_visit_file(home_care, calendar[8], (HEADER + GOOD).encode(), home_care.people.first(),
                                      keep_valid_rows=True, file_name="visits.csv")
    assert waiting.status == "waiting" and not Visit.objects.exists()
    WaitingVisitFile.objects.filter(upload=waiting).delete()  # its bytes lost, say
    with pytest.raises(WaitingVisitFile.DoesNotExist):
        ingest.check_waiting_file(waiting.pk)
    waiting.refresh_from_db()
    assert waiting.status == "failed" and waiting.get_status_display() == "Not checked: send it again"
    assert not Visit.objects.exists()
