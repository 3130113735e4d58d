import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from caremarket.events.models import Event
from caremarket.audit.models import AuditEvent
from caremarket.core import clock
from caremarket.framework import enrolment
from caremarket.framework.compliance import apply_compliance
from caremarket.framework.models import (
    ComplianceDocument, DocumentType, EntryCriterion, Framework, Section, SectionApproval,
)
from caremarket.framework.tests.evidence import pdf_bytes
from caremarket.organisations.models import CareLocation, Organisation

PDF = pdf_bytes()
NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=clock.LONDON)


@pytest.fixture(autouse=True)
def frozen_clock():
    with clock.frozen(NOW):
        yield


@pytest.fixture
def framework(council):  # the council set up adopts the framework the install was loaded with
    return Framework.objects.get()


def section(code, area=None, need=None):
    return Section.objects.get(service_type__code=code, area__code=area, need_group__code=need)


@pytest.fixture
def home(db):
    provider = Organisation.objects.create(kind="provider", name="Cedar House Ltd", cqc_provider_id="1-300000001")
    CareLocation.objects.create(organisation=provider, cqc_location_id="1-400000001", name="Cedar House",
                                is_care_home=True, cqc_rating="Good", cqc_rating_published_on=dt.date(2025, 5, 1))
    return provider


def everything_for(organisation, setting="bed_based", expires=dt.date(2027, 11, 1)):
    for document_type in DocumentType.objects.all():
        if setting in document_type.settings:
            ComplianceDocument.objects.create(organisation=organisation, document_type=document_type,
                                              expires_on=expires if document_type.has_expiry else None,
                                              verified_at=NOW)


def complete(application, sections):
    application.sections.set(sections)
    application.declarations = {c.code: "none" for c in EntryCriterion.objects.filter(kind="declaration")}
    application.bank_account_name, application.bank_sort_code, application.bank_account_number = (
        "Cedar House Ltd", "40-11-22", "12345678")
    application.save()


def test_a_care_home_with_everything_in_order_is_assessed_pass_and_approved(home, framework, commissioner):
    everything_for(home)
    application = enrolment.draft_for(home, framework, "test")
    complete(application, [section("residential-care", need="dementia")])
    enrolment.submit(application, commissioner)
    application.refresh_from_db()
    assert application.assessed_result == "pass"
    rating = next(a for a in application.assessment if a["code"] == "quality-rating")
    assert rating["reason"] == "Cedar House: CQC rating Good of 01 May 2025, the most recent, is Silver or equivalent"
    enrolment.decide(application, commissioner, approve=True, reason="")
    approval = SectionApproval.objects.get(organisation=home)
    assert approval.status == "approved" and str(approval.section) == "Residential care – City-wide – Dementia"
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"application.submitted", "application.assessed", "application.approved",
            "section_approval.approved"} <= actions


def test_an_incomplete_application_cannot_be_submitted_and_says_what_is_missing(home, framework, commissioner):
    application = enrolment.draft_for(home, framework, "test")
    with pytest.raises(ValidationError) as error:
        enrolment.submit(application, commissioner)
    assert error.value.messages == ["Choose the sections you are applying for", "Make the declarations",
                                    "Give your bank details"]


def test_a_commissioner_must_say_why_when_deciding_against_the_automatic_result(home, framework, commissioner):
    application = enrolment.draft_for(home, framework, "test")  # no documents: the assessment fails
    complete(application, [section("residential-care", need="dementia")])
    enrolment.submit(application, commissioner)
    application.refresh_from_db()
    assert application.assessed_result == "fail"
    with pytest.raises(ValidationError, match="Give the reason"):
        enrolment.decide(application, commissioner, approve=True, reason=" ")
    enrolment.decide(application, commissioner, approve=True, reason="Documents seen at the site visit")
    application.refresh_from_db()
    # Assessing again keeps the person's decision.
    enrolment.assess(application, commissioner)
    application.refresh_from_db()
    assert (application.status, application.decision_reason) == ("approved", "Documents seen at the site visit")


def test_home_support_is_closed_to_new_providers_after_the_initial_procurement(home, framework):
    application = enrolment.draft_for(home, framework, "test")
    problems = enrolment.check_sections(application, [section("home-support", area="north")], dt.date(2026, 11, 23))
    assert problems == ["Home support – North – All needs has been closed to new providers since 30 June 2026"]
    assert enrolment.check_sections(application, [section("home-support", area="north")], dt.date(2026, 5, 1)) == []
    assert enrolment.check_sections(application, [section("sensory-loss")], dt.date(2026, 11, 23)) == []


def test_quick_discharge_takes_one_provider_and_approved_premises_four(home, framework, db):
    qds = section("quick-discharge")
    other = Organisation.objects.create(kind="provider", name="Swift Care")
    SectionApproval.objects.create(organisation=other, section=qds, approved_on=dt.date(2026, 4, 1))
    application = enrolment.draft_for(home, framework, "test")
    problems = enrolment.check_sections(application, [qds], dt.date(2026, 5, 1))
    assert problems == ["Quick Discharge Service – City-wide – All needs takes at most 1 provider and is full"]
    with clock.frozen(dt.datetime(2026, 5, 1, 10, tzinfo=clock.LONDON)), \
            pytest.raises(ValidationError, match="takes at most 1 provider"):
        enrolment.choose_sections(application, [qds], "test")
    assert not application.sections.exists()


