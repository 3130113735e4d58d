"""Enrolment pages (a provider's task list) and the commissioner's decision pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from caremarket.accounts.permissions import can, get_visible_or_404, require, visible
from caremarket.audit.trail import record, snapshot
from caremarket.core import clock
from caremarket.core.redirects import to_own_path
from caremarket.cqc.importer import Report, refresh_services
from caremarket.cqc.models import RegisteredLocation
from caremarket.geography.lookups import area_for_postcode
from caremarket.geography.postcodes import PostcodeError
from caremarket.organisations.models import CareLocation

from . import councils, enrolment
from .forms import (
    BankDetailsForm, CompanyForm, DecisionForm, DeclarationsForm, DocumentForm, JoinForm, LocationForm, SectionsForm,
)
from .models import (
    Application, Barring, ComplianceDocument, DocumentType, EntryCriterion, Framework, FrameworkPartner, SectionApproval,
)


ENROLLING_FOR = "enrolling_for"  # in the session: the framework the provider is applying to


def _framework(request) -> Framework | None:
    """The framework the provider chose to apply to (from several councils' frameworks), else
    the one it last started an application to, else the first open to it."""
    organisation = request.user.organisation
    frameworks = councils.open_to_applications().exclude(council__in=councils.barring(organisation))
    chosen = request.session.get(ENROLLING_FOR) or organisation.applications.filter(
        status=Application.Status.DRAFT).order_by("-started_at").values_list("framework", flat=True).first()
    return (frameworks.filter(pk=chosen).first() if chosen else None) or frameworks.first()


def _application(request) -> Application:
    require(request.user, "enrol")
    framework = _framework(request)
    if framework is None:
        raise PermissionDenied("No council on this service has a framework open to applications")
    current = request.user.organisation.applications.filter(framework=framework).exclude(
        status=Application.Status.REJECTED).first()
    if current or request.method != "POST":  # reading a page stores nothing
        return current or Application(organisation=request.user.organisation, framework=framework)
    try:
        return enrolment.draft_for(request.user.organisation, framework, request.user)
    except ValidationError as refused:  # barred by the framework's council
        raise PermissionDenied(refused.messages[0]) from None


def _choose_framework(request) -> None:
    """A provider working for several councils picks whose framework to apply to; a council
    that has barred it says so, and nothing changes."""
    framework = councils.open_to_applications().filter(pk=request.GET.get("framework") or 0).first()
    if framework is None:
        messages.error(request, "Choose one of the frameworks listed")
        return
    try:
        councils.check_not_barred(request.user.organisation, framework)
    except ValidationError as refused:
        messages.error(request, refused.messages[0])
        return
    request.session[ENROLLING_FOR] = framework.pk


def _editable(request, application):
    if application.status != Application.Status.DRAFT:
        messages.error(request, "Your application has been submitted and can no longer be changed")
        return False
    return True


def _settings_applied_for(application) -> set[str]:
    chosen = set(application.chosen_sections.values_list("service_type__setting", flat=True))
    return chosen or {"home", "bed_based", "supported_living"}


def _tasks(application) -> list[dict]:
    organisation = application.organisation
    settings = _settings_applied_for(application)
    needed = [t for t in DocumentType.objects.all() if set(t.settings) & settings]
    held = set(organisation.compliance_documents.values_list("document_type_id", flat=True))
    declarations = EntryCriterion.objects.filter(kind="declaration", is_active=True)
    done = {
        "company": bool(organisation.address and organisation.postcode and organisation.email),
        "locations": organisation.locations.exists(),
        "sections": application.chosen_sections.exists(),
        "declarations": all((application.declarations.get(c.code) or "").strip() for c in declarations),
        "documents": all(t.pk in held for t in needed),
        "bank": bool(application.bank_account_name and application.bank_sort_code and application.bank_account_number),
    }
    names = [("company", "Company details"), ("locations", "CQC locations"), ("sections", "Sections"),
             ("declarations", "Declarations"), ("documents", "Documents"), ("bank", "Bank details")]
    return [{"key": key, "name": name, "done": done[key], "url": f"enrolment-{key}"} for key, name in names]


def _frameworks_open(organisation) -> list[dict]:
    """Each framework the provider could apply to, with its application's status there."""
    applied = dict(organisation.applications.exclude(status=Application.Status.REJECTED)
                   .values_list("framework_id", "status"))
    labels = dict(Application.Status.choices)
    barred_by = set(councils.barring(organisation))
    on = set(organisation.section_approvals.exclude(status=SectionApproval.Status.REMOVED)
             .values_list("section__framework", flat=True))

    def status(framework) -> str:
        if framework.council_id in barred_by:
            return "Barred by the council"
        if framework.pk in applied:
            return labels[applied[framework.pk]]
        return "On the framework" if framework.pk in on else "Not started"

    return [{"framework": framework, "barred": framework.council_id in barred_by, "status": status(framework)}
            for framework in councils.open_to_applications()]


@login_required
def overview(request):
    require(request.user, "enrol")
    if "framework" in request.GET:
        _choose_framework(request)
        return redirect("enrolment")
    application = _application(request)
    frameworks = _frameworks_open(request.user.organisation)
    return render(request, "framework/enrolment.html", {
        "application": application, "tasks": _tasks(application),
        "frameworks": frameworks if len(frameworks) > 1 else [],
        "approvals": application.organisation.section_approvals.select_related(
            "section__framework__council", "section__service_type", "section__area", "section__need_group"),
        "missing": enrolment.missing_steps(application) if application.status == "draft" else [],
    })


def _simple_step(request, form, template_title, on_valid):
    application = _application(request)
    if request.method == "POST" and _editable(request, application) and form.is_valid():
        with transaction.atomic():
            on_valid(application, form)
        messages.success(request, f"{template_title} saved")
        return redirect("enrolment")
    return render(request, "framework/step.html", {"form": form, "title": template_title,
                                                   "application": application})


@login_required
def company(request):
    organisation = request.user.organisation
    before = snapshot(organisation)
    form = CompanyForm(request.POST or None, instance=organisation)

    def save(application, form):
        form.save()
        record(request.user, "organisation.details_changed", organisation, before=before, reason="Enrolment")
    return _simple_step(request, form, "Company details", save)


@login_required
def bank(request):
    application = _application(request)
    before = snapshot(application)
    form = BankDetailsForm(request.POST or None, instance=application)

    def save(application, form):
        form.save()
        record(request.user, "application.bank_details_given", application, before=before)
    return _simple_step(request, form, "Bank details", save)


@login_required
def declarations(request):
    application = _application(request)
    criteria = EntryCriterion.objects.filter(kind="declaration", is_active=True)
    form = DeclarationsForm(request.POST or None, criteria=criteria, initial_answers=application.declarations)

    def save(application, form):
        before = snapshot(application)
        application.declarations = form.answers()
        application.save(update_fields=["declarations"])
        record(request.user, "application.declarations_made", application, before=before)
    return _simple_step(request, form, "Declarations", save)


@login_required
def sections(request):
    application = _application(request)
    form = SectionsForm(request.POST or None, framework=application.framework,
                        initial={"sections": application.chosen_sections})
    if request.method == "POST" and _editable(request, application) and form.is_valid():
        try:
            enrolment.choose_sections(application, list(form.cleaned_data["sections"]), request.user)
        except ValidationError as error:
            for message in error.message_dict["sections"]:
                form.add_error("sections", message)
        else:
            messages.success(request, "Sections saved")
            return redirect("enrolment")
    return render(request, "framework/step.html", {"form": form, "title": "Sections", "application": application})


@login_required
def locations(request):
    application = _application(request)
    organisation = request.user.organisation
    form = LocationForm(request.POST or None)
    if request.method == "POST" and _editable(request, application) and form.is_valid():
        location_id = form.cleaned_data["cqc_location_id"]
        entry = RegisteredLocation.objects.filter(location_id=location_id).first()
        if entry is None or entry.provider_id != organisation.cqc_provider_id:
            form.add_error("cqc_location_id", f"The CQC register has no location {location_id} for your CQC "
                                              f"provider ID ({organisation.cqc_provider_id or 'not given yet'})")
        elif CareLocation.objects.filter(cqc_location_id=location_id).exists():
            form.add_error("cqc_location_id", f"Location {location_id} has already been added")
        else:
            try:
                area = area_for_postcode(entry.postcode)
            except PostcodeError:
                area = None
            with transaction.atomic():
                location = CareLocation.objects.create(
                    organisation=organisation, cqc_location_id=entry.location_id, name=entry.name,
                    address=entry.address, postcode=entry.postcode, area=area, is_care_home=entry.is_care_home,
                    has_nursing="with nursing" in entry.service_types, beds=entry.beds,
                    registered_on=entry.registered_on, cqc_rating=entry.rating,
                    cqc_rating_published_on=entry.rating_published_on,
                    registration="registered" if entry.registered else "deregistered")
                record(request.user, "service.added", location, reason="Added from the CQC register at enrolment")
                refresh_services(Report(imported_ids={location_id}), request.user)  # its CQC rating as evidence
            messages.success(request, f"{entry.name} added")
            return redirect("enrolment-locations")
    return render(request, "framework/locations.html", {
        "form": form, "application": application, "locations": organisation.locations.select_related("area"),
        "register": RegisteredLocation.objects.filter(provider_id=organisation.cqc_provider_id).exclude(
            location_id__in=organisation.locations.values("cqc_location_id"))[:50]
        if organisation.cqc_provider_id else [],
    })


@login_required
def documents(request):
    application = _application(request)
    organisation = request.user.organisation
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            enrolment.upload_document(organisation, form.cleaned_data["document_type"], form.cleaned_data["file"],
                                      form.cleaned_data["expires_on"], request.user)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"{form.cleaned_data['document_type']} uploaded")
            return redirect("enrolment-documents")
    settings = _settings_applied_for(application)
    held = {}
    for document in organisation.compliance_documents.select_related("document_type"):
        held.setdefault(document.document_type_id, document)
    needed = [(t, held.get(t.pk)) for t in DocumentType.objects.all() if set(t.settings) & settings]
    return render(request, "framework/documents.html", {"form": form, "needed": needed, "application": application})


