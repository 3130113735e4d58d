"""A care package's life, stored and audited: created at award, changed (asked for by one
person, approved by another), funded. The rules are in changes and funding (pure)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from caremarket.audit.trail import record
from caremarket.events import outbox as events
from caremarket.core import clock
from caremarket.core.money import format_gbp, multiply
from caremarket.core.references import with_reference

from . import changes
from .models import CarePackage, PackageChange, PackageFunding


CHANGE_EVENTS = {PackageChange.Kind.PRICE: "package.changed", PackageChange.Kind.SUSPENSION: "package.suspended",
                 PackageChange.Kind.END: "package.ended"}


class AlreadyAwarded(Exception):
    """The requirement has its care package already (one award per requirement)."""


def create_package(requirement, actor, **values) -> CarePackage:
    """The package awarded for a requirement, numbered CP-…; the database refuses a second one."""
    package = CarePackage(requirement=requirement, awarded_by=actor, awarded_at=clock.now(),
                          weekly_hours=requirement.weekly_hours, **values)
    try:
        with transaction.atomic():  # a savepoint: the constraint may refuse a second award
            with_reference(package, "CP")
    except IntegrityError:
        raise AlreadyAwarded(f"{requirement.reference} has already been awarded") from None
    record(actor, "care_package.awarded", package,
           after={"provider": package.organisation.name, "weekly_price": format_gbp(package.weekly_price_pence),
                  "top_up": format_gbp(package.top_up_pence), "top_up_payer": package.top_up_payer,
                  "start_on": package.start_on.isoformat(), "route": package.route},
           reason=package.decision.get("reason") or package.decision.get("routing") or "")
    tell("package.started", package)
    return package


def tell(kind: str, package: CarePackage, **more) -> None:
    """The council's other systems hear of it (events.outbox), in this transaction."""
    requirement = package.requirement
    events.write(kind, f"package {package.reference}", {
        "package": package.reference, "requirement": requirement.reference,
        "assessment_id": requirement.assessment.source_id, "service_type": requirement.service_type.code,
        "provider": {"id": package.organisation_id, "name": package.organisation.name,
                     "cqc_location_id": package.location.cqc_location_id},
        "start_on": package.start_on.isoformat(), "end_on": package.end_on.isoformat() if package.end_on else None,
        "weekly_price_pence": package.weekly_price_pence, "weekly_hours": str(package.weekly_hours or "") or None,
        **more}, council=package.council_id, citizen=requirement.citizen.for_events())


def request_change(package: CarePackage, actor, *, kind: str, effective_from: dt.date | None, reason: str,
                   effective_to: dt.date | None = None, weekly_hours: Decimal | None = None,
                   weekly_price_pence: int | None = None, end_cause: str = "") -> PackageChange:
    if kind not in PackageChange.Kind.values:
        raise ValidationError({"kind": "Choose what is changing"})
    errors = changes.problems(
        kind=kind, start_on=package.start_on, end_on=package.end_on, effective_from=effective_from,
        effective_to=effective_to, weekly_hours=weekly_hours, weekly_price_pence=weekly_price_pence,
        hourly_rate_pence=package.hourly_rate_pence, end_cause=end_cause, end_causes=PackageChange.EndCause.values,
        reason=reason)
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
            requested_by=actor if hasattr(actor, "pk") else None, requested_at=clock.now())
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
        if not changes.may_decide(change.requested_by_id, actor.pk):
            raise PermissionDenied(changes.FOUR_EYES)
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
        if approve:
            tell(CHANGE_EVENTS[change.kind], package, change={
                "from": change.effective_from.isoformat(),
                "to": change.effective_to.isoformat() if change.effective_to else None,
                "weekly_price_pence": change.weekly_price_pence,
                "weekly_hours": str(change.weekly_hours) if change.weekly_hours is not None else None,
                "end_cause": change.end_cause or None})
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
