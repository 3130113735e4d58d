from dataclasses import fields

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from caremarket.accounts.permissions import can, for_council, get_visible_or_404, require, visible
from caremarket.audit.trail import record
from caremarket.core import clock, csv_out
from caremarket.geography.models import Area
from caremarket.govuk.lists import Column, csv_download, page_of, wants_csv
from caremarket.core.cleaning import whole_number
from caremarket.organisations.councils import first_council
from caremarket.organisations.models import CareLocation, Organisation
from caremarket.reference.models import NeedGroup, ServiceType

from . import services
from .filters import InspectionRequestFilter
from .forms import (
    ActionForm,
    AssignedInspectionForm,
    AssignInspectionForm,
    ChallengeDecisionForm,
    ChallengeForm,
    FalsifiedForm,
    FeedbackForm,
    InspectionForm,
    IntelligenceForm,
    PqasForm,
)
from .models import FocussedInspectionRequest, ImprovementPlan, PqasSubmission, RatingChallenge, Toolkit
from .publication import RATING_CHOICES, PublishedService, describe, published_locations, published_services
from .ratings import Rating
from .tasks import email_inspection_assigned


def _filters(request) -> dict:
    return {key: request.GET.get(key, "").strip() for key in ("area", "service_type", "need_group", "name", "rating")}


def _council(request) -> int:
    """Whose ratings: the council asked for (``council``), else the install's first."""
    councils = Organisation.objects.filter(kind=Organisation.Kind.COUNCIL)
    asked = whole_number(request.GET.get("council", ""))
    if asked is not None and councils.filter(pk=asked).exists():
        return asked
    return first_council()


def public_ratings(request):
    """Open to everyone: the ratings citizens use to choose, each council's own."""
    chosen, council = _filters(request), _council(request)
    page = page_of(request, published_locations(council=council, **chosen))
    councils = list(Organisation.objects.filter(kind=Organisation.Kind.COUNCIL).order_by("name"))
    return render(request, "quality/public_ratings.html", {
        "page": page, "services": describe(page.object_list, council, clock.today()), "chosen": chosen,
        "council": council, "councils": councils if len(councils) > 1 else [],
        "ratings": RATING_CHOICES,
        "areas": Area.objects.all(), "service_types": ServiceType.objects.filter(is_active=True),
        "need_groups": NeedGroup.objects.filter(is_active=True),
    })


def public_ratings_csv(request):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="care-provider-ratings.csv"'
    writer = csv_out.writer(response)
    names = [f.name for f in fields(PublishedService)]
    writer.writerow(names)
    for service in published_services(council=_council(request), **_filters(request), today=clock.today()):
        row = service.as_json()
        row["council_rating_reasons"] = " | ".join(row["council_rating_reasons"])
        writer.writerow(["" if row[name] is None else row[name] for name in names])
    return response


def public_ratings_json(request):
    services = published_services(council=_council(request), **_filters(request), today=clock.today())
    return JsonResponse({"published": clock.today().isoformat(), "services": [s.as_json() for s in services]})


# --- a service's quality record (council staff, and the provider for its own services) --------

def _service(request, pk) -> CareLocation:
    return get_visible_or_404(CareLocation.objects.select_related("organisation", "area"), request.user, pk=pk)


def _provider_of(request, location) -> bool:
    return can(request.user, "enrol") and request.user.organisation_id == location.organisation_id


def _own_service(request, pk, refusal: str) -> CareLocation:
    """A service of the provider the person administers; anyone else is refused."""
    location = _service(request, pk)
    if not _provider_of(request, location):
        raise PermissionDenied(refusal)
    return location


def _councils(request, queryset):
    """A council's staff see what their own council's rating system holds (and what is national);
    the provider sees what each council it works with holds of its service."""
    return for_council(queryset, request.user) if request.user.is_council else queryset


