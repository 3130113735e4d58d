"""Open-book cost-of-care returns: sent by a provider (checked by open_book.problems, stored
whole or not at all, audited) and compared with the council's fee and with the returns of
providers of the same service type and size that year."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from caremarket.audit.trail import record, snapshot
from caremarket.core import clock
from caremarket.fees import pricing
from caremarket.fees import services as fees
from caremarket.framework.models import SizeClassRecord
from caremarket.periods.calendar import financial_year_bounds, financial_year_label, financial_year_of
from caremarket.reference.models import ServiceType

from . import open_book
from .models import CostOfCareReturn


def bed_based(service_type: ServiceType) -> bool:
    return service_type.setting == ServiceType.Setting.BED_BASED


def unit_of(service_type: ServiceType) -> str:
    return "a bed a week" if bed_based(service_type) else "an hour"


def figures_of(found: CostOfCareReturn) -> open_book.Figures:
    return open_book.Figures(found.staff_costs_pence, found.on_costs_pence, found.overheads_pence, found.surplus_pence,
                             found.units_delivered, found.occupancy_percent, found.beds)


def send(organisation, council, service_type: ServiceType, start_year: int, figures: open_book.Figures,
         actor) -> CostOfCareReturn:
    """Store the year's return to the council (sent again, it replaces the first), or refuse it
    naming each field."""
    wrong = open_book.problems(figures, bed_based=bed_based(service_type))
    if unended := open_book.year_problem(financial_year_label(start_year), financial_year_bounds(start_year)[1],
                                         clock.today()):
        wrong["start_year"] = unended
    if wrong:
        raise ValidationError(wrong)
    with transaction.atomic():
        earlier = CostOfCareReturn.objects.select_for_update().filter(
            council=council, organisation=organisation, service_type=service_type, start_year=start_year).first()
        before = snapshot(earlier) if earlier else None
        found = earlier or CostOfCareReturn(council=council, organisation=organisation, service_type=service_type,
                                            start_year=start_year)
        for name, value in vars(figures).items():
            setattr(found, name, value)
        found.sent_by, found.sent_at = actor, clock.now()
        found.save()
        record(actor, "cost_of_care_return.sent_again" if earlier else "cost_of_care_return.sent", found,
               before=before)
    return found


def _size_classes(organisation_ids) -> dict[int, str]:
    """Each provider's size class as it stands now."""
    sizes = {}
    for organisation_id, size in (SizeClassRecord.objects.filter(organisation_id__in=organisation_ids)
                                  .order_by("organisation_id", "-effective_from", "-pk")
                                  .values_list("organisation_id", "size")):
        sizes.setdefault(organisation_id, size)
    return sizes


def _band(found: CostOfCareReturn, sizes: dict[int, str]) -> str:
    return open_book.size_band(bed_based=bed_based(found.service_type), beds=found.beds,
                               size_class=sizes.get(found.organisation_id))


def fee_for(service_type: ServiceType, start_year: int, council_id: int) -> tuple[int | None, str]:
    """The council's fixed fee for the service (older people's where fees differ by age) in force
    that year; when none was published by then, the fee it pays now, with that year named."""
    on, named = dt.date(start_year, 4, 1), ""
    rules = fees.schedule_rules(on, council_id)
    if rules is None:
        on = clock.today()
        rules, named = fees.schedule_rules(on, council_id), financial_year_label(financial_year_of(on))
    rate = rules.rate(service_type.code, pricing.Kind.FIXED, on, band=pricing.OLDER) if rules else None
    return (rate.pence, named) if rate else (None, "")


def comparison(found: CostOfCareReturn) -> tuple[str, open_book.Comparison]:
    """The size band the return is compared within, and the comparison."""
    same_service = list(CostOfCareReturn.objects.filter(council=found.council_id, service_type=found.service_type,
                                                        start_year=found.start_year)
                        .select_related("service_type"))
    sizes = _size_classes([r.organisation_id for r in same_service])
    band = _band(found, sizes)
    peers = [open_book.unit_costs(figures_of(r)) for r in same_service
             if r.organisation_id != found.organisation_id and _band(r, sizes) == band]
    fee, fee_year = fee_for(found.service_type, found.start_year, found.council_id)
    return band, open_book.compare(open_book.unit_costs(figures_of(found)), peers, fee, unit_of(found.service_type),
                                   fee_year)
