"""Find anything: one search box in the header. A reference number (CR-, CP-, INV-, a
citizen's record number) goes straight to its record; anything else is looked for in names,
and the results are grouped by kind. Each person finds only what they may see: a provider its
own packages, invoices and the requirements it was asked to offer on, never a citizen."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse

from caremarket.accounts.permissions import can, visible
from caremarket.citizens.models import Citizen
from caremarket.organisations.models import Organisation
from caremarket.packages.models import CarePackage
from caremarket.payments.models import Invoice
from caremarket.tendering.models import CareRequirement, Invitation

MOST = 20  # of each kind; the kind's own list finds the rest


@dataclass
class Group:
    kind: str
    found: list[tuple[str, str, str]] = field(default_factory=list)  # (text, address, detail)
    more_href: str = ""


def search(user, query: str) -> tuple[str | None, list[Group], list[int]]:
    """(the one record's address when the query names exactly one, the groups, the ids of the
    citizens shown, for the access log)."""
    query = query.strip()
    groups, citizens = [], []
    if can(user, "view_brokerage"):
        requirements = CareRequirement.objects.filter(reference__iexact=query)
    elif can(user, "make_offers"):
        invited = Invitation.objects.filter(organisation_id=user.organisation_id).values("tender__requirement")
        requirements = CareRequirement.objects.filter(reference__iexact=query, pk__in=invited)
    else:
        requirements = CareRequirement.objects.none()
    groups.append(Group("Care requirements", [
        (r.reference, reverse("requirement-detail", args=[r.pk]) if can(user, "view_brokerage")
         else reverse("opportunities"), "") for r in requirements[:MOST]]))
    if can(user, "view_care_packages"):
        packages = visible(CarePackage.objects.select_related("organisation"), user).filter(reference__iexact=query)
        groups.append(Group("Care packages", [(p.reference, reverse("care-package", args=[p.pk]), str(p.organisation))
                                              for p in packages[:MOST]], f"{reverse('care-packages')}?q={query}"))
    if can(user, "view_payments"):
        invoices = visible(Invoice.objects.select_related("organisation"), user).filter(reference__iexact=query)
        groups.append(Group("Invoices", [(i.reference, reverse("invoice", args=[i.pk]), str(i.organisation))
                                         for i in invoices[:MOST]]))
    if can(user, "view_citizens") and len(query) >= 2:
        found = list(visible(Citizen.objects.all(), user).filter(
            Q(reference__iexact=query) | Q(family_name__iexact=query)).order_by("family_name", "given_name")[:MOST])
        citizens = [c.pk for c in found]
        groups.append(Group("Citizens", [(f"{c.given_name} {c.family_name}", reverse("citizen-detail", args=[c.pk]),
                                          c.reference) for c in found], f"{reverse('citizen-list')}?q={query}"))
    if len(query) >= 3:
        organisations = visible(Organisation.objects.all(), user).filter(name__icontains=query).order_by("name")
        groups.append(Group("Organisations", [(o.name, reverse("organisation-detail", args=[o.pk]),
                                               o.get_kind_display()) for o in organisations[:MOST]],
                            f"{reverse('organisation-list')}?q={query}"))
    groups = [group for group in groups if group.found]
    only = groups[0].found[0][1] if len(groups) == 1 and len(groups[0].found) == 1 else None
    return only, groups, citizens
