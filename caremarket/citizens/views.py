from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Subquery
from django.shortcuts import get_object_or_404, redirect, render

from caremarket.accounts.permissions import for_council, require, visible
from caremarket.core import clock
from caremarket.govuk.lists import Column, csv_download, page_of, wants_csv

from caremarket.audit.reading import changes
from caremarket.reference.models import NeedGroup

from . import intake
from .access_log import record_access
from .filters import AccessLogFilter, CitizenFilter
from .forms import DecideChangeForm
from .models import Assessment, Citizen, RecordAccess, WaitingChange


@login_required
def citizen_list(request):
    """No download here: a file of citizens' names and records could be passed on unseen."""
    require(request.user, "view_citizens")
    latest = Assessment.objects.filter(citizen=OuterRef("pk")).order_by("-assessed_on", "-pk")
    citizens = visible(Citizen.objects.select_related("ward__area"), request.user).annotate(
        latest_status=Subquery(latest.values("status")[:1]),
        latest_assessed_on=Subquery(latest.values("assessed_on")[:1]))
    found = CitizenFilter(request.GET, citizens, request=request)
    page = page_of(request, found.qs)
    record_access(request, page.object_list, kind=RecordAccess.Kind.LIST)
    statuses, today = dict(Assessment.Status.choices), clock.today()
    for citizen in page:  # where their latest assessment stands, and how long they have waited for a service
        citizen.status = statuses.get(citizen.latest_status, "Not assessed")
        citizen.days_waiting = ((today - citizen.latest_assessed_on).days
                                if citizen.latest_status == Assessment.Status.AWAITING_SERVICE else None)
    return render(request, "citizens/list.html", {"filter": found, "page": page})


ACCESS_COLUMNS = [
    Column("When", lambda a: clock.local(a.at).isoformat(timespec="seconds")),
    Column("Person", lambda a: a.person.username),
    Column("Role", lambda a: a.role),
    Column("What they saw", lambda a: a.get_kind_display() + (" (API)" if a.via_api else "")),
    Column("Where", lambda a: a.where),
    Column("Citizens shown", lambda a: " ".join(c.reference for c in a.citizens.all())),
]


@login_required
def access_log(request):
    """For the council's data protection officer: who looked at citizens' records."""
    require(request.user, "view_access_log")
    found = AccessLogFilter(request.GET, for_council(RecordAccess.objects, request.user).select_related("person")
                            .prefetch_related("citizens"),
                            request=request)
    if wants_csv(request):
        return csv_download(found.qs, ACCESS_COLUMNS, "citizen-record-access-log.csv")
    return render(request, "citizens/access_log.html", {"filter": found, "page": page_of(request, found.qs)})


@login_required
def changes_waiting(request):
    """Changes from the client record system to assessments that care has been arranged from
    since: each waits for a person to accept or reject it, oldest first."""
    require(request.user, "decide_client_record_changes")
    waiting = (for_council(WaitingChange.objects, request.user).filter(decided_at__isnull=True)
               .select_related("assessment__citizen", "assessment__service_type").order_by("received_at", "pk"))
    page = page_of(request, waiting)
    record_access(request, [change.assessment.citizen for change in page], kind=RecordAccess.Kind.LIST)
    return render(request, "citizens/changes_waiting.html", {"page": page})


@login_required
def decide_change(request, pk):
    require(request.user, "decide_client_record_changes")
    waiting = get_object_or_404(for_council(WaitingChange.objects, request.user).select_related("assessment__citizen"),
                                pk=pk)
    assessment = waiting.assessment
    now = {name: getattr(assessment, name) for name in waiting.values if name != "need_group_ids"}
    if "need_group_ids" in waiting.values:
        now["need_group_ids"] = sorted(assessment.need_groups.values_list("pk", flat=True))
    rows = changes(_named_groups(now), _named_groups(waiting.values), object_type="citizens.assessment")
    form = DecideChangeForm(request.POST if request.method == "POST" and waiting.decided_at is None else None)
    if form.is_bound and form.is_valid():
        try:
            intake.decide(waiting, request.user, accept=form.cleaned_data["decision"] == "accept",
                          reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "The change was accepted and written to the assessment"
                             if form.cleaned_data["decision"] == "accept" else "The change was rejected")
            return redirect("changes-waiting")
    record_access(request, [assessment.citizen], kind=RecordAccess.Kind.RECORD)
    return render(request, "citizens/decide_change.html", {
        "waiting": waiting, "assessment": assessment, "rows": rows, "form": form,
        "requirements": assessment.requirements.exclude(status="cancelled")})


def _named_groups(values: dict) -> dict:
    """Need groups by name, for a person to read."""
    if "need_group_ids" not in values:
        return values
    names = dict(NeedGroup.objects.values_list("pk", "name"))
    shown = {key: value for key, value in values.items() if key != "need_group_ids"}
    shown["need_groups"] = "; ".join(names.get(pk, "") for pk in values["need_group_ids"])
    return shown
