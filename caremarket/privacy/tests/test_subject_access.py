"""A person's right of access: everything held about them, and nothing about anyone else."""

import datetime as dt
import io
import json
from decimal import Decimal

import pypdf
from django.apps import apps
from django.db import transaction

from caremarket.accounts.models import SentEmail
from caremarket.accounts.roles import Role
from caremarket.audit.trail import record
from caremarket.citizens.models import Citizen, RecordAccess, RecordAccessCitizen, WaitingChange
from caremarket.core import clock
from caremarket.events.models import Event
from caremarket.organisations.models import Organisation
from caremarket.outcomes.models import (Booking, Carer, CarerActivity, CarerMerge, CarerSignIn, ConsortiumContract,
                                        DuplicateDismissal, Listing, MemberAgreement, StatementAdjustment, Voucher,
                                        WellbeingAssessment)
from caremarket.packages.models import PackageChange, PackageFunding
from caremarket.payments.models import PaymentDue, PaymentQuery, Visit
from caremarket.privacy import subject_access
from caremarket.privacy.models import LegalHold
from caremarket.tendering.models import Tender

from .conftest import make_citizen


def _marked_citizen(number, tag, *, provider, broker, run, invoice, upload, looker):
    """A citizen with a row carrying ``tag`` in every kind of record that can be about them."""
    citizen = make_citizen(number, assessed_on=dt.date(2026, 4, 1), package_span=(dt.date(2026, 4, 15), None),
                           provider=provider, broker=broker, run=run, invoice=invoice, upload=upload)
    Citizen.objects.filter(pk=citizen.pk).update(address=f"{tag}-citizen")
    assessment = citizen.assessments.get()
    requirement = citizen.requirements.get()
    package = requirement.package
    WaitingChange.objects.create(assessment=assessment, values={"outcomes": f"{tag}-waiting"}, values_sha256=tag,
                                 received_at=clock.now())
    Tender.objects.create(requirement=requirement, opens_at=clock.now(), closes_at=clock.now(), rule=f"{tag[:20]}")
    package.top_up_payer = f"{tag}-package"
    package.save()
    PackageChange.objects.create(package=package, kind="price", effective_from=dt.date(2026, 5, 1),
                                 reason=f"{tag}-change", requested_by=broker, requested_at=clock.now())
    PackageFunding.objects.create(package=package, nhs_funder=f"{tag}-funding")
    visit = Visit.objects.get(package=package)
    PaymentQuery.objects.create(visit=visit, answer=f"{tag}-query")
    Event.objects.create(kind="package.started", subject=f"package {package.reference}", occurred_at=clock.now(),
                         data={"note": f"{tag}-event"}, citizen=citizen.for_events())
    access = RecordAccess.objects.create(person=looker, role=looker.role, at=clock.now(), kind="record",
                                         where=f"/citizens/{tag}-looked/")
    RecordAccessCitizen.objects.create(access=access, citizen=citizen)
    LegalHold.objects.create(citizen=citizen, reason=f"{tag}-hold", placed_by=broker, placed_at=clock.now())
    with transaction.atomic():
        record(broker, "package.changed", package, reason=f"{tag}-audit")
    return Citizen.objects.get(pk=citizen.pk)


CITIZEN_MARKS = ["citizen", "waiting", "package", "change", "funding", "query", "event", "looked", "hold", "audit"]


def test_a_citizens_export_holds_every_record_about_them_and_nothing_about_anyone_else(
        years_of_records, care_home, broker, make_user, council):
    run = years_of_records["run"]
    visit = Visit.objects.select_related("invoice", "upload").first()
    looker = make_user(Role.SOCIAL_WORKER, council, username="marker.looker@council.test")
    them = _marked_citizen(901, "MINE", provider=care_home, broker=broker, run=run, invoice=visit.invoice,
                           upload=visit.upload, looker=looker)
    _marked_citizen(902, "OTHER", provider=care_home, broker=broker, run=run, invoice=visit.invoice,
                    upload=visit.upload, looker=looker)

    text = subject_access.as_json(subject_access.for_citizen(them)).decode()
    assert [mark for mark in CITIZEN_MARKS if f"MINE-{mark}" not in text] == []
    assert "OTHER" not in text and "BCC-000902" not in text
    for detail in ("Given901x", "Family901x", "Needs901x", "Prefers901x", "Query901x", "0000000901", "MINE"):
        assert detail in text
    assert json.loads(text)["Care packages"][0]["Payments"][0]["Amount"] == "£3,309.01"  # in pounds, as read


