"""A posted run in the finance system's terms: creditor payments and a journal that add up to
the run to the penny, whatever its lines."""

import csv
import io
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from caremarket.ledger.journal import Codes, Line, cost_centre, creditor_payments, journal
from caremarket.payments import ingest, runs
from caremarket.payments.tests.conftest import calendar, finance, home_care, hourly_package  # noqa: F401
from caremarket.tendering.tests.conftest import broker, citizen  # noqa: F401

KINDS = ["scheduled", "arrears", "recovery", "adjustment", "invoice", "results"]
CODES = Codes(cost_centres={("", ""): "ASC000", ("home-support", ""): "ASC100", ("home-support", "north"): "ASC110"},
              subjective={**{kind: "51" + str(n) for n, kind in enumerate(KINDS)}, "nhs_share": "9410",
                          "client_contribution": "9420", "top_up": "9430", "creditors": "8000"},
              control_cost_centre="FIN000")
pence = st.integers(-5_000_000, 5_000_000)
lines = st.lists(st.builds(Line, provider_id=st.integers(1, 5), kind=st.sampled_from(KINDS),
                           service_type=st.sampled_from(["", "home-support", "residential-care"]),
                           area=st.sampled_from(["", "north", "east"]), council=pence, nhs=pence, client=pence,
                           top_up=pence), max_size=60)


@given(lines)
def test_the_journal_and_the_creditor_payments_add_up_to_the_run_to_the_penny(run_lines):
    found = journal(run_lines, CODES)
    total = sum(line.amount for line in run_lines)
    assert found.problems == []
    assert found.debits == found.credits
    assert sum(p.amount for p in creditor_payments(run_lines)) == total
    control = [row for row in found.rows if row.subjective == "8000"]
    assert sum(row.credit - row.debit for row in control) == total


def test_the_most_particular_cost_centre_wins_and_a_missing_code_is_named():
    assert cost_centre(CODES, "home-support", "north") == "ASC110"
    assert cost_centre(CODES, "home-support", "east") == "ASC100"
    assert cost_centre(CODES, "residential-care", "east") == "ASC000"
    bare = Codes(cost_centres={("home-support", ""): "ASC100"}, subjective={"scheduled": "5100"},
                 control_cost_centre="FIN000")
    found = journal([Line(1, "scheduled", "day-care", "north", 100, nhs=50)], bare)
    assert "No cost centre for day-care in north" in found.problems
    found = journal([Line(1, "scheduled", "home-support", "north", 100, nhs=50)], bare)
    assert "No subjective code for nhs share" in found.problems
    assert "No subjective code for the creditors control account" in found.problems


def _csv(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_finance_downloads_files_that_reconcile_with_the_posted_run(calendar, hourly_package, home_care,  # noqa: F811
                                                                   finance, signed_in):
    admin = home_care.people.first()
    ingest.store_visits(home_care, calendar[8], [
        {"visit_id": "V1", "package": "CP-000777", "planned_start": "2026-10-14 08:00",
         "planned_end": "2026-10-14 09:00", "actual_start": "2026-10-14 08:00", "actual_end": "2026-10-14 09:00",
         "carers": "1"}], admin, keep_valid_rows=True)
    ingest.submit_invoice(ingest.invoice_for(home_care, calendar[8]), admin)
    run = runs.run_period(calendar[8], finance)
    client = signed_in(finance)
    assert client.get(f"/payments/periods/{calendar[8].pk}/ledger/").status_code == 404  # not posted yet
    runs.post_run(run, finance)
    page = client.get(f"/payments/periods/{calendar[8].pk}/ledger/").content.decode()
    assert f"{home_care.name} has no supplier number" in page
    back = f"/payments/periods/{calendar[8].pk}/ledger/"
    saved = client.post(f"/organisations/{home_care.pk}/supplier-number/?next={back}", {"supplier_number": "SUP-0042"})
    assert saved.url == back
    page = client.get(f"/payments/periods/{calendar[8].pk}/ledger/").content.decode()
    assert "The files add up to the run, to the penny" in page
    payments = _csv(client.get(f"/payments/periods/{calendar[8].pk}/ledger/creditor-payments.csv"))
    assert payments == [{"supplier_number": "SUP-0042", "supplier_name": home_care.name,
                         "payment_reference": "2026/27-P08", "payment_date": "2026-11-17", "amount": "22.50"}]
    entries = _csv(client.get(f"/payments/periods/{calendar[8].pk}/ledger/journal.csv"))
    debits = sum(Decimal(e["debit"] or 0) for e in entries)
    assert debits == sum(Decimal(e["credit"] or 0) for e in entries) == Decimal("22.50")
    assert {e["cost_centre"] for e in entries} == {"ASC000", "FIN000"}