@login_required
@require_POST
def submit(request):
    application = _application(request)
    try:
        enrolment.submit(application, request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("enrolment")
    messages.success(request, "Your application has been submitted. The council will tell you its decision.")
    return redirect("enrolment")


@login_required
def document_file(request, pk):
    """A piece of evidence, only to its own organisation and to the council."""
    document = get_visible_or_404(ComplianceDocument, request.user, pk=pk)
    if not document.file:
        raise PermissionDenied("No file was uploaded")
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=document.original_name or None)


# --- commissioners -------------------------------------------------------------------------

@login_required
def framework_list(request):
    """The council's frameworks, the councils asked to join each, and the frameworks other
    councils have asked it to join, to agree to."""
    require(request.user, "decide_applications")
    council = request.user.organisation
    led = list(Framework.objects.filter(council=council).prefetch_related("partners__council"))
    for framework in led:
        framework.ask_form = JoinForm(framework=framework, auto_id=f"id_{framework.pk}_%s")
    return render(request, "framework/framework_list.html", {
        "led": led,
        "asked": FrameworkPartner.objects.filter(council=council).select_related("framework__council"),
        "barred": Barring.objects.filter(council=council, lifted_on__isnull=True).select_related("organisation"),
    })


@login_required
@require_POST
def ask_to_join(request, pk):
    require(request.user, "decide_applications")
    framework = get_visible_or_404(Framework.objects.filter(council=request.user.organisation_id), request.user, pk=pk)
    form = JoinForm(request.POST, framework=framework)
    if form.is_valid():
        councils.ask_to_join(framework, form.cleaned_data["council"], request.user)
        messages.success(request, f"{form.cleaned_data['council']} has been asked to join {framework}. Nothing is "
                                  "shared with it until it agrees.")
    else:
        messages.error(request, form.errors["council"][0])
    return redirect("framework-list")


