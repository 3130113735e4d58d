"""Enrolment: a provider applies for framework sections, is assessed, and a commissioner decides.

The automatic assessment (framework.entry) is stored beside the application and may be run
again as evidence changes; the commissioner's decision is stored separately and is never
replaced by it. Every step that changes something is recorded in the audit trail.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction

from caremarket.audit.trail import record, snapshot
from caremarket.core import cleaning, clock
from caremarket.organisations.models import Organisation
from caremarket.quality.models import Inspection
from caremarket.quality.ratings import Source

from . import entry, evidence_files
from .councils import check_not_barred
from .models import Application, ComplianceDocument, EntryCriterion, Section, SectionApproval, SizeClassRecord
from .sizes import LOT_LIMITS, Size, size_for

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# What an uploaded file's first bytes must be: evidence is PDF or an image, nothing that runs.


# --- the provider's side -------------------------------------------------------------------

def draft_for(organisation: Organisation, framework, actor) -> Application:
    """The organisation's draft application, started (and audited) if it has none; refused where
    the framework's council has barred the organisation."""
    check_not_barred(organisation, framework)
    with transaction.atomic():
        application, created = Application.objects.get_or_create(organisation=organisation, framework=framework,
                                                                 status=Application.Status.DRAFT)
        if created:
            record(actor, "application.started", application, reason=f"Applying to join {framework}")
    return application


def _approved_count(section: Section) -> int:
    return section.approvals.exclude(status=SectionApproval.Status.REMOVED).count()


def provider_size(organisation: Organisation) -> tuple[Size, str]:
    """Home-support size: a provider with no council-funded hours is new to the council."""
    hours = organisation.council_funded_weekly_hours
    return size_for(hours, new_to_council=not hours)


def check_sections(application: Application, sections: list[Section], as_of: dt.date) -> list[str]:
    """Why these sections cannot be applied for (an empty list when they can)."""
    problems = []
    framework = application.framework
    approved = set(SectionApproval.objects.filter(organisation=application.organisation)
                   .values_list("section_id", flat=True))
    for section in sections:
        if section.framework_id != framework.pk:
            problems.append(f"{section} is not part of {framework}")
        elif section.pk in approved:
            continue  # already on it
        elif not section.open_to_new_entrants and as_of > framework.initial_procurement_closes_on:
            problems.append(f"{section} has been closed to new providers since "
                            f"{framework.initial_procurement_closes_on:%d %B %Y}")
        elif section.max_providers is not None and _approved_count(section) >= section.max_providers:
            problems.append(f"{section} takes at most {section.max_providers} provider"
                            f"{'s' if section.max_providers != 1 else ''} and is full")
    lots = [s for s in sections if s.service_type.is_home_support and s.area_id]
    if lots:
        size, _ = provider_size(application.organisation)
        limit = LOT_LIMITS[size].may_apply_for
        if len(lots) > limit:
            problems.append(f"A {size.value} home-support provider may apply for at most {limit} area lots, "
                            f"not {len(lots)}")
    return problems


def choose_sections(application: Application, sections: list[Section], actor) -> None:
    _require_draft(application)
    problems = check_sections(application, sections, clock.today())
    if problems:
        raise ValidationError({"sections": problems})
    with transaction.atomic():
        before = snapshot(application)
        application.sections.set(sections)
        record(actor, "application.sections_chosen", application, before=before)


def check_upload(uploaded, kind: str | None, document_type, expires_on: dt.date | None,
                 as_of: dt.date) -> list[tuple[str, str]]:
    """(field, problem) for what is wrong with an uploaded piece of evidence, whose kind
    evidence_files found (None: not a PDF or image that opens)."""
    problems = []
    if uploaded is None:
        problems.append(("file", "Choose a file to upload"))
    elif uploaded.size > MAX_UPLOAD_BYTES:
        problems.append(("file", f"The file must be smaller than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB"))
    elif kind is None:
        problems.append(("file", "The file must be a PDF, PNG or JPEG that opens: this one is not, or is damaged"))
    if document_type.has_expiry and expires_on is None:
        problems.append(("expires_on", f"Enter the date the {document_type.name.lower()} expires"))
    if expires_on is not None and expires_on < as_of:
        problems.append(("expires_on", f"The {document_type.name.lower()} has already expired "
                                       f"({expires_on:%d %B %Y}): upload a current one"))
    return problems


