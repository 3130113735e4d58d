"""Reading the published fee schedules, pricing care from them, and the annual review. Each
council has its own schedules: care is priced by its council's."""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, Subquery

from caremarket.audit.trail import record
from caremarket.core import clock, tenancy
from caremarket.core.money import format_gbp, round_pence
from caremarket.periods.calendar import financial_year_bounds, financial_year_of

from . import pricing, publish_check, review
from .models import FeeRate, FeeSchedule, HostAuthorityRate, PriceReview, QualityUplift


def as_rules(schedule: FeeSchedule) -> pricing.Schedule:
    rates = tuple(pricing.Rate(r.service_type.code, r.kind, r.unit, r.amount_pence, r.age_band, r.need_level,
                               r.effective_from)
                  for r in getattr(schedule, "rates_read", None) or schedule.rates.select_related("service_type"))
    uplifts = {u.rating: u.percent for u in schedule.quality_uplifts.all()}
    return pricing.Schedule(schedule.name, schedule.starts_on, rates, uplifts)


def published_schedule(on: dt.date, council_id: int) -> FeeSchedule | None:
    """The council's schedule that prices care on ``on``: that financial year's, or the latest
    published before it."""
    return (FeeSchedule.objects.filter(council=council_id, published_at__isnull=False,
                                       start_year__lte=financial_year_of(on))
            .order_by("-start_year").first())


def schedule_rules(on: dt.date, council_id: int, *, stamp=None) -> pricing.Schedule | None:
    """The rules of the council's schedule that prices care on ``on``. Given ``stamp`` (the latest
    publication time, read with ``publication_stamp`` in a query the caller makes anyway), from
    this process's copy of the published schedules, read again only when one is published."""
    if stamp is None:
        schedule = published_schedule(on, council_id)
        return as_rules(schedule) if schedule else None
    year = financial_year_of(on)
    return next((rules for council, start_year, rules in _published_rules(stamp)
                 if council == council_id and start_year <= year), None)


def publication_stamp() -> Subquery:
    """When a schedule was last published, as an expression to read inside another query: the
    key of each process's copy of the published schedules (a published schedule is not edited)."""
    return Subquery(FeeSchedule.objects.filter(published_at__isnull=False).order_by("-published_at")
                    .values("published_at")[:1])


# The copy for each council setting the database read it under (core.tenancy): under one
# council's, row-level security shows that council's schedules alone, and the stamp is its own.
_copies: dict = {}
COPY_KEPT_SECONDS = 600  # and read again at least this often, whatever the stamp says


def forget_published_copy() -> None:
    """Read the schedules afresh next time (tests: each starts from its own database)."""
    _copies.clear()


def _published_rules(stamp) -> tuple[tuple[int, int, pricing.Schedule], ...]:
    """(council, start year, rules) of every published schedule the connection may read, newest first."""
    now, acting = time.monotonic(), tenancy.current()
    copy = _copies.get(acting)
    if copy is None or copy["stamp"] != stamp or now - copy["read_at"] > COPY_KEPT_SECONDS:
        schedules = (FeeSchedule.objects.filter(published_at__isnull=False).order_by("-start_year")
                     .prefetch_related(Prefetch("rates", FeeRate.objects.select_related("service_type"),
                                                to_attr="rates_read"), "quality_uplifts"))
        copy = _copies[acting] = {"stamp": stamp, "read_at": now, "schedules": tuple(
            (s.council_id, s.start_year, as_rules(s)) for s in schedules)}
    return copy["schedules"]


def host_rate(authority: str, service_type, on: dt.date) -> pricing.Rate | None:
    found = (HostAuthorityRate.objects.filter(authority__iexact=authority, service_type=service_type,
                                              effective_from__lte=on).order_by("-effective_from").first())
    if found is None:
        return None
    return pricing.Rate(service_type.code, pricing.Kind.FIXED, found.unit, found.amount_pence,
                        effective_from=found.effective_from)


