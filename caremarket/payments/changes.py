"""Changing a care package after award: requested, approved by someone else, audited.

Every change is effective from a day, so payments split at exactly that day
(payments.scheduled). For an end, the day is the last day care was given (the date of
death, or of the move)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from caremarket.audit.trail import record
from caremarket.core import clock
from caremarket.core.money import format_gbp, multiply
from caremarket.tendering.models import CarePackage

from . import funding, scheduled
from .models import PackageChange, PackageFunding


def _check(package: CarePackage, kind: str, effective_from: dt.date | None, effective_to: dt.date | None,
           weekly_hours: Decimal | None, weekly_price_pence: int | None, end_cause: str, reason: str) -> dict:
    errors = {}
    if effective_from is None:
        errors["effective_from"] = "Enter the date the change applies from"
    elif effective_from < package.start_on:
        errors["effective_from"] = f"The change cannot apply before the package started on {package.start_on:%d %B %Y}"
    elif package.end_on and effective_from > package.end_on:
        errors["effective_from"] = f"The package ended on {package.end_on:%d %B %Y}"
    if kind == PackageChange.Kind.SUSPENSION:
        if effective_to is None:
            errors["effective_to"] = "Enter the last day of the suspension"
        elif effective_from and effective_to < effective_from:
            errors["effective_to"] = "The suspension cannot end before it starts"
    if kind == PackageChange.Kind.PRICE:
        if weekly_hours is None and weekly_price_pence is None:
            errors["weekly_hours"] = "Enter the new hours a week or the new weekly price"
        if weekly_hours is not None and not 0 < weekly_hours <= 168:
            errors["weekly_hours"] = "Hours a week must be more than 0 and at most 168"
        if weekly_price_pence is not None and weekly_price_pence <= 0:
            errors["weekly_price_pence"] = "The weekly price must be more than £0"
        if weekly_price_pence is None and weekly_hours is not None and not package.hourly_rate_pence:
            errors["weekly_price_pence"] = "This package has no hourly rate: enter the new weekly price"
    if kind == PackageChange.Kind.END and end_cause not in PackageChange.EndCause.values:
        errors["end_cause"] = "Say why the package ended"
    if not reason.strip():
        errors["reason"] = "Say why the package is changing"
    return errors


def request_change(package: CarePackage, actor, *, kind: str, effective_from: dt.date | None, reason: str,
                   effective_to: dt.date | None = None, weekly_hours: Decimal | None = None,
                   weekly_price_pence: int | None = None, end_cause: str = "") -> PackageChange:
    if kind not in PackageChange.Kind.values:
        raise ValidationError({"kind": "Choose what is changing"})
    errors = _check(package, kind, effective_from, effective_to, weekly_hours, weekly_price_pence, end_cause, reason)
    if errors:
        raise ValidationError(errors)
    hourly = package.hourly_rate_pence if kind == PackageChange.Kind.PRICE else None
    if kind == PackageChange.Kind.PRICE and weekly_price_pence is None:
        weekly_price_pence = multiply(hourly, weekly_hours)
    with transaction.atomic():
        change = PackageChange.objects.create(
            package=package, kind=kind, effective_from=effective_from,
            effective_to=effective_to if kind == PackageChange.Kind.SUSPENSION else None,
            weekly_hours=weekly_hours, weekly_price_pence=weekly_price_pence, hourly_rate_pence=hourly,
            end_cause=end_cause if kind == PackageChange.Kind.END else "", reason=reason.strip(),
            requested_by=actor, requested_at=clock.now())
        record(actor, "package_change.requested", change, after=describe(change), reason=change.reason)
    return change


def describe(change: PackageChange) -> dict:
    about = {"package": change.package.reference, "kind": change.get_kind_display(),
             "from": change.effective_from.isoformat()}
    if change.effective_to:
        about["to"] = change.effective_to.isoformat()
    if change.weekly_price_pence is not None:
        about["weekly_price"] = format_gbp(change.weekly_price_pence)
    if change.weekly_hours is not None:
        about["weekly_hours"] = str(change.weekly_hours)
    if change.end_cause:
        about["end_cause"] = change.get_end_cause_display()
    return about


def decide_change(change: PackageChange, actor, *, approve: bool, reason: str = "") -> PackageChange:
    """Approve or reject a requested change. Someone other than the requester decides (four eyes)."""
    with transaction.atomic():
        change = PackageChange.objects.select_for_update().select_related("package").get(pk=change.pk)
        if change.status != PackageChange.Status.PROPOSED:
            raise ValidationError(f"This change was already {change.get_status_display().lower()}")
        if change.requested_by_id == actor.pk:
            raise PermissionDenied("Someone other than the person who asked for a change must approve it")
        if not approve and not reason.strip():
            raise ValidationError({"decision_reason": "Say why the change is rejected"})
        change.status = PackageChange.Status.APPROVED if approve else PackageChange.Status.REJECTED
        change.decided_by, change.decided_at, change.decision_reason = actor, clock.now(), reason.strip()
        change.save()
        package = change.package
        if approve and change.kind == PackageChange.Kind.END:
            package.end_on = change.effective_from
            package.status = CarePackage.Status.ENDED
            package.save(update_fields=["end_on", "status"])
        record(actor, "package_change.approved" if approve else "package_change.rejected", change,
               after=describe(change), reason=change.decision_reason or change.reason)
    return change


def set_funding(package: CarePackage, actor, *, nhs_percent: Decimal = Decimal(0), nhs_funder: str = "",
                client_contribution_pence: int = 0) -> PackageFunding:
    errors = {}
    if not 0 <= nhs_percent <= 100:
        errors["nhs_percent"] = "The NHS share must be between 0% and 100%"
    elif nhs_percent and not nhs_funder.strip():
        errors["nhs_funder"] = "Name the NHS body that pays the share"
    if client_contribution_pence < 0:
        errors["client_contribution_pence"] = "The contribution cannot be negative"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        row, _ = PackageFunding.objects.update_or_create(package=package, defaults={
            "nhs_percent": nhs_percent, "nhs_funder": nhs_funder.strip(),
            "client_contribution_pence": client_contribution_pence})
        record(actor, "package_funding.set", row,
               after={"package": package.reference, "nhs_percent": str(nhs_percent), "nhs_funder": row.nhs_funder,
                      "client_contribution": format_gbp(client_contribution_pence)})
    return row


# --- what the rules see ------------------------------------------------------------------------

def as_scheduled(package: CarePackage, approved_changes) -> scheduled.Package:
    """The package as the scheduled-payment rule sees it: the weekly cost the council pays the
    provider (its price plus any top-up it recovers) from each day, suspensions and the end."""
    prices = [scheduled.Price(package.start_on, package.weekly_price_pence + package.top_up_pence)]
    suspended = []
    for change in approved_changes:
        if change.kind == PackageChange.Kind.PRICE:
            prices.append(scheduled.Price(change.effective_from, change.weekly_price_pence + package.top_up_pence))
        elif change.kind == PackageChange.Kind.SUSPENSION:
            suspended.append((change.effective_from, change.effective_to))
    # An approved end is held on the package itself (decide_change), as is a hand-back's.
    return scheduled.Package(package.reference, package.start_on, package.end_on, tuple(prices), tuple(suspended))


def as_funding(package: CarePackage, weekly_pence: int, row: PackageFunding | None) -> funding.Funding:
    return funding.Funding(price_pence=max(weekly_pence - package.top_up_pence, 0), top_up_pence=package.top_up_pence,
                           nhs_percent=row.nhs_percent if row else Decimal(0),
                           client_contribution_pence=row.client_contribution_pence if row else 0)
