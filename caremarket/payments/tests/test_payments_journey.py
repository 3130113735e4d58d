"""In a real browser: a provider sends a period's visits with a few mismatches, sees which
rows were wrong, answers a query, submits the invoice, and after the run is posted reads its remittance advice."""

import datetime as dt

import pytest

from caremarket.core import clock
from caremarket.payments import queries, runs
from caremarket.payments.models import PaymentQuery
from caremarket.tendering.tests.test_tendering_journey import PASSWORD, sign_in
from caremarket.web.browser_testing import accessibility_violations

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("committed_db")]

VISITS = """visit_id,package,planned_start,planned_end,actual_start,actual_end,carers
W1,CP-000777,2026-10-14 08:00,2026-10-14 08:30,2026-10-14 08:01,2026-10-14 08:30,1
W2,CP-000777,2026-10-15 08:00,2026-10-15 08:30,,,1
W3,CP-000777,2026-10-16 08:00,2026-10-16 08:30,2026-10-16 08:00,2026-10-16 08:30,1
W3,CP-000777,2026-10-17 08:00,2026-10-17 08:30,2026-10-17 08:00,2026-10-17 08:30,1
W5,CP-000778,2026-10-18 08:00,2026-10-18 08:30,2026-10-18 08:00,2026-10-18 08:30,1
W6,CP-000777,18/10/2026 08:00,2026-10-18 08:30,2026-10-18 08:00,2026-10-18 08:30,1
"""


def test_a_provider_sends_visits_answers_a_query_and_reads_the_remittance(page, calendar, hourly_package,
                                                                           home_care, finance):
    admin = home_care.people.first()
    admin.set_password(PASSWORD)
    admin.save()
    clock.set_time(dt.datetime(2026, 11, 12, 10, 0, tzinfo=clock.LONDON))
    try:
        sign_in(page, admin.username)
        page.get_by_role("link", name="Payments").first.click()
        page.get_by_role("button", name="Send a period's visits").click()
        assert accessibility_violations(page) == []
        page.get_by_label("Payment period").select_option(label=str(calendar[8]))
        page.get_by_label("Call-monitoring file (CSV)").set_input_files(
            files=[{"name": "october.csv", "mimeType": "text/csv", "buffer": VISITS.encode()}])
        page.get_by_label("Keep the valid rows and tell me which are wrong").check()
        page.get_by_role("button", name="Send visits").click()

        assert page.get_by_role("heading", level=1).inner_text() == "3 visits stored"
        problems = page.locator("table").inner_text()
        assert "Visit W3 is also on row 4" in problems
        assert "'CP-000778' is not one of your care packages" in problems
        assert "'18/10/2026 08:00' is not a date and time" in problems
        assert accessibility_violations(page) == []

        page.get_by_role("link", name="answer the queries").click()
        page.get_by_role("link", name="W2").click()
        page.get_by_label("What happened on this visit").fill("The carer's phone failed; the visit took place")
        page.get_by_role("button", name="Send answer").click()
        assert "Your answer was sent" in page.locator(".govuk-notification-banner").inner_text()
        assert accessibility_violations(page) == []

        page.get_by_role("link", name="Payments").first.click()
        page.get_by_role("link", name="INV-").click()
        page.get_by_role("button", name="Check and submit the invoice").click()
        assert accessibility_violations(page) == []
        page.get_by_role("button", name="Submit the invoice").click()
        assert "due to be paid by 10 December 2026" in page.locator(".govuk-notification-banner").inner_text()

        queries.settle(PaymentQuery.objects.get(), finance, accept=True, resolution="Confirmed by the citizen")
        runs.post_run(runs.run_period(calendar[8], finance), finance)

        page.get_by_role("link", name="Payments").first.click()
        page.get_by_role("link", name="View the 2026/27-P08 remittance advice").click()
        assert "£33.75" in page.locator(".govuk-summary-list").inner_text()  # three half-hour visits at £22.50/h
        assert "17 November 2026" in page.locator(".govuk-summary-list").inner_text()
        assert accessibility_violations(page) == []
        with page.expect_download() as download:
            page.get_by_role("link", name="Download this remittance advice (PDF)").click()
        assert download.value.suggested_filename.endswith(".pdf")
    finally:
        clock.set_time(None)


def test_finance_is_warned_of_an_open_query_and_must_acknowledge_it_before_posting(page, calendar, hourly_package,
                                                                                      home_care, finance):
    from caremarket.payments import ingest

    finance.set_password(PASSWORD)
    finance.save()
    clock.set_time(dt.datetime(2026, 11, 13, 9, 0, tzinfo=clock.LONDON))
    try:
        ingest.store_visits(home_care, calendar[8], [
            {"visit_id": "Q1", "package": "CP-000777", "planned_start": "2026-10-14 08:00",
             "planned_end": "2026-10-14 08:30", "actual_start": "", "actual_end": "", "carers": "1"}],
            home_care.people.first(), keep_valid_rows=True)
        runs.run_period(calendar[8], finance)
        sign_in(page, finance.username)
        page.goto(f"/payments/periods/{calendar[8].pk}/")
        page.get_by_role("button", name="Check and post the run").click()
        assert page.get_by_role("heading", level=1).inner_text() == "Check the payment run before you post it"
        assert "1 payment query is not settled" in page.locator(".govuk-warning-text").inner_text()
        assert accessibility_violations(page) == []
        page.get_by_role("button", name="Post the run").click()
        assert "Tick the box to confirm you have read the warnings" in page.locator(".govuk-error-summary").inner_text()
        assert accessibility_violations(page) == []
        page.get_by_label("I have read the warnings and want to go ahead").check()
        page.get_by_role("button", name="Post the run").click()
        assert "run is posted" in page.locator(".govuk-notification-banner").inner_text()
    finally:
        clock.set_time(None)
