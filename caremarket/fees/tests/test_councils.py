"""Each council sets its own fees: its care is priced by its own published schedule, its staff
see and change only its own, and a provider working for several councils sees each one's."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from caremarket.accounts.roles import Role
from caremarket.citizens.models import Citizen
from caremarket.core.money import round_pence
from caremarket.fees import services
from caremarket.fees.models import FeeRate, FeeSchedule
from caremarket.tendering.tests.conftest import approved_provider, frozen_clock, offer_from, raise_home_support  # noqa: F401

pytestmark = pytest.mark.usefixtures("frozen_clock")


def _home_support_hourly(council) -> int:
    return FeeRate.objects.get(schedule__council=council, schedule__start_year=2026, kind=FeeRate.Kind.FIXED,
                               service_type__code="home-support").amount_pence


def test_each_councils_care_is_priced_by_its_own_fees(council, neighbour, make_user):
    provider = approved_provider("Goldcrest Care", "1-300000001", make_user=make_user)
    prices = {}
    for number, owner in enumerate((council, neighbour), start=1):
        citizen = Citizen.objects.create(council=owner, reference=f"CM000000{number}", given_name="Person",
                                         family_name=f"Number{number}", date_of_birth=dt.date(1940, 1, 1),
                                         address="1 High Street", postcode="B23 6SD")
        broker = make_user(Role.BROKERAGE_OFFICER, owner, username=f"broker{number}@council.test")
        offer = offer_from(raise_home_support(citizen, broker).tenders.get(), provider)
        prices[owner.name] = offer.weekly_price_pence
    ours, theirs = _home_support_hourly(council), _home_support_hourly(neighbour)
    assert theirs == round_pence(ours * Decimal("1.05"))
    hours = Decimal("10.5")  # raise_home_support's
    assert prices == {"Test City Council": round_pence(ours * hours), "Sandwell Council": round_pence(theirs * hours)}


def test_each_councils_staff_see_and_change_only_their_own_fees(council, neighbour, make_user, signed_in, provider_admin):
    theirs = FeeSchedule.objects.get(council=neighbour, start_year=2026)
    with pytest.raises(ValidationError, match="Sandwell Council has a 2026/27 fee schedule already"):
        services.adopt_schedule(FeeSchedule.objects.get(council=council, start_year=2026), neighbour,
                                make_user(Role.COMMISSIONER, neighbour))
    assert FeeSchedule.objects.filter(council=neighbour).count() == 1  # nothing half-made
    draft = FeeSchedule.objects.create(council=council, start_year=2027)
    FeeRate.objects.create(schedule=draft, service_type=FeeRate.objects.filter(schedule=theirs).first().service_type,
                           kind=FeeRate.Kind.FIXED, unit="hour", amount_pence=2500, effective_from=dt.date(2027, 4, 1))
    finance = signed_in(make_user(Role.FINANCE_OFFICER, neighbour, username="finance@sandwell.test"))
    page = finance.get("/fees/").content.decode()
    assert "Sandwell Council" in page and "2027/28" not in page and "Another council" not in page
    assert finance.get("/fees/2027/").status_code == 404  # the other council's draft
    assert finance.post("/fees/2027/publish/", {"acknowledge": "on"}).status_code == 404
    draft.refresh_from_db()
    assert not draft.is_published

    admin = signed_in(provider_admin)
    page = admin.get("/fees/").content.decode()
    assert "Each council sets its own fees" in page and f"?council={neighbour.pk}" in page
    sandwells = admin.get(f"/fees/2026/?council={neighbour.pk}").content.decode()
    assert "Sandwell Council" in sandwells and "Adopted from Test City Council" in sandwells
    assert admin.get(f"/fees/2027/?council={council.pk}").status_code == 404  # a draft: not published
