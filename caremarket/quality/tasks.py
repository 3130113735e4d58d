from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from caremarket.organisations.models import CareLocation

from .models import QualityRating
from .services import councils_rating, escalate_overdue_plans, raise_focussed_inspections, rerate


@task()
def rerate_all_services() -> int:
    """Daily: dates move on (a PQAS falls due, an improvement plan is overdue), so ratings are
    worked out again; only real changes are stored."""
    changed = 0
    for location in CareLocation.objects.filter(organisation__section_approvals__isnull=False).distinct():
        for council in councils_rating(location):  # under each council's rating system
            before = QualityRating.objects.filter(location=location, council=council, is_current=True).first()
            changed += before != rerate(location, "scheduler: daily ratings", council=council)
    escalate_overdue_plans("scheduler: daily ratings")
    return changed


@task()
def check_focussed_inspection_triggers() -> int:
    return len(raise_focussed_inspections("scheduler: intelligence triggers"))


@task()
def email_inspection_assigned(request_pk: int) -> int:
    """Tell the assessor's people that the council has given them an inspection, and by when."""
    from .models import FocussedInspectionRequest

    called = FocussedInspectionRequest.objects.select_related("location__organisation", "assessor").get(pk=request_pk)
    to = sorted({p.email for p in called.assessor.people.filter(is_active=True) if p.email})
    if not to:
        return 0
    body = render_to_string("quality/email/inspection_assigned.txt", {
        "called": called, "link": settings.SITE_URL.rstrip("/") + reverse("inspection-request", args=[called.pk])})
    return EmailMessage(f"Inspection of {called.location.name} by {called.due_on:%-d %B %Y}", body, None, to).send()
