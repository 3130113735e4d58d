"""The data protection officer's pages: the schedule, a subject access request, a legal hold and
a carer's erasure, each refused clearly when it should be and changing nothing then."""

import datetime as dt
import json

import pytest

from caremarket.accounts.models import SentEmail
from caremarket.accounts.roles import Role
from caremarket.audit.models import AuditEvent
from caremarket.citizens.models import Citizen, RecordAccessCitizen
from caremarket.core import clock
from caremarket.organisations.models import Organisation
from caremarket.outcomes.models import Booking, Carer, ConsortiumContract, Listing, Voucher
from caremarket.payments.models import PaymentDue, PaymentLine
from caremarket.privacy import retention
from caremarket.privacy.models import LegalHold, RetentionRule, RetentionRun


@pytest.fixture
def dpo(make_user, council):
    return make_user(Role.DATA_PROTECTION_OFFICER, council, username="dpo@council.test")


def test_only_the_data_protection_officer_opens_the_pages(years_of_records, dpo, signed_in, make_user, council):
    assert signed_in(dpo).get("/data-protection/").status_code == 200
    citizen = years_of_records["citizens"][1]
    for role in (Role.COMMISSIONER, Role.SOCIAL_WORKER, Role.FINANCE_OFFICER):
        other = signed_in(make_user(role, council, username=f"{role.value}@council.test"))
        assert other.get("/data-protection/").status_code == 403
        assert other.get(f"/data-protection/citizen/{citizen.pk}/subject-access.json").status_code == 403


def test_the_overview_says_what_is_held_how_long_and_what_the_last_run_did(years_of_records, dpo, signed_in):
    page = signed_in(dpo).get("/data-protection/").content.decode()
    assert "A citizen&#x27;s record" in page and "8 years" in page and "Records Management Code of Practice" in page
    assert "The schedule has not run yet" in page
    response = signed_in(dpo).post("/data-protection/dry-run/", follow=True)
    assert "Nothing was changed" in response.content.decode() and "Dry run: would go" in response.content.decode()
    assert RetentionRun.objects.get().dry_run and not Citizen.objects.filter(anonymised_on__isnull=False).exists()


@pytest.mark.parametrize("years, months, problem", [
    ("-1", "0", "Years must be a whole number, 0 or more"),
    ("eight", "0", "Years must be a whole number, 0 or more"),
    ("0", "0", "A period must be at least a month"),
    ("1", "12", "Months must be a whole number from 0 to 11"),
    ("101", "0", "Years must be 100 or fewer"),
])
def test_a_period_that_is_not_one_is_refused_and_the_schedule_kept(years, months, problem, dpo, signed_in, db):
    response = signed_in(dpo).post("/data-protection/retention/citizen/", {
        "years": years, "months": months, "legal_reason": "Because", "source": "A law"})
    assert response.status_code == 200 and problem in response.content.decode()
    assert RetentionRule.objects.get(kind="citizen").years == 8


def test_a_changed_period_is_recorded_with_who_changed_it(dpo, signed_in, db):
    response = signed_in(dpo).post("/data-protection/retention/email/", {
        "years": "1", "months": "6", "legal_reason": "Council policy IG-7", "source": "Council policy IG-7"})
    assert response.status_code == 302
    rule = RetentionRule.objects.get(kind="email")
    assert (rule.years, rule.months, rule.period) == (1, 6, "1 year and 6 months")
    event = AuditEvent.objects.get(action="retention_rule.changed")
    assert event.actor == dpo and event.before["years"] == 2 and event.after["years"] == 1