@login_required
def service_quality(request, pk, forms_in_error=None):
    location = _service(request, pk)
    ratings = _councils(request, location.ratings.select_related("council"))
    current = list(ratings.filter(is_current=True).order_by("council__name"))
    toolkit = Toolkit.objects.first()
    forms_in_error = forms_in_error or {}
    may_record = can(request.user, "record_quality_evidence")
    is_provider = _provider_of(request, location)
    rating_councils = services.councils_rating(location) if is_provider else None
    context = {
        "location": location, "current": current, "history": ratings,
        "several_councils": len({r.council_id for r in ratings}) > 1,
        "inspections": _councils(request, location.inspections.select_related("toolkit", "council")),
        "statements": _councils(request, location.pqas.select_related("council")),
        "intelligence": location.intelligence.all() if request.user.is_council else [],
        "requests": _councils(request, location.focussed_inspection_requests.select_related("assessor")),
        "plans": _councils(request, location.improvement_plans.prefetch_related("actions")),
        "challenges": _councils(request, RatingChallenge.objects.filter(rating__location=location)
                                .select_related("rating__council")),
        "may_record": may_record, "is_provider": is_provider, "may_assign": can(request.user, "assign_inspections"),
        "may_decide": can(request.user, "decide_applications"),
        "inspection_form": forms_in_error.get("inspection") or (
            InspectionForm(standards=toolkit.standards) if may_record else None),
        "intelligence_form": forms_in_error.get("intelligence") or (IntelligenceForm() if request.user.is_council else None),
        "pqas_form": forms_in_error.get("pqas") or (PqasForm(councils=rating_councils) if is_provider else None),
        "challenge_form": forms_in_error.get("challenge") or (
            ChallengeForm(councils=[r.council_id for r in current]) if is_provider and current else None),
        "action_form": forms_in_error.get("action") or (ActionForm() if is_provider else None),
        "decision_form": forms_in_error.get("decision") or ChallengeDecisionForm(),
        "falsified_form": forms_in_error.get("falsified") or (FalsifiedForm() if may_record else None),
        "feedback_form": forms_in_error.get("feedback") or (FeedbackForm() if request.user.is_council else None),
        "feedback": _councils(request, location.feedback.all())[:20],
        "toolkit": toolkit,
    }
    return render(request, "quality/service.html", context, status=400 if forms_in_error else 200)


def _post(request, location, form, name, action):
    """Handle one of the service page's forms: on success back to the page, else the page with errors."""
    if form.is_valid():
        try:
            message = action(location, form)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, message)
            return redirect("service-quality", pk=location.pk)
    return service_quality(request, location.pk, forms_in_error={name: form})


@login_required
@require_POST
def record_inspection_view(request, pk):
    require(request.user, "record_quality_evidence")
    location = _service(request, pk)
    form = InspectionForm(request.POST, standards=Toolkit.objects.first().standards)

    def act(location, form):
        services.record_inspection(location, request.user, source=form.cleaned_data["source"],
                                   kind=form.cleaned_data["kind"], outcome=form.cleaned_data["outcome"],
                                   on=form.cleaned_data["inspected_on"], scores=form.scores())
        return "Inspection recorded and the rating worked out again"
    return _post(request, location, form, "inspection", act)


@login_required
@require_POST
def record_intelligence_view(request, pk):
    if not request.user.is_council:
        raise PermissionDenied("Only council staff record intelligence")
    location = _service(request, pk)
    form = IntelligenceForm(request.POST)

    def act(location, form):
        services.record_intelligence(location, request.user, kind=form.cleaned_data["kind"],
                                     on=form.cleaned_data["occurred_on"], description=form.cleaned_data["description"])
        return "Intelligence recorded"
    return _post(request, location, form, "intelligence", act)