def placement(service_type, date_of_birth: dt.date, on: dt.date, *, weekly_hours: Decimal | None = None,
              rating: int | None = None, **facts) -> pricing.Placement:
    return pricing.Placement(service_type.code, pricing.age_band(date_of_birth, on), on,
                             service_name=service_type.name, weekly_hours=weekly_hours, rating=rating, **facts)


def fixed_fee(service_type, date_of_birth: dt.date, on: dt.date, weekly_hours: Decimal | None,
              rating: int | None = None, rules: pricing.Schedule | None = None, *,
              council_id: int | None = None) -> pricing.PriceDecision | None:
    """The council's fixed fee for this care (from ``rules``, else its published schedule), or
    None where the price is set open book."""
    rules = rules or schedule_rules(on, council_id)
    if rules is None:
        return None
    facts = placement(service_type, date_of_birth, on, weekly_hours=weekly_hours, rating=rating)
    if pricing.fixed_rate(rules, facts.service, on, facts.age_band) is None:
        return None
    try:
        return pricing.price(facts, rules)
    except pricing.NoPrice as problem:
        raise ValidationError({"weekly_hours": str(problem)}) from None


def adopt_schedule(schedule: FeeSchedule, council, actor, *, percent: Decimal = Decimal(0)) -> FeeSchedule:
    """Another council's schedule as a draft of ``council``'s own for the same year, every rate
    ``percent`` higher (rounded to the penny, half up): a council new to the service starts from
    a neighbour's fees, then checks and publishes its own."""
    with transaction.atomic():
        if FeeSchedule.objects.filter(council=council, start_year=schedule.start_year).exists():
            raise ValidationError(f"{council} has a {schedule.name} fee schedule already")
        made = FeeSchedule.objects.create(council=council, start_year=schedule.start_year,
                                          method=f"Adopted from {schedule.council}'s {schedule.name} fees"
                                                 + (f", {percent}% higher" if percent else ""))
        FeeRate.objects.bulk_create(
            FeeRate(schedule=made, council=council, service_type_id=r.service_type_id, kind=r.kind, age_band=r.age_band,
                    need_level=r.need_level, unit=r.unit, effective_from=r.effective_from,
                    amount_pence=round_pence(r.amount_pence * (1 + percent / 100)))
            for r in schedule.rates.all())
        QualityUplift.objects.bulk_create(QualityUplift(schedule=made, council=council, rating=u.rating,
                                                        percent=u.percent) for u in schedule.quality_uplifts.all())
        record(actor, "fee_schedule.adopted", made, after={"from": str(schedule.council), "percent": str(percent)})
    return made


# --- the annual review -------------------------------------------------------------------------

def _inputs_json(inputs: review.Inputs) -> dict:
    return {key: (str(value) if isinstance(value, Decimal) else
                  {k: str(v) for k, v in value.items()} if isinstance(value, dict) else value)
            for key, value in inputs.__dict__.items()}


