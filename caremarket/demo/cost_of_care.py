"""The demo's open-book returns for last financial year: every home-support provider and care
home with someone to send one, with costs an hour (or a bed a week) spread around what the
council's fees pay, so each comparison has peers to set it beside."""

from __future__ import annotations

from decimal import Decimal

from caremarket.management import open_book, open_book_returns
from caremarket.periods.calendar import financial_year_of
from caremarket.reference.models import ServiceType


def build(market):
    r = market.random
    year = financial_year_of(market.today) - 1
    home_support = ServiceType.objects.get(code="home-support")
    residential = ServiceType.objects.get(code="residential-care")
    for organisation in market.home_support:
        person = organisation.people.order_by("pk").first()
        if person is None:
            continue
        hours = Decimal(r.randrange(20_000, 250_000))
        per_hour = {"staff": r.randint(1250, 1500), "on_costs": r.randint(260, 400), "overheads": r.randint(300, 520),
                    "surplus": r.randint(-40, 150)}
        open_book_returns.send(organisation, market.council, home_support, year, _figures(per_hour, hours),
                               person)
    for organisation in market.homes:
        person = organisation.people.order_by("pk").first()
        if person is None:
            continue
        beds, occupied = r.randint(18, 80), Decimal(r.randint(840, 980)) / 10
        bed_weeks = (beds * 52 * occupied / 100).quantize(Decimal("0.01"))
        per_week = {"staff": r.randint(42_000, 56_000), "on_costs": r.randint(8_000, 12_000),
                    "overheads": r.randint(18_000, 26_000), "surplus": r.randint(-2_000, 6_000)}
        open_book_returns.send(organisation, market.council, residential, year,
                               _figures(per_week, bed_weeks, occupancy=occupied, beds=beds), person)


def _figures(each: dict, units: Decimal, **more) -> open_book.Figures:
    def year(pence):
        return int(pence * units)
    return open_book.Figures(year(each["staff"]), year(each["on_costs"]), year(each["overheads"]),
                             year(each["surplus"]), units, more.get("occupancy"), more.get("beds"))