@login_required
@require_POST
def submit_pqas_view(request, pk):
    location = _own_service(request, pk, "Only the provider submits its quality assurance statement")
    form = PqasForm(request.POST, councils=services.councils_rating(location))

    def act(location, form):
        services.submit_pqas(location, request.user, self_rating=Rating(form.cleaned_data["self_rating"]),
                             statement=form.cleaned_data["statement"], on=clock.today(),
                             council=form.cleaned_data["council"])
        return "Your quality assurance statement has been submitted"
    return _post(request, location, form, "pqas", act)


@login_required
@require_POST
def challenge_view(request, pk):
    location = _own_service(request, pk, "Only the provider can challenge its rating")
    form = ChallengeForm(request.POST, councils=location.ratings.filter(is_current=True).values("council"))

    def act(location, form):
        rating = location.ratings.filter(is_current=True, council=form.cleaned_data["council"]).first()
        if rating is None:
            raise ValidationError("There is no rating to challenge")
        services.challenge_rating(rating, request.user, grounds=form.cleaned_data["grounds"], on=clock.today())
        return "Your challenge has been sent to the council"
    return _post(request, location, form, "challenge", act)


@login_required
@require_POST
def decide_challenge_view(request, pk, challenge_pk):
    require(request.user, "decide_applications")
    location = _service(request, pk)
    challenge = get_object_or_404(for_council(RatingChallenge.objects, request.user), pk=challenge_pk,
                                  rating__location=location, outcome="pending")
    form = ChallengeDecisionForm(request.POST)

    def act(location, form):
        services.decide_challenge(challenge, request.user, upheld=form.cleaned_data["decision"] == "upheld",
                                  reason=form.cleaned_data["reason"], on=clock.today())
        return "Decision on the challenge recorded"
    return _post(request, location, form, "decision", act)


@login_required
@require_POST
def add_action_view(request, pk, plan_pk):
    location = _own_service(request, pk, "Only the provider adds actions to its improvement plan")
    plan = get_object_or_404(ImprovementPlan, pk=plan_pk, location=location, status="open")
    form = ActionForm(request.POST)

    def act(location, form):
        with transaction.atomic():
            action = plan.actions.create(description=form.cleaned_data["description"],
                                         due_on=form.cleaned_data["due_on"])
            record(request.user, "improvement_action.added", plan, after={"action": action.description,
                                                                          "due_on": action.due_on.isoformat()})
        return "Action added to the improvement plan"
    return _post(request, location, form, "action", act)


@login_required
@require_POST
def request_reinspection_view(request, pk, plan_pk):
    location = _own_service(request, pk, "Only the provider asks for a re-inspection")
    plan = get_object_or_404(ImprovementPlan, pk=plan_pk, location=location, status="open")
    with transaction.atomic():
        plan.reinspection_requested_on = clock.today()
        plan.save(update_fields=["reinspection_requested_on"])
        record(request.user, "improvement_plan.reinspection_requested", plan)
    messages.success(request, "The council has been asked to re-inspect")
    return redirect("service-quality", pk=location.pk)


@login_required
@require_POST
def complete_plan_view(request, pk, plan_pk):
    require(request.user, "record_quality_evidence")
    location = _service(request, pk)
    plan = get_object_or_404(for_council(ImprovementPlan.objects, request.user), pk=plan_pk, location=location,
                             status="open")
    rating = services.complete_improvement_plan(plan, request.user, on=clock.today())
    messages.success(request, f"Improvement plan completed; the service is now rated {rating.label}")
    return redirect("service-quality", pk=location.pk)


@login_required
@require_POST
def pqas_falsified_view(request, pk, pqas_pk):
    require(request.user, "record_quality_evidence")
    location = _service(request, pk)
    pqas = get_object_or_404(for_council(PqasSubmission.objects, request.user), pk=pqas_pk, location=location,
                             falsified=False)
    form = FalsifiedForm(request.POST)

    def act(location, form):
        rating = services.mark_pqas_falsified(pqas, request.user, reason=form.cleaned_data["reason"])
        return f"Recorded as a breach of contract; the service is rated {rating.label}"
    return _post(request, location, form, "falsified", act)