def run_review(based_on: FeeSchedule, inputs: review.Inputs, actor, *,
               overrides: dict[str, review.Override] | None = None) -> FeeSchedule:
    """Draft next year's schedule from ``based_on`` by the stated method. Running it again
    replaces the draft; a published schedule is never changed."""
    start_year = based_on.start_year + 1
    starts_on = financial_year_bounds(start_year)[0]
    result = review.next_schedule(as_rules(based_on), inputs, name=FeeSchedule(start_year=start_year).name,
                                  starts_on=starts_on, overrides=overrides)
    services = {r.service_type.code: r.service_type for r in based_on.rates.select_related("service_type")}
    with transaction.atomic():
        schedule, _ = FeeSchedule.objects.select_for_update().get_or_create(council=based_on.council,
                                                                            start_year=start_year)
        if schedule.is_published:
            raise ValidationError(f"The {schedule.name} fee schedule is published; it cannot be reviewed again")
        schedule.rates.all().delete()
        schedule.quality_uplifts.all().delete()
        FeeRate.objects.bulk_create(
            FeeRate(schedule=schedule, council_id=schedule.council_id, service_type=services[r.service], kind=r.kind,
                    age_band=r.age_band,
                    need_level=r.need_level, unit=r.unit, amount_pence=r.pence, effective_from=starts_on)
            for r in result.schedule.rates)
        QualityUplift.objects.bulk_create(QualityUplift(schedule=schedule, council_id=schedule.council_id,
                                                        rating=rating, percent=percent)
                                          for rating, percent in result.schedule.quality_uplifts.items())
        uplifts = {s: {"percent": str(u.percent), "reasons": list(u.reasons)} for s, u in result.uplifts.items()}
        schedule.method = f"Set by the annual price review from the {based_on.name} fees."
        schedule.save()
        PriceReview.objects.update_or_create(schedule=schedule, defaults={
            "based_on": based_on, "inputs": _inputs_json(inputs), "uplifts": uplifts,
            "overrides": {s: {"percent": str(o.percent), "reason": o.reason} for s, o in (overrides or {}).items()},
            "reviewed_by": actor, "reviewed_at": clock.now()})
        record(actor, "fee_schedule.reviewed", schedule, after={"based_on": based_on.name, "uplifts": uplifts})
    return schedule


def _rates_by_what(schedule: FeeSchedule) -> dict[tuple, FeeRate]:
    """Each kind of rate once: the latest in the year where a rate changed part-way through."""
    found = {}
    for rate in schedule.rates.select_related("service_type").order_by("effective_from", "pk"):
        found[(rate.service_type_id, rate.kind, rate.age_band, rate.need_level, rate.unit)] = rate
    return found


def _rate_label(rate: FeeRate) -> str:
    age = "" if rate.age_band == FeeRate.AgeBand.ALL else rate.get_age_band_display()
    return ", ".join(filter(None, [rate.service_type.name, rate.get_kind_display(), age, rate.need_level,
                                   rate.get_unit_display()]))


def publish_facts(schedule: FeeSchedule) -> publish_check.PublishFacts:
    """The schedule beside the last published one, for the check page before publishing."""
    last = (FeeSchedule.objects.filter(council=schedule.council_id, published_at__isnull=False,
                                       start_year__lt=schedule.start_year)
            .order_by("-start_year").first())
    now, was = _rates_by_what(schedule), _rates_by_what(last) if last else {}
    changes = [publish_check.RateChange(_rate_label(now.get(key) or was[key]),
                                        was[key].amount_pence if key in was else None,
                                        now[key].amount_pence if key in now else None)
               for key in sorted(set(now) | set(was), key=str)]
    return publish_check.PublishFacts(starts_on=schedule.starts_on, today=clock.today(), rates=changes)


def publish(schedule: FeeSchedule, actor, *, acknowledged: list[str] = ()) -> FeeSchedule:
    """Publish a schedule so that it prices care from its 1 April. Publishing twice changes nothing."""
    with transaction.atomic():
        schedule = FeeSchedule.objects.select_for_update().get(pk=schedule.pk)
        if schedule.is_published:
            return schedule
        if not schedule.rates.exists():
            raise ValidationError(f"The {schedule.name} fee schedule has no rates to publish")
        schedule.published_at, schedule.published_by = clock.now(), actor
        schedule.save()
        record(actor, "fee_schedule.published", schedule,
               after={**({"warnings acknowledged": list(acknowledged)} if acknowledged else {}), "rates": [" ".join(filter(None, [str(r.service_type), r.get_kind_display(),
                                                       r.get_age_band_display(), r.need_level,
                                                       format_gbp(r.amount_pence), r.get_unit_display()]))
                                for r in schedule.rates.select_related("service_type")]})
    return schedule
