"""Packages already awarded, a published payment calendar, and the people who pay them."""

import datetime as dt
from decimal import Decimal

import pytest

from caremarket.accounts.roles import Role
from caremarket.core import clock
from caremarket.geography.models import Area
from caremarket.periods.models import PaymentPeriod
from caremarket.periods.publishing import draft_year, publish_year
from caremarket.tendering.models import CarePackage, CareRequirement
from caremarket.tendering.tests.conftest import (  # noqa: F401 (fixtures)
    approved_provider, assessment_for, broker, citizen,
)

# 2026/27 period 7 runs 16 September to 13 October, period 8 14 October to 10 November.


@pytest.fixture
def calendar(db, council, make_user):
    year = draft_year(2026, make_user(Role.FINANCE_OFFICER, council, username="calendar@council.test"))
    publish_year(year, None)
    return {p.number: p for p in PaymentPeriod.objects.filter(financial_year=year)}


@pytest.fixture
def finance(make_user, council):
    return make_user(Role.FINANCE_OFFICER, council, username="finance@council.test")


@pytest.fixture
def care_home(db, make_user):
    return approved_provider("Elmfield House", "1-400000001", service="residential-care", area=None,
                             need="older-people",
                             make_user=make_user)


def make_package(citizen, organisation, broker, *, service="residential-care", weekly_price_pence=82500,
                 start_on=dt.date(2026, 4, 1), hourly_rate_pence=None, weekly_hours=None, top_up_pence=0,
                 top_up_payer="", reference=None):
    assessment = assessment_for(citizen, service)
    requirement = CareRequirement.objects.create(
        reference=reference or f"CR-{CareRequirement.objects.count() + 1:06d}", assessment=assessment,
        citizen=citizen, service_type=assessment.service_type, area=Area.objects.get(code="north"),
        eligible_needs="Needs 24-hour care", outcomes="To live safely", start_on=start_on,
        weekly_hours=weekly_hours, status=CareRequirement.Status.AWARDED, raised_by=broker, raised_at=clock.now())
    return CarePackage.objects.create(
        reference=requirement.reference.replace("CR-", "CP-"), requirement=requirement, organisation=organisation,
        location=organisation.locations.first(), route=CarePackage.Route.MICRO_TENDER,
        weekly_price_pence=weekly_price_pence, hourly_rate_pence=hourly_rate_pence, weekly_hours=weekly_hours,
        top_up_pence=top_up_pence, top_up_payer=top_up_payer, start_on=start_on, awarded_by=broker,
        awarded_at=clock.now())



@pytest.fixture
def home_care(db, make_user):
    return approved_provider("Acorn Home Care", "1-500000001", make_user=make_user)


@pytest.fixture
def hourly_package(citizen, home_care, broker):
    return make_package(citizen, home_care, broker, service="home-support", weekly_price_pence=23625,
                        hourly_rate_pence=2250, weekly_hours=Decimal("10.5"), reference="CR-000777")
