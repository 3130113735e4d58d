"""The data protection officer's pages: what personal data the service holds and for how long,
the retention schedule and its runs, and one person's subject access, legal hold and erasure."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from caremarket.accounts.models import SentEmail
from caremarket.accounts.permissions import for_council, require
from caremarket.audit.trail import record, snapshot
from caremarket.citizens.access_log import record_access
from caremarket.citizens.models import Citizen, RecordAccess
from caremarket.core import clock
from caremarket.core.downloads import attachment
from caremarket.events.models import Event
from caremarket.outcomes.models import Carer

from . import erasure, retention, subject_access
from .forms import ErasureForm, FindPersonForm, LegalHoldForm, RetentionRuleForm
from .models import LegalHold, RetentionRule, RetentionRun
from .retention_rules import KINDS

PEOPLE = {"citizen": Citizen, "carer": Carer}
RUNS_SHOWN = 10


def _held(council: int) -> list[dict]:
    """What personal data the service holds, by kind, and how long the council keeps each."""
    rules = {rule.kind: rule for rule in RetentionRule.objects.filter(council=council)}
    citizens = Citizen.objects.filter(council=council)
    carers = Carer.objects.filter(Carer.reached_by_council(council))
    counted = {
        "citizen": (citizens.filter(anonymised_on__isnull=True).count(),
                    citizens.filter(anonymised_on__isnull=False).count()),
        "carer": (carers.filter(anonymised_on__isnull=True).count(),
                  carers.filter(anonymised_on__isnull=False).count()),
        "access_log": (RecordAccess.objects.filter(person__organisation=council).count(), None),
        "email": (SentEmail.objects.count(), None),
        "event_details": (Event.objects.filter(citizen__isnull=False).count(), None),
    }
    return [{"rule": rules.get(kind), "label": KINDS[kind].label, "held": held, "anonymised": anonymised}
            for kind, (held, anonymised) in counted.items()]


@login_required
def overview(request):
    require(request.user, "manage_retention")
    council = request.user.organisation_id
    runs = list(RetentionRun.objects.filter(council=council).select_related("started_by")[:RUNS_SHOWN])
    last = next((run for run in runs if not run.dry_run), None)
    return render(request, "privacy/overview.html", {
        "held": _held(council), "people": get_user_model().objects.filter(is_active=True).count(),
        "rules": RetentionRule.objects.filter(council=council), "runs": runs, "last": last,
        "holds": for_council(LegalHold.objects, request.user).filter(lifted_at__isnull=True)
                  .select_related("citizen", "carer", "placed_by")})


@login_required
def change_rule(request, kind):
    require(request.user, "manage_retention")
    rule = get_object_or_404(RetentionRule, council=request.user.organisation_id, kind=kind)
    form = RetentionRuleForm(request.POST or None, instance=rule)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            before = snapshot(RetentionRule.objects.get(pk=rule.pk))
            form.save()
            record(request.user, "retention_rule.changed", rule, before=before)
        messages.success(request, f"{rule.get_kind_display()}: now kept for {rule.period}")
        return redirect("data-protection")
    return render(request, "privacy/change_rule.html", {"rule": rule, "form": form})


@login_required
@require_POST
def dry_run(request):
    require(request.user, "manage_retention")
    run = retention.apply(dry_run=True, by=request.user)
    messages.success(request, f"Dry run: {sum(run.removed.values()):,} records would go today. Nothing was changed.")
    return redirect(reverse("data-protection") + "#runs")


@login_required
def find(request):
    require(request.user, "answer_subject_access")
    form = FindPersonForm(request.GET or None)
    found = None
    if request.GET and form.is_valid():
        found = _matching(form.cleaned_data, request.user)
        if form.cleaned_data["whom"] == "citizen":  # the matches are listed by name
            record_access(request, found, kind=RecordAccess.Kind.LIST)
    return render(request, "privacy/find.html", {"form": form, "found": found})


def _matching(asked: dict, user) -> list:
    model = PEOPLE[asked["whom"]]
    people = for_council(model.objects.all(), user)  # a council's officer finds its own citizens
    born = "date_of_birth" if model is Citizen else "born_on"
    if reference := asked["reference"].strip():
        return list(people.filter(reference__iexact=reference))
    return list(people.filter(family_name__iexact=asked["family_name"].strip(), **{born: asked["born_on"]}))


def _person(request, whom: str, pk: int):
    require(request.user, "answer_subject_access")
    if whom not in PEOPLE:
        raise Http404("There is no such kind of person")
    person = get_object_or_404(for_council(PEOPLE[whom].objects.all(), request.user), pk=pk)
    if whom == "citizen":
        record_access(request, [person], kind=RecordAccess.Kind.RECORD)
    return person


@login_required
def person(request, whom, pk):
    found = _person(request, whom, pk)
    holds = LegalHold.objects.filter(**{whom: found}).select_related("placed_by", "lifted_by")
    return render(request, "privacy/person.html", {
        "whom": whom, "person": found, "holds": holds, "hold_form": LegalHoldForm(),
        "may_erase": whom == "carer" and not found.anonymised_on})


def _export(request, whom, pk):
    found = _person(request, whom, pk)
    export = subject_access.for_citizen(found) if whom == "citizen" else subject_access.for_carer(found)
    with transaction.atomic():
        record(request.user, "subject_access.exported", found, after={"file": request.path.rsplit(".", 1)[-1]},
               reason="The person's right of access")
    return found, export


@login_required
def export_json(request, whom, pk):
    found, export = _export(request, whom, pk)
    response = HttpResponse(subject_access.as_json(export), content_type="application/json")
    response["Content-Disposition"] = attachment(f"subject-access-{found.reference}.json")
    return response


@login_required
def export_pdf(request, whom, pk):
    found, export = _export(request, whom, pk)
    council = found.council.name if getattr(found, "council_id", None) else settings.COUNCIL_NAME  # a citizen's own
    response = HttpResponse(subject_access.as_pdf(export, council), content_type="application/pdf")
    response["Content-Disposition"] = attachment(f"subject-access-{found.reference}.pdf")
    return response


@login_required
@require_POST
def place_hold(request, whom, pk):
    found = _person(request, whom, pk)
    form = LegalHoldForm(request.POST)
    if not form.is_valid():
        holds = LegalHold.objects.filter(**{whom: found})
        return render(request, "privacy/person.html", {"whom": whom, "person": found, "holds": holds,
                                                       "hold_form": form, "may_erase": False}, status=400)
    with transaction.atomic():
        hold = LegalHold.objects.create(**{whom: found}, reason=form.cleaned_data["reason"], placed_by=request.user,
                                        placed_at=clock.now())
        record(request.user, "legal_hold.placed", hold, reason=hold.reason)
    messages.success(request, f"The retention schedule will keep {found.reference}'s record until the hold is lifted")
    return redirect("data-protection-person", whom=whom, pk=pk)


@login_required
@require_POST
def lift_hold(request, pk):
    require(request.user, "manage_retention")
    with transaction.atomic():
        hold = get_object_or_404(for_council(LegalHold.objects, request.user).select_for_update(), pk=pk,
                                 lifted_at__isnull=True)
        hold.lifted_by, hold.lifted_at = request.user, clock.now()
        hold.save(update_fields=["lifted_by", "lifted_at"])
        record(request.user, "legal_hold.lifted", hold)
    whom = "citizen" if hold.citizen_id else "carer"
    messages.success(request, "The hold is lifted: the retention schedule applies again")
    return redirect("data-protection-person", whom=whom, pk=hold.citizen_id or hold.carer_id)


@login_required
def erase(request, pk):
    carer = _person(request, "carer", pk)
    form = ErasureForm(request.POST or None)
    problems = erasure.problems(carer)
    if request.method == "POST" and not problems and form.is_valid():
        problems = erasure.erase(carer, by=request.user, reason=form.cleaned_data["reason"])
        if not problems:
            messages.success(request, f"Carer {carer.reference} is erased: nothing that names them is left")
            return redirect("data-protection-person", whom="carer", pk=pk)
    return render(request, "privacy/erase.html", {"person": carer, "form": form, "problems": problems},
                  status=400 if request.method == "POST" else 200)
