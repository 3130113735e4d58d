"""What each role sees first when they sign in: a few figures and where to go next."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from caremarket.accounts.permissions import visible
from caremarket.accounts.roles import Role
from caremarket.audit.models import AuditEvent
from caremarket.citizens.models import Assessment, Citizen, RecordAccess
from caremarket.core import clock
from caremarket.framework.models import Application, SectionApproval
from caremarket.organisations.models import CareLocation, Organisation
from caremarket.packages.models import CarePackage
from caremarket.periods.models import PaymentPeriod
from caremarket.quality.models import FocussedInspectionRequest, QualityRating
from caremarket.quality.ratings import Rating
from caremarket.tendering.models import CareRequirement, Invitation, Tender


@dataclass
class Card:
    title: str
    figure: str
    link_text: str
    href: str


def _count(queryset) -> str:
    return f"{queryset.count():,}"


def cards_for(user) -> list[Card]:
    providers = visible(Organisation.objects.filter(kind=Organisation.Kind.PROVIDER), user)
    role = user.role
    cards: list[Card] = []
    if role in {Role.COMMISSIONER, Role.QUALITY_OFFICER, Role.ACCOUNT_MANAGER, Role.BROKERAGE_OFFICER}:
        cards.append(Card("Care providers", _count(providers), "View providers", reverse("organisation-list")))
    if role == Role.ACCOUNT_MANAGER:
        mine = providers.filter(account_manager=user)
        cards.append(Card("Providers you manage", _count(mine), "View providers", reverse("organisation-list") + "?mine=1"))
    if role == Role.QUALITY_OFFICER:
        homes = CareLocation.objects.filter(is_care_home=True, registration=CareLocation.Registration.REGISTERED)
        cards.append(Card("Registered care homes", _count(homes), "View providers", reverse("organisation-list")))
    if role in {Role.BROKERAGE_OFFICER, Role.SOCIAL_WORKER, Role.COMMISSIONER}:
        waiting = Assessment.objects.filter(status=Assessment.Status.AWAITING_SERVICE)
        if role == Role.SOCIAL_WORKER:
            waiting = waiting.filter(citizen__social_worker=user)
            cards.append(Card("Your citizens", _count(Citizen.objects.filter(social_worker=user)), "View citizens",
                              reverse("citizen-list") + "?mine=1"))
        cards.append(Card("Citizens awaiting a service", _count(waiting), "View citizens",
                          reverse("citizen-list") + "?status=awaiting_service"))
    if role in {Role.BROKERAGE_OFFICER, Role.SOCIAL_WORKER, Role.COMMISSIONER}:
        queue = CareRequirement.objects.exclude(status__in=[CareRequirement.Status.AWARDED,
                                                            CareRequirement.Status.CANCELLED])
        cards.append(Card("Care requirements waiting", _count(queue), "Open the brokerage queue", reverse("brokerage")))
        cards.append(Card("No offers: the council must act", _count(queue.filter(
            status=CareRequirement.Status.NO_OFFERS)), "See them", reverse("brokerage") + "?status=no_offers"))
    if role == Role.COMMISSIONER:
        waiting = Application.objects.filter(status=Application.Status.SUBMITTED)
        cards.append(Card("Applications waiting for a decision", _count(waiting), "Decide applications",
                          reverse("application-list")))
    if role in {Role.QUALITY_OFFICER, Role.COMMISSIONER}:
        inadequate = QualityRating.objects.filter(is_current=True, rating=Rating.INADEQUATE)
        cards.append(Card("Services rated Inadequate", _count(inadequate), "See published ratings",
                          reverse("public-ratings")))
        called_for = FocussedInspectionRequest.objects.filter(closed_on__isnull=True)
        cards.append(Card("Focussed inspections called for", _count(called_for.filter(
            kind=FocussedInspectionRequest.Kind.FOCUSSED)), "See why they were called for",
            reverse("audit-list") + "?action=focussed_inspection."))
        cards.append(Card("Services to inspect before a package is awarded", _count(called_for.filter(
            kind=FocussedInspectionRequest.Kind.BEFORE_AWARD)), "See which services",
            reverse("audit-list") + "?action=inspection_before_award."))
    if role in {Role.FINANCE_OFFICER, Role.COMMISSIONER}:
        cards.append(Card("Payment periods published", _count(PaymentPeriod.objects.filter(
            financial_year__published_at__isnull=False)), "View payment calendar", reverse("payment-calendar")))
    if role in {Role.COMMISSIONER, Role.FINANCE_OFFICER, Role.QUALITY_OFFICER}:
        cards.append(Card("Audit events", _count(AuditEvent.objects.all()), "Browse the audit trail", reverse("audit-list")))
    if role == Role.COMMISSIONER:
        today = RecordAccess.objects.filter(at__date=clock.today())
        cards.append(Card("Views of citizens' records today", _count(today), "See who looked at which records",
                          reverse("access-log")))
        cards.append(Card("People", _count(visible(user.__class__.objects.all(), user)), "Manage people", reverse("people-list")))
    if not user.is_council and user.organisation_id:
        organisation = user.organisation
        cards.append(Card(organisation.name, _count(visible(CareLocation.objects.all(), user)) + " locations",
                          "View your organisation", reverse("organisation-detail", args=[organisation.pk])))
        cards.append(Card("People in your organisation", _count(visible(user.__class__.objects.all(), user)),
                          "View people", reverse("people-list")))
    if role in {Role.PROVIDER_ADMIN, Role.PROVIDER_STAFF}:
        suspended = SectionApproval.objects.filter(organisation=user.organisation,
                                                   status=SectionApproval.Status.SUSPENDED)
        cards.append(Card("Sections suspended from bidding", _count(suspended), "See your framework sections",
                          reverse("enrolment") if role == Role.PROVIDER_ADMIN else
                          reverse("organisation-detail", args=[user.organisation_id])))
    if role in {Role.PROVIDER_ADMIN, Role.PROVIDER_STAFF}:
        open_now = Invitation.objects.filter(organisation=user.organisation, tender__status=Tender.Status.OPEN,
                                             tender__closes_at__gt=clock.now())
        cards.append(Card("Care packages open for your offer", _count(open_now), "See opportunities",
                          reverse("opportunities")))
        cards.append(Card("Your active care packages", _count(CarePackage.objects.filter(
            organisation=user.organisation, status=CarePackage.Status.ACTIVE)), "See care packages",
            reverse("care-packages")))
    if role == Role.CONSORTIUM_INTEGRATOR:
        members = visible(Organisation.objects.exclude(pk=user.organisation_id), user).exclude(kind="consortium")
        cards.append(Card("Consortium members", _count(members), "View members", reverse("organisation-list")))
    return cards