@login_required
@require_POST
def agree_to_join(request, pk):
    require(request.user, "decide_applications")
    partner = get_object_or_404(FrameworkPartner.objects.select_related("framework"), pk=pk,
                                council=request.user.organisation_id)
    councils.agree_to_join(partner, request.user)
    messages.success(request, f"Your council has joined {partner.framework}: your care can be tendered under it")
    return redirect("framework-list")


@login_required
def application_list(request):
    require(request.user, "decide_applications")
    applications = visible(Application.objects.exclude(status=Application.Status.DRAFT), request.user).filter(
        council=request.user.organisation_id).select_related("organisation", "framework")
    status = request.GET.get("status", "submitted")
    if status in Application.Status.values:
        applications = applications.filter(status=status)
    return render(request, "framework/application_list.html", {
        "applications": applications.order_by("submitted_at"), "status": status,
        "statuses": [s for s in Application.Status.choices if s[0] != "draft"]})


@login_required
def application_detail(request, pk):
    require(request.user, "decide_applications")
    application = get_visible_or_404(  # its framework's council decides it; a joint framework's partners do not
        Application.objects.filter(council=request.user.organisation_id).select_related("organisation", "decided_by"),
        request.user, pk=pk)
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            enrolment.decide(application, request.user, approve=form.cleaned_data["decision"] == "approve",
                             reason=form.cleaned_data["reason"])
        except ValidationError as error:
            for message in error.message_dict.get("reason", []) if hasattr(error, "error_dict") else []:
                form.add_error("reason", message)
            if not hasattr(error, "error_dict"):
                form.add_error(None, error.messages[0])
        else:
            messages.success(request, f"Decision recorded for {application.organisation}")
            return redirect("application-list")
    return render(request, "framework/application_detail.html", {
        "application": application, "form": form,
        "documents": application.organisation.compliance_documents.select_related("document_type"),
        "may_verify": can(request.user, "verify_documents"),
    })


@login_required
@require_POST
def verify_document(request, pk):
    require(request.user, "verify_documents")
    document = get_visible_or_404(ComplianceDocument, request.user, pk=pk)
    with transaction.atomic():
        before = snapshot(document)
        document.verified_at, document.verified_by = clock.now(), request.user
        document.save(update_fields=["verified_at", "verified_by"])
        record(request.user, "compliance_document.verified", document, before=before)
        for application in document.organisation.applications.filter(status=Application.Status.SUBMITTED):
            enrolment.assess(application, request.user)
    messages.success(request, f"{document.document_type} marked as checked")
    return to_own_path(request, request.POST.get("next"), "application-list")