def upload_document(organisation, document_type, uploaded, expires_on, actor) -> ComplianceDocument:
    too_big = uploaded is None or uploaded.size > MAX_UPLOAD_BYTES
    kind = None if too_big else evidence_files.kind_of(uploaded)
    problems = check_upload(uploaded, kind, document_type, expires_on, clock.today())
    if problems:
        errors: dict[str, list[str]] = {}
        for field, message in problems:
            errors.setdefault(field, []).append(message)
        raise ValidationError(errors)
    with transaction.atomic():
        document = ComplianceDocument(organisation=organisation, document_type=document_type,
                                      original_name=cleaning.without_controls(uploaded.name)[:200],
                                      expires_on=expires_on, uploaded_by=actor if getattr(actor, "pk", None) else None)
        # Stored under a name of ours with the extension of the kind found, never the one sent.
        document.file.save(f"{document_type.code}.{evidence_files.EXTENSIONS[kind]}", uploaded, save=False)
        document.save()
        record(actor, "compliance_document.uploaded", document)
    return document


# --- assessment ----------------------------------------------------------------------------

def _criteria() -> list[entry.Criterion]:
    return [entry.Criterion(c.code, c.name, c.kind, frozenset(c.settings),
                            c.document_type.code if c.document_type else "", c.nursing_only)
            for c in EntryCriterion.objects.filter(is_active=True).select_related("document_type")]


def _evidence(location, source: Source, outcome: str, on: dt.date) -> entry.RatingEvidence:
    """A location's rating, with the settings it delivers: a care home delivers bed-based care;
    any other registered location (an agency's office) home support and supported living."""
    settings = frozenset({"bed_based"}) if location.is_care_home else frozenset({"home", "supported_living"})
    return entry.RatingEvidence(source, outcome, on, settings=settings,
                                nursing_home=location.is_care_home and location.has_nursing, location=location.name)


def applicant_for(application: Application) -> entry.Applicant:
    organisation = application.organisation
    locations = list(organisation.locations.all())
    by_pk = {l.pk: l for l in locations}
    ratings = [_evidence(l, Source.CQC, l.cqc_rating, l.cqc_rating_published_on)
               for l in locations if l.cqc_rating and l.cqc_rating_published_on]
    ratings += [_evidence(by_pk[i.location_id], Source(i.source), i.outcome, i.inspected_on)
                for i in Inspection.objects.filter(location__organisation=organisation, kind=Inspection.Kind.FULL)
                .exclude(source=Source.CQC)]
    documents = [entry.Document(d.document_type.code, d.expires_on, d.verified_at is not None)
                 for d in organisation.compliance_documents.select_related("document_type")]
    return entry.Applicant(
        settings=frozenset(application.sections.values_list("service_type__setting", flat=True)),
        has_nursing=any(l.has_nursing for l in locations),
        ratings=tuple(ratings), documents=tuple(documents), declarations=application.declarations,
    )


def assess(application: Application, actor) -> entry.Result:
    """Run the automatic assessment and store it; a commissioner's decision is left as it is."""
    overall, assessments = entry.assess(_criteria(), applicant_for(application), clock.today())
    with transaction.atomic():
        before = {"result": application.assessed_result, "assessment": application.assessment}
        application.assessed_result = overall.name.lower()
        application.assessment = [{"code": a.code, "name": a.name, "result": a.result.name.lower(),
                                   "label": a.result.label, "reason": a.reason} for a in assessments]
        application.assessed_at = clock.now()
        application.save(update_fields=["assessed_result", "assessment", "assessed_at"])
        if before["assessment"] != application.assessment:
            record(actor, "application.assessed", application, before=before,
                   after={"result": application.assessed_result, "assessment": application.assessment},
                   reason=f"Automatic assessment: {overall.label}")
    return overall


def missing_steps(application: Application) -> list[str]:
    steps = []
    if not application.chosen_sections.exists():
        steps.append("Choose the sections you are applying for")
    declarations = EntryCriterion.objects.filter(kind=EntryCriterion.Kind.DECLARATION, is_active=True)
    if any(not (application.declarations.get(c.code) or "").strip() for c in declarations):
        steps.append("Make the declarations")
    if not (application.bank_account_name and application.bank_sort_code and application.bank_account_number):
        steps.append("Give your bank details")
    return steps


def submit(application: Application, actor) -> Application:
    _require_draft(application)
    check_not_barred(application.organisation, application.framework)
    missing = missing_steps(application)
    if missing:
        raise ValidationError(missing)
    with transaction.atomic():
        before = snapshot(application)
        application.status, application.submitted_at = Application.Status.SUBMITTED, clock.now()
        application.save(update_fields=["status", "submitted_at"])
        record(actor, "application.submitted", application, before=before)
        assess(application, actor)
    return application


def _require_draft(application: Application) -> None:
    if application.status != Application.Status.DRAFT:
        raise ValidationError(f"This application was {application.get_status_display().lower()} and can no "
                              "longer be changed")


# --- the commissioner's decision -----------------------------------------------------------

