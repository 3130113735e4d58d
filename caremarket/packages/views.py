"""The care package record: the list, the package and why it was awarded, its changes and
funding, and the queue of changes waiting for a second person's approval."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from caremarket.accounts.permissions import can, for_council, get_visible_or_404, require, visible
from caremarket.citizens.access_log import record_access
from caremarket.citizens.anonymise import age_band, age_on
from caremarket.citizens.models import RecordAccess
from caremarket.core import clock
from caremarket.core.money import to_pounds
from caremarket.govuk.lists import Column, csv_download, page_of, wants_csv

from . import changes, services
from .filters import CarePackageFilter
from .forms import ChangeForm, DecisionForm
from .models import CarePackage, PackageChange

# --- the package record (the council, and the provider awarded it) ----------------------------


PACKAGE_COLUMNS = [
    Column("Package", lambda p: p.reference),
    Column("Requirement", lambda p: p.requirement.reference),
    Column("Provider", lambda p: p.organisation.name),
    Column("Type of care", lambda p: p.requirement.service_type.name),
    Column("Area", lambda p: p.requirement.area.name),
    Column("How it was placed", lambda p: p.get_route_display()),
    Column("Weekly price (£)", lambda p: to_pounds(p.weekly_price_pence)),
    Column("Hours a week", lambda p: p.weekly_hours or ""),
    Column("Starts", lambda p: p.start_on),
    Column("Ended", lambda p: p.end_on or ""),
    Column("Status", lambda p: p.get_status_display()),
]


@login_required
def care_packages(request):
    require(request.user, "view_care_packages")
    packages = visible(CarePackage.objects.select_related(
        "organisation", "council", "requirement__service_type", "requirement__area", "requirement__citizen"),
        request.user)
    found = CarePackageFilter(request.GET, packages, request=request)
    if wants_csv(request):
        return csv_download(found.qs, PACKAGE_COLUMNS, "care-packages.csv")
    page = page_of(request, found.qs)
    if found.council_view:
        record_access(request, [package.requirement.citizen_id for package in page], kind=RecordAccess.Kind.LIST)
    return render(request, "packages/list.html", {"filter": found, "page": page, "council_view": found.council_view})


@login_required
def care_package(request, pk):
    require(request.user, "view_care_packages")
    package = get_visible_or_404(CarePackage.objects.select_related(
        "organisation", "location", "requirement__service_type", "requirement__area", "awarded_by"),
        request.user, pk=pk)
    council_view = can(request.user, "view_brokerage")
    ranked = package.decision.get("ranked", [])
    if not council_view:  # a provider sees its own offer's evaluation, never the others' prices
        ranked = [item for item in ranked if item["offer"] == str(package.offer_id)]
    else:
        record_access(request, [package.requirement.citizen_id], kind=RecordAccess.Kind.RECORD)
    return render(request, "packages/package.html", {
        "package": package, "requirement": package.requirement if council_view else None,
        "anonymous": _as_the_provider_sees_it(package.requirement), "decision": package.decision, "ranked": ranked,
        "why": package.decision.get("reason") or package.decision.get("routing", ""),
    })


def _as_the_provider_sees_it(requirement) -> dict:
    """The requirement in a provider's terms (citizens.anonymise): never a name or a birth date."""
    return {"reference": requirement.reference, "service_type": requirement.service_type.name,
            "area": requirement.area.name, "age_band": age_band(age_on(requirement.citizen.date_of_birth, clock.today()))}


# --- a care package's changes -----------------------------------------------------------------

@login_required
def package_changes(request, pk):
    require(request.user, "view_care_packages")
    package = get_visible_or_404(CarePackage.objects.select_related("organisation", "requirement__service_type"),
                                 request.user, pk=pk)
    may_request = can(request.user, "request_package_changes")
    form = ChangeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        require(request.user, "request_package_changes")
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.request_change(
                    package, request.user, kind=data["kind"], effective_from=data["effective_from"],
                    effective_to=data["effective_to"], weekly_hours=data["weekly_hours"],
                    weekly_price_pence=data["weekly_price"], end_cause=data["end_cause"], reason=data["reason"])
            except ValidationError as error:
                form.add_service_errors(error, {"weekly_price_pence": "weekly_price"})
            else:
                messages.success(request, "The change was requested. Someone else approves it before it is paid.")
                return redirect("package-changes", pk=package.pk)
    return render(request, "packages/changes.html", {
        "package": package, "changes": package.changes.select_related("requested_by", "decided_by"),
        "form": form if may_request else None, "funding": getattr(package, "funding", None),
    })


@login_required
def changes_waiting(request):
    require(request.user, "approve_package_changes")
    waiting = (for_council(PackageChange.objects, request.user).filter(status=PackageChange.Status.PROPOSED)
               .select_related("package__organisation", "requested_by").order_by("requested_at", "pk"))
    return render(request, "packages/changes_waiting.html", {"page": page_of(request, waiting)})


@login_required
def decide_package_change(request, pk):
    """Check a requested change (what it does to payments, and what is unusual), then decide it."""
    require(request.user, "approve_package_changes")
    change = get_object_or_404(for_council(PackageChange.objects, request.user)
                               .select_related("package__organisation", "requested_by"), pk=pk)
    package = change.package
    warnings = changes.approval_warnings(kind=change.kind, effective_from=change.effective_from, today=clock.today(),
                                         weekly_price_pence=change.weekly_price_pence,
                                         current_weekly_pence=package.weekly_price_pence)
    form = DecisionForm(request.POST if request.method == "POST" else None, warnings=warnings)
    if request.method == "POST" and form.is_valid():
        try:
            services.decide_change(change, request.user, approve=form.cleaned_data["decision"] == "approve",
                                   reason=form.cleaned_data["reason"])
        except (ValidationError, PermissionDenied) as problem:
            messages.error(request, problem.messages[0] if isinstance(problem, ValidationError) else str(problem))
        else:
            change.refresh_from_db()
            messages.success(request, f"{change}: {change.get_status_display().lower()}")
        return redirect("package-changes-waiting")
    return render(request, "packages/decide.html", {"change": change, "package": package, "form": form,
                                                    "warnings": warnings})
