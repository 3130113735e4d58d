"""Pages for placing care: the brokerage queue and requirement pages (council), the provider's
opportunities and offers, the citizen's choice and hand-backs (the package record is packages.views)."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, Count, Max, Q, Sum, Value, When
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from caremarket.accounts.permissions import can, get_visible_or_404, require, visible
from caremarket.audit.trail import record
from caremarket.citizens.access_log import record_access
from caremarket.citizens.models import Assessment, RecordAccess
from caremarket.core import clock
from caremarket.core.cleaning import whole_number
from caremarket.core.money import to_pounds
from caremarket.framework.standing import delivers_home_support
from caremarket.govuk.forms import AcknowledgeForm
from caremarket.govuk.lists import Column, csv_download, page_of, wants_csv
from caremarket.organisations.councils import several_councils
from caremarket.organisations.models import Organisation
from caremarket.packages.models import CarePackage

from . import handbacks, services
from .anonymous import for_provider
from .filters import DONE, BrokerageFilter
from .forms import (
    CancelRequirementForm,
    CapacityForm,
    ChoiceForm,
    HandBackForm,
    OfferForm,
    RequirementForm,
    ScoreOffersForm,
)
from .models import CareRequirement, Invitation, Offer, OfferScore, ProviderCapacity, Tender
from .offers import OfferRefused

# --- the council's side -------------------------------------------------------------------------


QUEUE_COLUMNS = [
    Column("Requirement", lambda r: r.reference),
    Column("Urgency", lambda r: r.get_urgency_display()),
    Column("Type of care", lambda r: r.service_type.name),
    Column("Area", lambda r: r.area.name),
    Column("Status", lambda r: r.get_status_display()),
    Column("Raised", lambda r: clock.local(r.raised_at).isoformat(timespec="minutes")),
    Column("Care starts", lambda r: r.start_on),
    Column("Tender closes", lambda r: clock.local(r.closes_at).isoformat(timespec="minutes") if r.closes_at else ""),
    Column("Rounds", lambda r: r.rounds),
]


@login_required
def brokerage_queue(request):
    """The council's queue: what waits for a provider, longest waiting first, with when each
    tender closes; urgent care past its window is flagged."""
    require(request.user, "view_brokerage")
    requirements = (visible(CareRequirement.objects.select_related("service_type", "area", "citizen"), request.user)
                    .annotate(rounds=Count("tenders"), closes_at=Max("tenders__closes_at")))
    found = BrokerageFilter(request.GET, requirements, request=request)
    rows = found.qs
    if not found.form.cleaned_data.get("sort"):  # urgent care past its window first, then longest waiting
        late = Q(urgency=CareRequirement.Urgency.URGENT, closes_at__lt=clock.now()) & ~Q(status__in=DONE)
        rows = rows.annotate(first=Case(When(late, then=Value(0)), default=Value(1))).order_by("first", "raised_at", "pk")
    if wants_csv(request):  # no citizens' names or record numbers in a file that can be passed on
        return csv_download(rows, QUEUE_COLUMNS, "brokerage-queue.csv")
    page = page_of(request, rows)
    record_access(request, [r.citizen_id for r in page], kind=RecordAccess.Kind.LIST)
    now = clock.now()
    for requirement in page:
        requirement.waited = None if requirement.status in DONE else now - requirement.raised_at
        requirement.past_window = (requirement.urgency == CareRequirement.Urgency.URGENT
                                   and requirement.status not in DONE
                                   and requirement.closes_at is not None and requirement.closes_at < now)
    return render(request, "tendering/queue.html", {"filter": found, "page": page, "now": now,
                                                    "may_raise": can(request.user, "raise_requirements")})


@login_required
def raise_requirement(request):
    require(request.user, "raise_requirements")
    assessments = (visible(Assessment.objects, request.user)
                   .filter(status__in=[Assessment.Status.ASSESSED, Assessment.Status.AWAITING_SERVICE])
                   .select_related("citizen", "service_type"))
    initial = {}
    chosen = request.GET.get("assessment")
    if whole_number(chosen) is not None:
        assessment = assessments.filter(pk=chosen).first()
        if assessment:
            initial = {"assessment": assessment, "service_type": assessment.service_type,
                       "need_groups": list(assessment.need_groups.all()), "eligible_needs": assessment.eligible_needs,
                       "outcomes": assessment.outcomes, "weekly_hours": assessment.weekly_hours,
                       "ward": assessment.citizen.ward, "area": assessment.citizen.ward.area
                       if assessment.citizen.ward else None}
    form = RequirementForm(request.POST or None, assessments=assessments, initial=initial)
    existing = None  # the live requirement a duplicate would repeat
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        assessment, need_groups = data.pop("assessment"), data.pop("need_groups")
        try:
            requirement = services.raise_requirement(assessment, request.user, need_groups=need_groups, **data)
        except ValidationError as problem:
            form.add_service_errors(problem, renamed={"medically_fit_at": "medically_fit_on"})
            existing = getattr(problem, "existing", None)
        else:
            messages.success(request, f"{requirement.reference} raised. {requirement.routing_reason}")
            return redirect("requirement-detail", requirement.pk)
    # The assessments to choose from name their citizens: each one shown is a record read.
    record_access(request, form.fields["assessment"].queryset.values_list("citizen_id", flat=True),
                  kind=RecordAccess.Kind.LIST)
    return render(request, "tendering/raise.html", {"form": form, "existing": existing})


def _requirement(request, pk) -> CareRequirement:
    require(request.user, "view_brokerage")
    return get_visible_or_404(CareRequirement.objects.select_related("service_type", "area", "citizen", "ward"),
                              request.user, pk=pk)


@login_required
def requirement_detail(request, pk):
    requirement = _requirement(request, pk)
    for tender in requirement.tenders.filter(status=Tender.Status.OPEN):
        services.close_if_due(tender)
    requirement.refresh_from_db()
    record_access(request, [requirement.citizen_id], kind=RecordAccess.Kind.RECORD)
    tenders = list(requirement.tenders.annotate(invited=Count("invitations", distinct=True),
                                                offered=Count("offers", filter=Q(offers__status=Offer.Status.SUBMITTED),
                                                              distinct=True)).prefetch_related("areas"))
    latest = tenders[0] if tenders else None
    context = {"requirement": requirement, "tenders": tenders, "latest": latest,
               "package": CarePackage.objects.filter(requirement=requirement).first(),
               "may_award": can(request.user, "award_care"), "may_see_audit": can(request.user, "view_audit_trail"),
               "ranked": latest.evaluation["ranked"] if latest and latest.evaluation else []}
    if (latest and latest.evaluation and not latest.evaluation.get("awaiting_scores")
            and requirement.service_type.setting != "home" and not context["package"]):
        context["choice_form"] = _choice_form(latest)
    if latest and latest.evaluation and latest.evaluation.get("re_evaluated"):
        context["re_evaluated_at"] = dt.datetime.fromisoformat(latest.evaluation["re_evaluated"]["at"])
    if can(request.user, "cancel_requirements") and requirement.status in services.LIVE_STATUSES:
        context["may_cancel"], context["cancel_form"] = True, CancelRequirementForm()
    return render(request, "tendering/requirement.html", context)


@login_required
@require_POST
def cancel_requirement(request, pk):
    requirement = _requirement(request, pk)
    require(request.user, "cancel_requirements")
    form = CancelRequirementForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["reason"]))
        return redirect("requirement-detail", requirement.pk)
    try:
        services.cancel_requirement(requirement, request.user, reason=form.cleaned_data["reason"])
    except ValidationError as problem:
        messages.error(request, " ".join(problem.messages))
    else:
        messages.success(request, f"{requirement.reference} is cancelled. The providers asked to offer are told.")
    return redirect("requirement-detail", requirement.pk)


def _choice_form(tender, data=None):
    eligible = [(int(item["offer"]), f"{item['provider']} – {item['rating']}") for item in tender.evaluation["ranked"]
                if item["position"] is not None]
    return ChoiceForm(data, offers=eligible)


@login_required
def award(request, pk):
    """Check the award the rules make (what will happen, and what is unusual), then make it."""
    requirement = _requirement(request, pk)
    require(request.user, "award_care")
    try:
        check = services.check_award(requirement)
    except ValidationError as problem:
        messages.error(request, " ".join(problem.messages))
        return redirect("requirement-detail", requirement.pk)
    form = AcknowledgeForm(request.POST if request.method == "POST" else None, warnings=check.warnings)
    if request.method == "POST" and form.is_valid():
        try:
            package = services.award(requirement, request.user)
        except services.AlreadyAwarded as refused:
            messages.error(request, str(refused))
        except ValidationError as problem:
            messages.error(request, " ".join(problem.messages))
        else:
            messages.success(request, f"Awarded to {package.organisation}: care package {package.reference}")
            return redirect("care-package", package.pk)
        return redirect("requirement-detail", requirement.pk)
    record_access(request, [requirement.citizen_id], kind=RecordAccess.Kind.RECORD)
    return render(request, "tendering/award_check.html", {
        "requirement": requirement, "check": check, "warnings": check.warnings, "form": form,
        "back": reverse("requirement-detail", args=[requirement.pk])})


@login_required
def citizen_choice(request, pk):
    """The citizen's choice: check it (any top-up is shown before anything is confirmed), then confirm."""
    requirement = _requirement(request, pk)
    require(request.user, "award_care")
    tender = requirement.tenders.filter(status=Tender.Status.CLOSED).order_by("-round").first()
    if tender is None or not tender.evaluation:
        raise Http404("No closed tender")
    form = _choice_form(tender, request.POST or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        offer_id, payer = form.cleaned_data["offer"], form.cleaned_data["top_up_payer"]
        preview = services.preview_choice(requirement, offer_id, top_up_payer=payer)
        if "confirm" in request.POST and preview.allowed:
            try:
                package = services.award(requirement, request.user, chosen_offer_id=offer_id, top_up_payer=payer)
            except (services.AlreadyAwarded, ValidationError) as refused:
                messages.error(request, " ".join(getattr(refused, "messages", [str(refused)])))
                return redirect("requirement-detail", requirement.pk)
            messages.success(request, f"Awarded to {package.organisation}: care package {package.reference}")
            return redirect("care-package", package.pk)
        if not preview.allowed:
            form.add_error("offer", preview.reason)
    return render(request, "tendering/choice.html", {"requirement": requirement, "form": form, "preview": preview,
                                                     "ranked": tender.evaluation["ranked"]})


@login_required
def score_offers(request, pk):
    """The 2012 rule's quality scoring: a person scores each offer's response against each
    criterion, with a reason. Providers' names and prices are not shown: the score is for
    the response."""
    requirement = _requirement(request, pk)
    require(request.user, "award_care")
    tender = requirement.tenders.filter(status=Tender.Status.CLOSED).order_by("-round").first()
    if (tender is None or not (tender.evaluation or {}).get("method") or requirement.status not in (
            CareRequirement.Status.AWAITING_SCORES, CareRequirement.Status.READY_TO_AWARD)):
        raise Http404("No offers to score")
    method = tender.evaluation["method"]
    criteria = [c for c in method["criteria"] if not c["from_rating"]]
    eligible = services.offers_to_score(tender)
    found = Offer.objects.in_bulk(eligible)
    offers = [(f"Offer {number}", found[pk]) for number, pk in enumerate(eligible, start=1)]
    given = {(s.offer_id, str(s.criterion_id)): (s.score, s.reason)
             for s in OfferScore.objects.filter(offer__in=eligible)}
    form = ScoreOffersForm(request.POST or None, offers=offers, criteria=criteria, scale_top=method["scale_top"],
                           given=given)
    if request.method == "POST" and form.is_valid():
        try:
            tender = services.score_offers(tender, request.user, form.scores())
        except ValidationError as problem:
            form.add_service_errors(problem)
        else:
            messages.success(request, f"The scores are recorded. {tender.evaluation['summary']}")
            return redirect("requirement-detail", requirement.pk)
    record_access(request, [requirement.citizen_id], kind=RecordAccess.Kind.RECORD)
    return render(request, "tendering/score_offers.html", {"requirement": requirement, "form": form,
                                                           "method": method, "rated": [c for c in method["criteria"]
                                                                                       if c["from_rating"]]})


@login_required
@require_POST
def next_round(request, pk):
    requirement = _requirement(request, pk)
    require(request.user, "award_care")
    if requirement.status != CareRequirement.Status.NO_OFFERS:
        messages.error(request, "Only a requirement nobody offered for can be widened or re-issued")
        return redirect("requirement-detail", requirement.pk)
    with transaction.atomic():
        tender = services.next_round(requirement, request.user)
    if tender is None:
        messages.error(request, "The tender policy allows no more rounds: find a provider directly")
    else:
        messages.success(request, f"Round {tender.round} issued to {tender.invitations.count()} providers")
    return redirect("requirement-detail", requirement.pk)


@login_required
def hand_back(request):
    require(request.user, "hand_back_packages")
    organisations = Organisation.objects.filter(care_packages__status=CarePackage.Status.ACTIVE).distinct()
    form = HandBackForm(request.POST or None, organisations=organisations.order_by("name"))
    result = None
    if request.method == "POST" and form.is_valid():
        organisation = form.cleaned_data["organisation"]
        active = CarePackage.objects.filter(organisation=organisation, status=CarePackage.Status.ACTIVE)
        hours = active.aggregate(hours=Sum("weekly_hours"))["hours"] or 0
        count = active.count()
        warnings = [f"{count:,} care package{'s' if count != 1 else ''} of {organisation} ({hours:,} hours a week) "
                    "will end today and be placed again. This cannot be undone."]
        confirm = AcknowledgeForm(request.POST if "confirm" in request.POST else None, warnings=warnings)
        if confirm.is_bound and confirm.is_valid():
            result = handbacks.hand_back(organisation, request.user, reason=form.cleaned_data["reason"])
        else:
            return render(request, "tendering/hand_back_check.html", {
                "hand_back_form": form, "form": confirm, "warnings": warnings, "organisation": organisation,
                "reason": form.cleaned_data["reason"], "back": reverse("hand-back")})
    return render(request, "tendering/hand_back.html", {"form": form, "result": result})


# --- the provider's side ------------------------------------------------------------------------


@login_required
def opportunities(request):
    require(request.user, "make_offers")
    # One row per requirement: its latest round this provider was asked to offer on.
    latest = {}
    for invitation in (visible(Invitation.objects.all(), request.user)
                       .select_related("council", "tender__requirement__service_type", "tender__requirement__area")
                       .order_by("-tender__opens_at", "-tender__round")):
        latest.setdefault(invitation.tender.requirement_id, invitation)
    page = page_of(request, list(latest.values()))
    invitations = list(page)
    own_offers = {o.tender_id: o for o in visible(Offer.objects.filter(tender__in=[i.tender for i in invitations]),
                                                  request.user)}
    home_support = delivers_home_support(request.user.organisation_id)  # spare hours are home support's
    capacity = ProviderCapacity.objects.filter(organisation=request.user.organisation).first()
    form = CapacityForm(request.POST or None, initial={"spare_weekly_hours": capacity.spare_weekly_hours
                                                      if capacity else None})
    if request.method == "POST" and home_support and form.is_valid():
        with transaction.atomic():
            saved, _ = ProviderCapacity.objects.update_or_create(
                organisation=request.user.organisation,
                defaults={"spare_weekly_hours": form.cleaned_data["spare_weekly_hours"], "stated_at": clock.now(),
                          "stated_by": request.user})
            record(request.user, "provider_capacity.stated", saved,
                   after={"spare_weekly_hours": str(saved.spare_weekly_hours)})
        messages.success(request, "Your spare capacity is saved")
        return redirect("opportunities")
    awarded_to = dict(CarePackage.objects.filter(requirement__in=[i.tender.requirement_id for i in invitations])
                      .values_list("requirement_id", "organisation_id"))
    rows = [(i, own_offers.get(i.tender_id), services.outcome_for_provider(
        i.tender, awarded_to.get(i.tender.requirement_id), request.user.organisation_id,
        offered=i.tender_id in own_offers)) for i in invitations]
    return render(request, "tendering/opportunities.html", {"rows": rows, "page": page,
                                                            "capacity_form": form if home_support else None,
                                                            "several_councils": several_councils(),
                                                            "now": clock.now()})


def _invited_tender(request, tender_pk) -> tuple[Tender, Invitation]:
    require(request.user, "make_offers")
    invitation = get_visible_or_404(Invitation.objects.select_related("tender__requirement"), request.user,
                                    tender_id=tender_pk)
    return services.close_if_due(invitation.tender), invitation


@login_required
def opportunity(request, tender_pk):
    tender, invitation = _invited_tender(request, tender_pk)
    requirement = tender.requirement
    organisation = invitation.organisation
    fixed_price = services.fixed_weekly_price(requirement)
    offer = Offer.objects.filter(tender=tender, organisation=organisation).first()
    open_ = tender.status == Tender.Status.OPEN and clock.now() < tender.closes_at
    initial = {}
    if offer:
        initial = {"location": offer.location, "confirms_needs": offer.confirms_needs,
                   "outcomes_response": offer.outcomes_response, "start_on": offer.start_on,
                   "spare_weekly_hours": offer.spare_weekly_hours}
    accommodation = (fixed_price is not None and requirement.service_type.setting == "bed_based"
                     and requirement.asked_for_more_expensive)
    if offer and offer.accommodation_price_pence:
        initial |= {"accommodation_offered": offer.accommodation_offered,
                    "accommodation_price": str(to_pounds(offer.accommodation_price_pence))}
    form = OfferForm(request.POST or None, organisation=organisation, initial=initial,
                     earliest_start=requirement.start_on, fixed_weekly_pence=fixed_price, accommodation=accommodation)
    if request.method == "POST":
        if form.is_valid():
            try:
                offer = services.submit_offer(
                    tender, organisation, request.user, location=form.cleaned_data["location"],
                    confirms_needs=form.cleaned_data["confirms_needs"],
                    outcomes_response=form.cleaned_data["outcomes_response"],
                    start_on=form.cleaned_data["start_on"], breakdown=form.breakdown(),
                    spare_weekly_hours=form.cleaned_data["spare_weekly_hours"],
                    accommodation_price_pence=form.cleaned_data.get("accommodation_price") or 0,
                    accommodation_offered=form.cleaned_data.get("accommodation_offered") or "")
            except OfferRefused as refused:
                messages.error(request, str(refused))
                return redirect("opportunity", tender.pk)
            except ValidationError as problem:
                form.add_rule_errors(problem.message_dict)
            else:
                messages.success(request, "Your offer is saved. You can change or withdraw it until offers close.")
                return redirect("opportunity", tender.pk)
        if form.errors and not open_:
            messages.error(request, "Offers have closed")
    package = CarePackage.objects.filter(requirement=requirement).select_related("organisation").first()
    mine = None
    if tender.evaluation and offer:
        mine = next((item for item in tender.evaluation["ranked"] if item["offer"] == str(offer.pk)), None)
    return render(request, "tendering/opportunity.html", {
        "tender": tender, "requirement": for_provider(requirement), "offer": offer, "form": form,
        "open": open_, "package": package, "won": package and package.organisation_id == organisation.pk,
        "mine": mine, "fixed_price": fixed_price,
    })


@login_required
@require_POST
def withdraw_offer(request, tender_pk):
    tender, invitation = _invited_tender(request, tender_pk)
    offer = get_visible_or_404(Offer, request.user, tender=tender, organisation=invitation.organisation)
    try:
        services.withdraw_offer(offer, request.user)
    except OfferRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, "Your offer is withdrawn. You can make a new one until offers close.")
    return redirect("opportunity", tender.pk)
