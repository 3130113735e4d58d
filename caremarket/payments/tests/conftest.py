"""Packages already awarded, a published payment calendar, and the people who pay them."""

from decimal import Decimal

import pytest

from caremarket.accounts.roles import Role
from caremarket.packages.tests.conftest import make_package
from caremarket.periods.models import PaymentPeriod
from caremarket.periods.publishing import draft_year, publish_year
from caremarket.tendering.tests.conftest import (  # noqa: F401 (fixtures)
    approved_provider,
    assessment_for,
    broker,
    citizen,
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


@pytest.fixture
def home_care(db, make_user):
    return approved_provider("Acorn Home Care", "1-500000001", make_user=make_user)


@pytest.fixture
def hourly_package(citizen, home_care, broker):
    return make_package(citizen, home_care, broker, service="home-support", weekly_price_pence=23625,
                        hourly_rate_pence=2250, weekly_hours=Decimal("10.5"), reference="CR-000777")
