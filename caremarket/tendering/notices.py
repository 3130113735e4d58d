"""Emails about tenders: providers asked to offer, the brokerage team when nobody offers, and
every provider that offered when the package is awarded. Sent over SMTP (settings.EMAIL_*);
no email names or identifies the citizen. Each is sent by a background task (below) that the
services enqueue once their transaction commits."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from caremarket.accounts.roles import PROVIDER_ROLES, Role
from caremarket.core import clock
from caremarket.packages.models import CarePackage

from .models import Invitation, Offer, Tender


def _link(name, *args) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(name, args=args)


def _addresses(organisation, roles) -> list[str]:
    return sorted({p.email for p in organisation.people.filter(role__in=roles, is_active=True) if p.email})


def _send(messages: list[EmailMessage]) -> int:
    if not messages:
        return 0
    with get_connection() as connection:  # one SMTP session for the batch
        return connection.send_messages(messages)


def _message(subject, template, context, to) -> EmailMessage:
    return EmailMessage(subject, render_to_string(f"tendering/email/{template}", context), None, to)


def invitations(tender: Tender) -> int:
    """Email each invited provider not yet emailed; re-running sends nothing twice, and nothing
    is sent once offers have closed (nobody could act on it)."""
    if tender.status != Tender.Status.OPEN or clock.now() >= tender.closes_at:
        return 0
    pending = tender.invitations.filter(emailed_at__isnull=True).select_related("organisation")
    requirement = tender.requirement
    messages, sent_to = [], []
    for invitation in pending:
        to = _addresses(invitation.organisation, PROVIDER_ROLES)
        if to:
            messages.append(_message(
                f"Care package {requirement.reference}: offers close {clock.local(tender.closes_at):%H:%M on %d %B}",
                "invitation.txt", {"tender": tender, "requirement": requirement,
                                   "closes_at": clock.local(tender.closes_at),
                                   "link": _link("opportunity", tender.pk)}, to))
        sent_to.append(invitation.pk)
    sent = _send(messages)
    Invitation.objects.filter(pk__in=sent_to).update(emailed_at=clock.now())
    return sent


def no_offers(tender: Tender) -> int:
    from caremarket.organisations.models import Organisation

    council = Organisation.objects.filter(kind="council").first()
    to = _addresses(council, [Role.BROKERAGE_OFFICER]) if council else []
    requirement = tender.requirement
    return _send([_message(f"No offers for care package {requirement.reference}", "no_offers.txt",
                           {"tender": tender, "requirement": requirement,
                            "link": _link("requirement-detail", requirement.pk)}, to)] if to else [])


def outcomes(package: CarePackage) -> int:
    """Tell every provider that offered whether it was awarded the package."""
    offers = Offer.objects.filter(tender__requirement=package.requirement).select_related("organisation", "tender")
    messages = []
    for offer in offers:
        won = offer.organisation_id == package.organisation_id
        to = _addresses(offer.organisation, PROVIDER_ROLES)
        if to:
            messages.append(_message(
                f"Care package {package.requirement.reference}: {'awarded to you' if won else 'not awarded to you'}",
                "outcome.txt", {"won": won, "package": package, "requirement": package.requirement,
                                "link": _link("opportunity", offer.tender_id)}, to))
    return _send(messages)


def cancelled(tender: Tender) -> int:
    """Tell every provider asked to offer that the council no longer needs the care. The
    council's reason stays with the council: it may say something about the citizen."""
    invited = tender.invitations.select_related("organisation")
    requirement = tender.requirement
    messages = []
    for invitation in invited:
        to = _addresses(invitation.organisation, PROVIDER_ROLES)
        if to:
            messages.append(_message(f"Care package {requirement.reference}: no longer needed", "cancelled.txt",
                                     {"requirement": requirement, "link": _link("opportunity", tender.pk)}, to))
    return _send(messages)


# --- the background tasks that send them -------------------------------------------------------

@task()
def email_invitations(tender_id: int) -> dict:
    return {"sent": invitations(Tender.objects.get(pk=tender_id))}


@task()
def email_no_offers(tender_id: int) -> dict:
    return {"sent": no_offers(Tender.objects.get(pk=tender_id))}


@task()
def email_outcomes(package_id: int) -> dict:
    return {"sent": outcomes(CarePackage.objects.get(pk=package_id))}


@task()
def email_cancelled(tender_id: int) -> dict:
    return {"sent": cancelled(Tender.objects.get(pk=tender_id))}
