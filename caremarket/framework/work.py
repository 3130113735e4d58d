"""What of the framework needs someone: applications for the commissioner to decide; a
provider's compliance documents about to expire."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from caremarket.accounts.roles import PROVIDER_ROLES, Role
from caremarket.core import clock
from caremarket.core.urgency import TO_DO, by_due_date, by_waiting
from caremarket.core.worklist import SHOWN, Item, Task, plural

from .models import Application, ComplianceDocument

EXPECTED_DAYS_TO_DECIDE = 28
DOCUMENTS_EXPIRING_DAYS = 30


def tasks_for(user) -> list[Task]:
    if user.role == Role.COMMISSIONER:
        return _applications()
    if user.role in PROVIDER_ROLES and user.organisation_id:
        return _documents(user.organisation)
    return []


def _applications() -> list[Task]:
    waiting = Application.objects.filter(status=Application.Status.SUBMITTED).select_related("organisation")
    if not (count := waiting.count()):
        return []
    items = [Item(a.organisation.name, reverse("application-detail", args=[a.pk]),
                  f"submitted {a.submitted_at:%-d %B}" if a.submitted_at else "") for a in waiting[:SHOWN]]
    oldest = waiting.exclude(submitted_at=None).order_by("submitted_at").values_list("submitted_at", flat=True).first()
    urgency = by_waiting(clock.local(oldest).date(), clock.today(), expected_days=EXPECTED_DAYS_TO_DECIDE) \
        if oldest else TO_DO
    return [Task(f"{plural(count, 'application is', 'applications are')} waiting for a decision",
                 reverse("application-list"), "Decide them", urgency, items)]


def _documents(organisation) -> list[Task]:
    today = clock.today()
    expiring = (ComplianceDocument.objects.filter(organisation=organisation, expires_on__isnull=False,
                                                  expires_on__lte=today + dt.timedelta(days=DOCUMENTS_EXPIRING_DAYS))
                .select_related("document_type").order_by("expires_on"))
    if not (count := expiring.count()):
        return []
    return [Task(f"{plural(count, 'document expires', 'documents expire')} within {DOCUMENTS_EXPIRING_DAYS} days "
                 "or has expired", reverse("enrolment-documents"), "Upload new ones",
                 by_due_date(expiring.first().expires_on, today, warn_days=DOCUMENTS_EXPIRING_DAYS),
                 [Item(str(d.document_type), note=(f"expired {d.expires_on:%-d %B %Y}" if d.expires_on < today
                                                   else f"expires {d.expires_on:%-d %B %Y}"))
                  for d in expiring[:SHOWN]])]