def test_the_officer_finds_a_person_by_what_they_gave_and_never_by_browsing(years_of_records, dpo, signed_in):
    client = signed_in(dpo)
    by_number = client.get("/data-protection/find/", {"whom": "citizen", "reference": "bcc-000003"}).content.decode()
    assert "Given3x Family3x" in by_number
    assert RecordAccessCitizen.objects.filter(citizen__reference="BCC-000003", access__person=dpo,
                                              access__kind="list").exists()  # listed by name: logged
    citizen = years_of_records["citizens"][3]
    dob = citizen.date_of_birth
    by_name = client.get("/data-protection/find/", {
        "whom": "citizen", "family_name": "family3x", "born_on-day": dob.day, "born_on-month": dob.month,
        "born_on-year": dob.year}).content.decode()
    assert "Given3x Family3x" in by_name
    partly = client.get("/data-protection/find/", {
        "whom": "citizen", "family_name": "Family", "born_on-day": dob.day, "born_on-month": dob.month,
        "born_on-year": dob.year}).content.decode()
    assert "No one matches" in partly and "Given3x" not in partly
    nothing = client.get("/data-protection/find/", {"whom": "citizen"}).content.decode()
    assert "Enter their record number, or their family name and date of birth" in nothing


def test_each_export_is_recorded_and_a_citizens_is_in_the_access_log(years_of_records, dpo, signed_in):
    citizen = years_of_records["citizens"][2]
    client = signed_in(dpo)
    response = client.get(f"/data-protection/citizen/{citizen.pk}/subject-access.json")
    assert response["Content-Disposition"] == 'attachment; filename="subject-access-BCC-000002.json"'
    assert json.loads(response.content)["Person"]["Given name"] == "Given2x"
    pdf = client.get(f"/data-protection/citizen/{citizen.pk}/subject-access.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="subject_access.exported", actor=dpo, object_id=str(citizen.pk)).count() == 2
    assert RecordAccessCitizen.objects.filter(citizen=citizen, access__person=dpo).count() == 2
    assert client.get(f"/data-protection/someone/{citizen.pk}/").status_code == 404


def test_a_legal_hold_is_placed_with_a_reason_and_lifted(years_of_records, dpo, signed_in):
    citizen = years_of_records["citizens"][1]
    client = signed_in(dpo)
    refused = client.post(f"/data-protection/citizen/{citizen.pk}/hold/", {"reason": ""})
    assert refused.status_code == 400 and "Say why the record must be kept" in refused.content.decode()
    assert not LegalHold.objects.exists()
    client.post(f"/data-protection/citizen/{citizen.pk}/hold/", {"reason": "Claim 2026/12"})
    hold = LegalHold.objects.get(citizen=citizen, lifted_at__isnull=True)
    assert "Claim 2026/12" in client.get("/data-protection/").content.decode()
    client.post(f"/data-protection/holds/{hold.pk}/lift/")
    hold.refresh_from_db()
    assert hold.lifted_by == dpo
    assert AuditEvent.objects.filter(action__in=["legal_hold.placed", "legal_hold.lifted"]).count() == 2


def _carer_with_a_booking(years_of_records, broker):
    carer = Carer.objects.get(reference="CAR-00003")
    charity = Organisation.objects.get(kind=Organisation.Kind.CHARITY)
    contract = ConsortiumContract.objects.create(reference="C-1", name="Carers", consortium=carer.consortium,
                                                 starts_on=dt.date(2026, 4, 1), ends_on=dt.date(2029, 3, 31))
    listing = Listing.objects.create(organisation=charity, title="Spa day", category="therapy", description="A day",
                                     where="Birmingham", price_pence=15_000, places=4)
    voucher = Voucher.objects.create(reference="TFM-1", carer=carer, contract=contract, status="spent",
                                     amount_pence=15_000, reason="Over 10 hours", asked_by=broker,
                                     asked_at=clock.now())
    payment = PaymentDue.objects.create(reference="PD-1", organisation=charity, service="Time for Me",
                                        due_on=dt.date(2026, 4, 20), amount_pence=15_000, reason="Spa day",
                                        decided_at=clock.now())
    Booking.objects.create(voucher=voucher, listing=listing, amount_pence=15_000, booked_at=clock.now(),
                           payment=payment, needs_shared="Call me Jo")
    return carer, payment


def test_a_carer_with_an_unpaid_payment_is_not_erased_until_it_is_paid(years_of_records, dpo, signed_in, broker):
    carer, payment = _carer_with_a_booking(years_of_records, broker)
    client = signed_in(dpo)
    refused = client.post(f"/data-protection/carer/{carer.pk}/erase/", {"reason": "Asked by phone, 6 Dec"})
    assert refused.status_code == 400
    assert "The payment of £150.00 for voucher TFM-1 (PD-1) is not yet paid" in refused.content.decode()
    carer.refresh_from_db()
    assert carer.given_name == "Carer3x" and carer.anonymised_on is None
    assert SentEmail.objects.filter(to_address="carer3@example.test").exists()

    run = years_of_records["run"]
    PaymentLine.objects.create(run=run, organisation=payment.organisation, due=payment, kind=PaymentLine.Kind.RESULTS,
                               first_day=run.period.start_date, last_day=run.period.end_date, days=1,
                               amount_pence=15_000, reason="Time for Me")
    done = client.post(f"/data-protection/carer/{carer.pk}/erase/", {"reason": "Asked by phone, 6 Dec"})
    assert done.status_code == 302
    carer.refresh_from_db()
    assert (carer.given_name, carer.email, carer.cared_for, carer.anonymised_on) == (
        "Anonymised", "", "", clock.today())
    assert not SentEmail.objects.filter(to_address="carer3@example.test").exists()
    assert Booking.objects.get().needs_shared == "" and Booking.objects.get().amount_pence == 15_000
    erased = AuditEvent.objects.get(action="carer.anonymised", object_id=str(carer.pk))
    assert erased.actor == dpo and "At the carer's request: Asked by phone, 6 Dec" == erased.reason
    again = client.post(f"/data-protection/carer/{carer.pk}/erase/", {"reason": "Again"})
    assert "nothing that names them is left" in again.content.decode()


def test_a_carer_on_a_legal_hold_is_not_erased(years_of_records, dpo, signed_in):
    carer = Carer.objects.get(reference="CAR-00001")
    LegalHold.objects.create(carer=carer, reason="Inquiry", placed_by=dpo, placed_at=clock.now())
    response = signed_in(dpo).post(f"/data-protection/carer/{carer.pk}/erase/", {"reason": "Asked"})
    assert "A legal hold keeps carer CAR-00001" in response.content.decode()
    assert Carer.objects.get(pk=carer.pk).anonymised_on is None


def test_the_officers_home_page_says_when_retention_has_stopped_and_which_holds_to_review(
        years_of_records, dpo, signed_in):
    home = signed_in(dpo).get("/").content.decode()
    assert "The retention schedule has not run yet" in home
    citizen = years_of_records["citizens"][4]
    LegalHold.objects.create(citizen=citizen, reason="Claim 2025/3", placed_by=dpo,
                             placed_at=clock.now() - dt.timedelta(days=400))
    retention.apply()
    home = signed_in(dpo).get("/").content.decode()
    assert "has not run" not in home
    assert "1 legal hold was placed over a year ago" in home and "Citizen BCC-000004" in home


def test_a_council_answers_for_the_carers_of_the_consortia_it_contracts_with_and_no_others(
        years_of_records, dpo, signed_in, make_user, neighbour):
    carer = years_of_records["carers"][2]
    theirs = signed_in(make_user(Role.DATA_PROTECTION_OFFICER, neighbour, username="dpo@sandwell.test"))
    found = theirs.get("/data-protection/find/", {"whom": "carer", "reference": carer.reference})
    assert found.status_code == 200 and carer.given_name not in found.content.decode()
    assert theirs.get(f"/data-protection/carer/{carer.pk}/subject-access.json").status_code == 404
    assert theirs.post(f"/data-protection/carer/{carer.pk}/erase/", {"reason": "Asked"}).status_code == 404
    assert Carer.objects.get(pk=carer.pk).anonymised_on is None

    ConsortiumContract.objects.create(reference="FC-S", name="Forward carers in Sandwell", council=neighbour,
                                      consortium=carer.consortium, starts_on=dt.date(2026, 4, 1),
                                      ends_on=dt.date(2027, 3, 31))
    export = theirs.get(f"/data-protection/carer/{carer.pk}/subject-access.json")
    assert export.status_code == 200 and carer.family_name in export.content.decode()
    # Its own officer still answers for the carer: the register serves both contracts.
    assert signed_in(dpo).get(f"/data-protection/carer/{carer.pk}/subject-access.json").status_code == 200
