"""Which council's frameworks are which: the frameworks a council tenders under, joint
frameworks and the councils' consent to them, and the councils that bar a provider."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet

from caremarket.audit.trail import record
from caremarket.core import clock
from caremarket.organisations.models import Organisation

from .models import Barring, Framework, FrameworkPartner, SectionApproval


def frameworks_of(council_id: int) -> QuerySet[Framework]:
    """The frameworks a council tenders its care under now: the latest it runs alone, and every
    joint framework it leads or has agreed to join. Lazy, so it can be read inside the query
    that needs it."""
    agreed = FrameworkPartner.objects.filter(agreed_at__isnull=False)
    joint = agreed.values("framework")
    own_latest = (Framework.objects.filter(council=council_id).exclude(pk__in=joint)
                  .order_by("-starts_on").values("pk")[:1])
    return Framework.objects.filter(Q(pk__in=own_latest) | Q(council=council_id, pk__in=joint)
                                    | Q(pk__in=agreed.filter(council=council_id).values("framework")))


def councils_working_with(organisation_id: int) -> list[int]:
    """The councils that tender care to a provider: each whose frameworks (its own, or a joint
    one it has joined) approve it, suspended or not."""
    approved = SectionApproval.objects.filter(organisation=organisation_id).exclude(
        status=SectionApproval.Status.REMOVED)
    councils = Organisation.objects.filter(kind=Organisation.Kind.COUNCIL).values_list("pk", flat=True)
    return [council for council in councils
            if approved.filter(section__framework__in=frameworks_of(council)).exists()]


def open_to_applications() -> QuerySet[Framework]:
    """Every council's frameworks now, each once: the latest each council runs alone, and every
    joint framework (which its lead council decides applications to)."""
    joint = FrameworkPartner.objects.filter(agreed_at__isnull=False).values("framework")
    newer = Framework.objects.filter(council=OuterRef("council"), starts_on__gt=OuterRef("starts_on")).exclude(
        pk__in=joint)
    return (Framework.objects.filter(council__isnull=False).filter(Q(pk__in=joint) | ~Exists(newer))
            .select_related("council").order_by("council__name", "-starts_on"))


def _bars(organisation) -> QuerySet[Barring]:
    return Barring.objects.filter(organisation=organisation, lifted_on__isnull=True)


def barring(organisation) -> QuerySet:
    """The councils that bar this provider now, as their ids."""
    return _bars(organisation).values_list("council", flat=True)


def check_not_barred(organisation, framework: Framework) -> None:
    """A provider may not apply to a framework whose council bars it."""
    if bar := _bars(organisation).filter(council=framework.council_id).first():
        raise ValidationError(f"{framework.council} has barred {organisation} from applying to its frameworks "
                              f"since {bar.barred_on:%d %B %Y}: {bar.reason}")


def ask_to_join(framework: Framework, council, actor) -> FrameworkPartner:
    """The framework's council asks another council to join it; nothing is shared until that
    council agrees."""
    if actor.organisation_id != framework.council_id:
        raise ValidationError(f"Only {framework.council} can ask another council to join {framework}")
    if getattr(council, "kind", None) != "council" or council.pk == framework.council_id:
        raise ValidationError({"council": "Choose another council on this service"})
    with transaction.atomic():
        partner, created = FrameworkPartner.objects.get_or_create(
            framework=framework, council=council, defaults={"asked_by": actor, "asked_at": clock.now()})
        if created:
            record(actor, "framework.partner_asked", framework,
                   reason=f"{council} asked to join {framework}", after={"council": council.pk})
    return partner


def agree_to_join(partner: FrameworkPartner, actor) -> FrameworkPartner:
    """The council asked agrees, by one of its own commissioners: from now on the framework is
    joint with it."""
    if actor.organisation_id != partner.council_id:
        raise ValidationError(f"Only {partner.council} can agree to join {partner.framework}: "
                              "it has not agreed to it")
    if partner.agreed_at is None:
        with transaction.atomic():
            partner.agreed_at, partner.agreed_by = clock.now(), actor
            partner.save(update_fields=["agreed_at", "agreed_by"])
            record(actor, "framework.partner_agreed", partner.framework,
                   reason=f"{partner.council} agreed to join {partner.framework}", after={"council": partner.council_id})
    return partner

