"""Drafting and publishing a year's payment calendar."""

from django.core.exceptions import ValidationError
from django.db import transaction

from caremarket.audit.trail import record
from caremarket.core import clock
from caremarket.organisations.councils import council_of

from .calendar import Period, check_periods, propose_periods
from .models import FinancialYear, PaymentPeriod


def draft_year(start_year: int, actor, *, council=None) -> FinancialYear:
    """Store the proposed periods of a council's year not yet published (again: replaces the
    draft). The council: as said, else the person's own, else the install's only one."""
    with transaction.atomic():
        year, _ = FinancialYear.objects.select_for_update().get_or_create(
            council_id=council_of(actor, council), start_year=start_year)
        if year.is_published:
            raise ValidationError(f"The {year} payment calendar is published and cannot be redrafted")
        year.periods.all().delete()
        PaymentPeriod.objects.bulk_create(
            PaymentPeriod(financial_year=year, council_id=year.council_id, number=p.number, start_date=p.start,
                          end_date=p.end, payment_date=p.payment_date)
            for p in propose_periods(start_year)
        )
        record(actor, "payment_calendar.drafted", year, after=_table(year))
    return year


def publish_year(year: FinancialYear, actor) -> FinancialYear:
    with transaction.atomic():
        year = FinancialYear.objects.select_for_update().get(pk=year.pk)
        if year.is_published:
            return year  # publishing twice changes nothing
        periods = [Period(p.number, p.start_date, p.end_date, p.payment_date) for p in year.periods.all()]
        problems = check_periods(periods)
        if problems:
            raise ValidationError(problems)
        year.published_at, year.published_by = clock.now(), actor if getattr(actor, "pk", None) else None
        year.save()
        record(actor, "payment_calendar.published", year, after=_table(year))
    return year


def _table(year: FinancialYear) -> dict:
    return {
        "year": str(year),
        "published": year.is_published,
        "periods": [
            [p.number, p.start_date.isoformat(), p.end_date.isoformat(), p.payment_date.isoformat()]
            for p in year.periods.all()
        ],
    }