def _marked_carer(number, tag, *, charity, consortium, contract, listing, user, twin):
    carer = Carer.objects.create(
        reference=f"CAR-9{number:04d}", consortium=consortium, registered_by=charity, registered_on=dt.date(2026, 4, 1),
        given_name=f"Carer{number}x", family_name=f"{tag}-carer", born_on=dt.date(1970, 1, 1), postcode="B1 1AA",
        email=f"{tag.lower()}@example.test", cared_for="Her father", hours_a_week=Decimal(30))
    WellbeingAssessment.objects.create(carer=carer, kind="baseline", assessed_on=dt.date(2026, 4, 2),
                                       assessed_by=user, scores={"note": f"{tag}-wellbeing"}, total=20)
    CarerActivity.objects.create(member=charity, kind="planned", happened_on=dt.date(2026, 5, 1), carer=carer,
                                 recorded_by=user)
    voucher = Voucher.objects.create(reference=f"TFM-{tag}", carer=carer, contract=contract, status="spent",
                                     amount_pence=15_000, reason=f"{tag}-voucher", asked_by=user,
                                     asked_at=clock.now())
    payment = PaymentDue.objects.create(reference=f"PD-{tag}", organisation=charity, service="Time for Me",
                                        due_on=dt.date(2026, 6, 1), amount_pence=15_000, reason=f"{tag}-payment",
                                        decided_at=clock.now())
    Booking.objects.create(voucher=voucher, listing=listing, amount_pence=15_000, booked_at=clock.now(),
                           payment=payment, needs_shared=f"{tag}-booking")
    merge = CarerMerge.objects.create(kept=carer, merged=twin, why=f"{tag}-merge", merged_by=user,
                                      merged_at=clock.now())
    DuplicateDismissal.objects.create(first=carer, second=twin, why=f"{tag}-dismissal", dismissed_by=user,
                                      dismissed_at=clock.now())
    agreement = MemberAgreement.objects.create(contract=contract, member=charity, services="Support",
                                               quarterly_block_pence=0) if not MemberAgreement.objects.exists() \
        else MemberAgreement.objects.get()
    StatementAdjustment.objects.create(agreement=agreement, on=dt.date(2026, 7, 1), amount_pence=-100,
                                       reason=f"{tag}-adjustment", merge=merge)
    SentEmail.objects.create(to_address=carer.email, subject=f"{tag}-email", body="", sent_at=clock.now())
    CarerSignIn.objects.create(carer=carer, token_hash=f"{tag}-secret-hash", sent_at=clock.now(),
                               expires_at=clock.now())
    LegalHold.objects.create(carer=carer, reason=f"{tag}-hold", placed_by=user, placed_at=clock.now())
    with transaction.atomic():
        record(user, "carer.changed", carer, after=carer.audit_facts(), reason=f"{tag}-audit")
    return carer


CARER_MARKS = ["carer", "wellbeing", "voucher", "payment", "booking", "merge", "dismissal", "adjustment", "email",
               "hold", "audit"]


def test_a_carers_export_holds_every_record_about_them_and_nothing_about_anyone_else(years_of_records, broker):
    consortium = Organisation.objects.get(kind=Organisation.Kind.CONSORTIUM)
    charity = Organisation.objects.get(kind=Organisation.Kind.CHARITY)
    contract = ConsortiumContract.objects.create(reference="C-1", name="Carers", consortium=consortium,
                                                 starts_on=dt.date(2026, 4, 1), ends_on=dt.date(2029, 3, 31))
    listing = Listing.objects.create(organisation=charity, title="Spa day", category="therapy", description="A day",
                                     where="Birmingham", price_pence=15_000, places=4)
    twins = list(Carer.objects.order_by("pk")[:2])
    facts = {"charity": charity, "consortium": consortium, "contract": contract, "listing": listing, "user": broker}
    them = _marked_carer(1, "MINE", twin=twins[0], **facts)
    _marked_carer(2, "OTHER", twin=twins[1], **facts)

    text = subject_access.as_json(subject_access.for_carer(them)).decode()
    assert [mark for mark in CARER_MARKS if f"MINE-{mark}" not in text] == []
    assert "OTHER" not in text and "secret-hash" not in text


def _models_leading_to(start: set[str], hops: int = 4) -> set[str]:
    """Every model with a relation that leads, in at most ``hops`` steps, to one of ``start``."""
    found = set(start)
    for _ in range(hops):
        for model in apps.get_models():
            label = model._meta.label_lower
            if label in found or not label.startswith(("citizens.", "tendering.", "packages.", "payments.",
                                                       "outcomes.", "events.", "privacy.", "audit.", "accounts.")):
                continue
            if any(field.is_relation and field.related_model is not None and not field.auto_created
                   and field.related_model._meta.label_lower in found for field in model._meta.get_fields()):
                found.add(label)
    return found


def test_every_model_that_can_lead_to_a_citizen_or_a_carer_is_exported_or_said_why_not():
    leading = _models_leading_to({"citizens.citizen", "outcomes.carer"})
    missed = leading - subject_access.EXPORTED - set(subject_access.LEFT_OUT)
    assert missed == set(), f"add these to privacy.subject_access (or LEFT_OUT, saying why): {sorted(missed)}"


def test_the_readable_copy_is_a_pdf_with_the_persons_records_in_any_script(years_of_records):
    citizen = Citizen.objects.get(reference="BCC-000001")
    Citizen.objects.filter(pk=citizen.pk).update(given_name="Łucja", family_name="Żółć")
    citizen.refresh_from_db()
    pdf = subject_access.as_pdf(subject_access.for_citizen(citizen), "Birmingham City Council")
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "Everything Caremarket holds about citizen BCC-000001" in text
    assert "Żółć" in text.replace("\n", "") or "?" in text  # exact where the machine has DejaVu (Debian does)
    assert "Who looked at the record" in text