def decide(application: Application, actor, *, approve: bool, reason: str) -> Application:
    """Record a commissioner's decision. Approving creates the section approvals, within each
    section's limit on providers and the provider's lot limit; the automatic result is advice."""
    if application.status != Application.Status.SUBMITTED:
        raise ValidationError("Only a submitted application can be decided")
    if getattr(actor, "organisation_id", None) != application.council_id:
        raise ValidationError(f"Only {application.council} decides applications to {application.framework}")
    disagrees = (approve and application.assessed_result != "pass") or (
        not approve and application.assessed_result == "pass")
    if not reason.strip() and (disagrees or not approve):
        raise ValidationError({"reason": "Give the reason for this decision"})
    today = clock.today()
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        before = snapshot(application)
        if approve:
            _approve_sections(application, actor, today)
        application.status = Application.Status.APPROVED if approve else Application.Status.REJECTED
        application.decided_by, application.decided_at = actor, clock.now()
        application.decision_reason = reason.strip()
        application.save()
        record(actor, "application.approved" if approve else "application.rejected", application, before=before,
               reason=reason.strip() or f"Automatic assessment: {application.assessed_result}")
        if approve:
            from caremarket.quality.services import rerate_everywhere

            for location in application.organisation.locations.all():  # by each council that now tenders to it
                rerate_everywhere(location, actor, reason="joined the framework")
    return application


def _approve_sections(application: Application, actor, today: dt.date) -> None:
    sections = list(Section.objects.select_for_update(of=("self",)).filter(
        pk__in=application.sections.values("pk")).select_related("service_type").order_by("pk"))
    for section in sections:
        if section.max_providers is not None and _approved_count(section) >= section.max_providers:
            raise ValidationError(f"{section} already has its {section.max_providers} provider"
                                  f"{'s' if section.max_providers != 1 else ''}")
    lots = [s for s in sections if s.service_type.is_home_support and s.area_id]
    if lots:
        size, reason = provider_size(application.organisation)
        limit = LOT_LIMITS[size].may_be_awarded
        held = SectionApproval.objects.filter(organisation=application.organisation,
                                              section__service_type__is_home_support=True,
                                              section__area__isnull=False).exclude(section__in=lots).count()
        if held + len(lots) > limit:
            raise ValidationError(f"A {size.value} home-support provider may be awarded at most {limit} area "
                                  f"lot{'s' if limit != 1 else ''}; approve fewer sections")
        record_size(application.organisation, actor, today)
    for section in sections:
        approval, created = SectionApproval.objects.get_or_create(
            organisation=application.organisation, section=section, defaults={"approved_on": today})
        if created:
            record(actor, "section_approval.approved", approval, reason=f"Application {application.pk} approved")


def record_size(organisation: Organisation, actor, on: dt.date) -> SizeClassRecord | None:
    """Record the provider's size class when it differs from the last one recorded (history)."""
    size, reason = provider_size(organisation)
    last = organisation.size_history.first()
    if last and last.size == size.value and last.weekly_hours == organisation.council_funded_weekly_hours:
        return None
    entry_ = SizeClassRecord.objects.create(organisation=organisation, size=size.value, reason=reason,
                                            weekly_hours=organisation.council_funded_weekly_hours, effective_from=on)
    record(actor, "size_class.recorded", organisation, before={"size": last.size if last else None},
           after={"size": size.value, "weekly_hours": str(organisation.council_funded_weekly_hours)}, reason=reason)
    return entry_


MOST_WEEKLY_HOURS = Decimal("9999999.99")  # what the field holds


def _weekly_hours(value) -> Decimal:
    """Hours as they will be stored (to the hundredth, halves up), so that the size class is
    worked out from the stored figure and reading it back never changes it."""
    field = "council_funded_weekly_hours"
    try:
        hours = Decimal(str(value).strip())
    except InvalidOperation:
        hours = None
    if hours is None or not hours.is_finite():
        raise ValidationError({field: f"'{value}' is not a number of hours"})
    if hours < 0:
        raise ValidationError({field: "Hours cannot be negative"})
    if hours > MOST_WEEKLY_HOURS:
        raise ValidationError({field: f"Hours cannot be more than {MOST_WEEKLY_HOURS:,}"})
    return hours.quantize(Decimal("0.01"), ROUND_HALF_UP)


def set_council_funded_hours(organisation: Organisation, hours, actor, on: dt.date | None = None):
    """Record a change in the hours a provider delivers for the council, and its size class
    when that changes (Large > 2,000, Medium 1,000-2,000, Small < 1,000)."""
    hours = _weekly_hours(hours)
    with transaction.atomic():
        before = snapshot(organisation)
        organisation.council_funded_weekly_hours = hours
        organisation.save(update_fields=["council_funded_weekly_hours"])
        record(actor, "organisation.weekly_hours_changed", organisation, before=before)
        return record_size(organisation, actor, on or clock.today())