@login_required
@require_POST
def record_feedback_view(request, pk):
    if not request.user.is_council:
        raise PermissionDenied("Only council staff record feedback")
    location = _service(request, pk)
    form = FeedbackForm(request.POST)

    def act(location, form):
        services.record_feedback(location, request.user, **form.cleaned_data)
        return "Feedback recorded"
    return _post(request, location, form, "feedback", act)


# --- inspections the council has called for, and those it gives to independent assessors ------

def _may_see_inspections(user) -> None:
    if not (can(user, "assign_inspections") or can(user, "record_assigned_inspections")):
        raise PermissionDenied("Only the quality team and independent quality assessors see inspections called for")


INSPECTION_COLUMNS = [
    Column("Service", lambda r: r.location.name),
    Column("Provider", lambda r: r.location.organisation.name),
    Column("Kind", lambda r: r.get_kind_display()),
    Column("Called for on", lambda r: r.raised_on.isoformat()),
    Column("Why", lambda r: "; ".join(r.reasons)),
    Column("Given to", lambda r: r.assessor.name if r.assessor else ""),
    Column("Inspect by", lambda r: r.due_on.isoformat() if r.due_on else ""),
    Column("Inspected on", lambda r: r.closed_on.isoformat() if r.closed_on else ""),
]


@login_required
def inspection_list(request):
    """The quality team: every inspection called for, to give to assessors. An assessor: its own."""
    _may_see_inspections(request.user)
    found = InspectionRequestFilter(request.GET, visible(FocussedInspectionRequest.objects.select_related(
        "location__organisation", "assessor").order_by("due_on", "raised_on", "pk"), request.user), request=request)
    if wants_csv(request):
        return csv_download(found.qs, INSPECTION_COLUMNS, "inspections.csv")
    return render(request, "quality/inspections.html", {
        "filter": found, "page": page_of(request, found.qs), "today": clock.today(),
        "may_assign": can(request.user, "assign_inspections")})


@login_required
def inspection_request(request, pk):
    """One inspection called for: the quality team gives it to an assessor; the assessor records it."""
    _may_see_inspections(request.user)
    called = get_visible_or_404(FocussedInspectionRequest.objects.select_related(
        "location__organisation", "location__area", "assessor"), request.user, pk=pk)
    waiting = called.closed_on is None
    assign_form = record_form = None
    if waiting and can(request.user, "assign_inspections"):
        assign_form = AssignInspectionForm(request.POST or None, initial={
            "assessor": called.assessor, "due_on": called.due_on})
    if waiting and can(request.user, "record_assigned_inspections"):
        record_form = AssignedInspectionForm(request.POST or None, standards=Toolkit.objects.first().standards)
    form = assign_form or record_form
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            if form is assign_form:
                services.assign_inspection(called, request.user, assessor=form.cleaned_data["assessor"],
                                           due_on=form.cleaned_data["due_on"])
                transaction.on_commit(lambda: email_inspection_assigned.enqueue(called.pk))
                done = f"The inspection is given to {form.cleaned_data['assessor']}, who has been told"
            else:
                services.record_assigned_inspection(called, request.user, outcome=form.cleaned_data["outcome"],
                                                    on=form.cleaned_data["inspected_on"], scores=form.scores())
                done = "Inspection recorded: the council has the outcome and the service's rating is worked out again"
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, done)
            return redirect("inspection-request", pk=called.pk)
    elif request.method == "POST" and form is None:
        raise PermissionDenied("There is nothing to do to this inspection")
    return render(request, "quality/inspection_request.html", {
        "called": called, "service": describe([called.location], called.council_id, clock.today())[0],
        "today": clock.today(),
        "assign_form": assign_form, "record_form": record_form, "toolkit": Toolkit.objects.first()},
        status=400 if form is not None and form.errors else 200)