def test_a_small_provider_applies_for_at_most_three_lots_and_is_awarded_one(home, framework, commissioner):
    with clock.frozen(dt.datetime(2026, 5, 1, 10, tzinfo=clock.LONDON)):
        application = enrolment.draft_for(home, framework, "test")
        areas = [section("home-support", area=code) for code in ("north", "west", "east", "south-west")]
        assert enrolment.check_sections(application, areas, clock.today()) == [
            "A small home-support provider may apply for at most 3 area lots, not 4"]
        everything_for(home, "home")
        complete(application, areas[:2])
        enrolment.submit(application, commissioner)
        with pytest.raises(ValidationError, match="may be awarded at most 1 area lot"):
            enrolment.decide(application, commissioner, approve=True, reason="ok")
        assert not SectionApproval.objects.exists()


def test_uploads_must_be_pdf_or_images_in_date_and_small(home):
    insurance = DocumentType.objects.get(code="insurance-el")
    script = SimpleUploadedFile("policy.pdf", b"#!/bin/sh\nrm -rf /\n")
    with pytest.raises(ValidationError) as error:
        enrolment.upload_document(home, insurance, script, dt.date(2026, 1, 1), "test")
    assert error.value.message_dict == {
        "file": ["The file must be a PDF, PNG or JPEG that opens: this one is not, or is damaged"],
        "expires_on": ["The employer's liability insurance certificate has already expired (01 January 2026): "
                       "upload a current one"]}
    assert not ComplianceDocument.objects.exists()
    document = enrolment.upload_document(home, insurance, SimpleUploadedFile("el.pdf", PDF), dt.date(2027, 6, 30),
                                         "test")
    assert document.file.read() == PDF and "evidence/" in document.file.name


def test_an_expired_required_document_suspends_bidding_until_renewed(home, framework):
    everything_for(home, expires=dt.date(2026, 12, 31))
    approval = SectionApproval.objects.create(organisation=home, section=section("residential-care", need="dementia"),
                                              approved_on=dt.date(2026, 4, 1))
    assert apply_compliance(home, "test", dt.date(2026, 12, 31)) == 0
    assert apply_compliance(home, "test", dt.date(2027, 1, 1)) == 1
    approval.refresh_from_db()
    assert approval.status == "suspended"
    assert "Employer's liability insurance certificate expired on 31 December 2026" in approval.status_reason
    everything_for(home, expires=dt.date(2027, 12, 31))
    assert apply_compliance(home, "test", dt.date(2027, 1, 2)) == 1
    approval.refresh_from_db()
    assert approval.status == "approved"
    told = Event.objects.order_by("pk")
    assert [e.kind for e in told] == ["provider.suspended", "provider.reinstated"]
    assert "insurance certificate expired" in told[0].data["reason"] and told[0].subject == f"provider {home.pk}"


def test_size_class_is_recomputed_when_hours_change_and_kept_as_history(home):
    enrolment.set_council_funded_hours(home, "600", "test", dt.date(2026, 4, 1))
    assert enrolment.set_council_funded_hours(home, "650", "test", dt.date(2026, 5, 1)).size == "small"
    grown = enrolment.set_council_funded_hours(home, "2100.5", "test", dt.date(2026, 6, 1))
    assert grown.size == "large" and "2,100.5 council-funded hours a week is over 2,000" in grown.reason
    assert list(home.size_history.values_list("size", flat=True)) == ["large", "small", "small"]
    with pytest.raises(ValidationError, match="not a number"):
        enrolment.set_council_funded_hours(home, "lots", "test")
    home.refresh_from_db()
    assert home.council_funded_weekly_hours == 2100.5


@pytest.mark.parametrize("hours", ["NaN", "nan", "Infinity", "-Infinity", "sNaN", "", "1e400", "12,5"])
def test_hours_that_are_not_a_number_are_refused_with_a_field_error(home, hours):
    with pytest.raises(ValidationError) as refused:
        enrolment.set_council_funded_hours(home, hours, "test")
    assert list(refused.value.message_dict) == ["council_funded_weekly_hours"]
    assert not home.size_history.exists()


def test_the_size_class_comes_from_the_stored_hours_so_reading_them_back_never_changes_it(home):
    """999.995 hours is stored as 1,000.00 (to the hundredth, halves up): Medium, not Small."""
    recorded = enrolment.set_council_funded_hours(home, "999.995", "test", dt.date(2026, 4, 1))
    home.refresh_from_db()
    assert home.council_funded_weekly_hours == Decimal("1000.00")
    assert recorded.size == enrolment.provider_size(home)[0].value == "medium"
    assert enrolment.set_council_funded_hours(home, home.council_funded_weekly_hours, "test") is None
