"""Compliance evidence over time: reminders before it expires, and suspension from bidding on
the sections it is needed for once a required item has expired (both rules are data on
framework.DocumentType), lifted when it is renewed."""

from __future__ import annotations

import datetime as dt

from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max

from caremarket.accounts.roles import Role
from caremarket.audit.trail import record
from caremarket.core import clock
from caremarket.events import outbox as events

from .eligibility import LapsedEvidence
from .models import ComplianceDocument, SectionApproval

SUSPENDED_PREFIX = "Compliance:"


def lapsed_evidence(organisation_ids, setting: str, as_of: dt.date) -> dict[int, tuple[LapsedEvidence, ...]]:
    """For each organisation, the evidence it needs for a service setting and no longer has in
    date: a kind it has held whose every copy has expired (one query for many organisations)."""
    latest = (ComplianceDocument.objects
              .filter(organisation_id__in=organisation_ids, document_type__suspends_bidding_when_expired=True,
                      document_type__has_expiry=True)
              .values("organisation_id", "document_type_id", "document_type__name", "document_type__settings")
              .annotate(last=Max("expires_on")).order_by("organisation_id", "document_type_id"))
    lapsed: dict[int, tuple[LapsedEvidence, ...]] = {}
    for row in latest:
        if setting not in row["document_type__settings"]:
            continue  # evidence this kind of service does not need
        if row["last"] is None or row["last"] < as_of:
            item = LapsedEvidence(row["document_type__name"], row["last"])
            lapsed[row["organisation_id"]] = lapsed.get(row["organisation_id"], ()) + (item,)
    return lapsed


def expired_requirements(organisation, setting: str, as_of: dt.date) -> list[str]:
    """The evidence this organisation needs for a service setting and no longer has in date."""
    return [f"{item.name} expired on {item.expired_on:%d %B %Y}" if item.expired_on else f"{item.name} has no expiry date"
            for item in lapsed_evidence([organisation.pk], setting, as_of).get(organisation.pk, ())]


def apply_compliance(organisation, actor, as_of: dt.date | None = None) -> int:
    """Suspend or restore the organisation's section approvals; returns how many changed."""
    as_of = as_of or clock.today()
    changed = 0
    with transaction.atomic():
        approvals = SectionApproval.objects.select_for_update(of=("self",)).filter(organisation=organisation).select_related(
            "organisation", "section__service_type", "section__area", "section__need_group")
        for approval in approvals:
            expired = expired_requirements(organisation, approval.section.service_type.setting, as_of)
            if expired and approval.status == SectionApproval.Status.APPROVED:
                status, reason = SectionApproval.Status.SUSPENDED, f"{SUSPENDED_PREFIX} {'; '.join(expired)}"
            elif not expired and approval.status == SectionApproval.Status.SUSPENDED and \
                    approval.status_reason.startswith(SUSPENDED_PREFIX):
                status, reason = SectionApproval.Status.APPROVED, "Compliance evidence renewed"
            else:
                continue
            set_status(approval, status, reason, actor)
            changed += 1
    return changed


def set_status(approval: SectionApproval, status: str, reason: str, actor) -> None:
    """Suspend a provider from bidding on a section, or lift it: recorded, and the council's
    other systems told (events.outbox), in the caller's transaction."""
    before = {"status": approval.status, "status_reason": approval.status_reason}
    approval.status, approval.status_reason = status, reason
    approval.save(update_fields=["status", "status_reason"])
    record(actor, "section_approval.status_changed", approval, before=before, reason=reason)
    suspended = status == SectionApproval.Status.SUSPENDED
    events.write("provider.suspended" if suspended else "provider.reinstated",
                 f"provider {approval.organisation_id}", {
                     "provider": {"id": approval.organisation_id, "name": approval.organisation.name},
                     "section": str(approval.section), "service_type": approval.section.service_type.code,
                     "reason": reason}, council=approval.council_id)


def send_expiry_reminders(as_of: dt.date | None = None) -> int:
    """Email each provider's administrators once about evidence that expires soon."""
    as_of = as_of or clock.today()
    sent = 0
    due = ComplianceDocument.objects.filter(reminded_at__isnull=True, expires_on__gte=as_of).select_related(
        "document_type", "organisation")
    for document in due:
        if document.expires_on > as_of + dt.timedelta(days=document.document_type.remind_days_before_expiry):
            continue
        if ComplianceDocument.objects.filter(organisation=document.organisation, document_type=document.document_type,
                                             expires_on__gt=document.expires_on).exists():
            continue  # already renewed
        people = document.organisation.people.filter(role=Role.PROVIDER_ADMIN, is_active=True)
        addresses = [p.email for p in people if p.email]
        if addresses:
            send_mail(f"Your {document.document_type.name.lower()} expires on {document.expires_on:%d %B %Y}",
                      f"Upload a current {document.document_type.name.lower()} before "
                      f"{document.expires_on:%d %B %Y}, or you will be suspended from bidding for new care "
                      "packages on the sections it is needed for.", None, addresses)
            sent += 1
        ComplianceDocument.objects.filter(pk=document.pk).update(reminded_at=clock.now())
    return sent
