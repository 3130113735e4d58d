"""Block contracts first, Quick Discharge straight to its provider, and citizen choice with top-ups."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from caremarket.core import clock
from caremarket.geography.models import Area
from caremarket.packages.models import CarePackage
from caremarket.quality.ratings import Rating
from caremarket.reference.models import NeedGroup, ServiceType
from caremarket.tendering import services
from caremarket.tendering.models import BlockContract, CareRequirement

from .conftest import MONDAY_9AM, approved_provider, assessment_for, offer_from, raise_home_support

pytestmark = pytest.mark.usefixtures("frozen_clock")


def block(organisation, hours="20"):
    return BlockContract.objects.create(
        reference="BLK-NORTH-1", organisation=organisation, location=organisation.locations.first(),
        service_type=ServiceType.objects.get(code="home-support"), area=Area.objects.get(code="north"),
        weekly_hours=Decimal(hours), price_pence=2100, starts_on=dt.date(2026, 4, 1), ends_on=dt.date(2027, 3, 31))


def test_a_block_contract_with_free_hours_is_used_before_any_tender(citizen, broker, home_market):
    block(home_market["silver"])
    requirement = raise_home_support(citizen, broker)
    package = requirement.package
    assert package.route == CarePackage.Route.BLOCK_CONTRACT and package.organisation == home_market["silver"]
    assert package.weekly_price_pence == 22050  # the block's £21.00 an hour × 10.5 hours
    assert not requirement.tenders.exists()
    assert "used before tendering" in requirement.routing_reason


def test_a_full_block_contract_is_passed_over_for_a_tender(citizen, broker, home_market):
    block(home_market["silver"], hours="15")
    raise_home_support(citizen, broker)  # takes 10.5 of the 15 hours
    second = raise_home_support(citizen, broker)
    assert second.tenders.exists() and not hasattr(second, "package")
    assert "no block contract has free capacity" in second.routing_reason


def test_quick_discharge_goes_straight_to_its_provider_to_start_within_four_hours(citizen, broker, make_user):
    qds = approved_provider("Swift Discharge Care", "1-300000009", service="quick-discharge", area=None)
    fit = MONDAY_9AM - dt.timedelta(hours=1)
    requirement = raise_home_support(citizen, broker, service_type=ServiceType.objects.get(code="quick-discharge"),
                                     urgency="urgent", medically_fit_at=fit, weekly_hours=Decimal("14"))
    assert requirement.package.organisation == qds
    assert requirement.package.route == CarePackage.Route.QUICK_DISCHARGE
    assert requirement.package.weekly_price_pence == 34300  # £24.50 × 14
    assert "to start by 12:00 on 23 November 2026" in requirement.routing_reason


# --- care homes: the citizen chooses among the top-rated ---------------------------------------

@pytest.fixture
def brain_injury_market(db, make_user):
    """Acquired brain injury care homes are priced open book, so offers differ in price."""
    return [approved_provider(name, cqc, service="acquired-brain-injury", area="north", rating=rating,
                              make_user=make_user)
            for name, cqc, rating in [("Oakfield House", "1-400000001", Rating.GOLD),
                                      ("Elm Court", "1-400000002", Rating.GOLD),
                                      ("Ashgrove", "1-400000003", Rating.SILVER)]]


def breakdown(surplus_pence):
    from caremarket.tendering.offers import CostBreakdown

    return CostBreakdown(care_hours=Decimal("40"), hourly_rate_pence=2000, on_costs_pence=10000,
                         overheads_pence=20000, surplus_pence=surplus_pence)


def tendered_care_home(citizen, broker, markets, asked_for_more_expensive):
    assessment = assessment_for(citizen, "acquired-brain-injury")
    requirement = services.raise_requirement(
        assessment, broker, need_groups=NeedGroup.objects.filter(code="physical-disability"),
        service_type=assessment.service_type, area=Area.objects.get(code="north"), eligible_needs="Rehabilitation",
        outcomes="Regain independence", start_on=dt.date(2026, 12, 7), accommodation="Ground-floor room",
        asked_for_more_expensive=asked_for_more_expensive)
    tender = requirement.tenders.get()
    prices = {}
    for organisation, surplus in zip(markets, [5000, 25000, 0]):
        offer = offer_from(tender, organisation, breakdown=breakdown(surplus))
        prices[organisation.name] = offer
    clock.advance(dt.timedelta(hours=48))
    services.close_due_tenders()
    requirement.refresh_from_db()
    return requirement, prices


def test_the_citizen_chooses_among_the_top_rated_homes(citizen, broker, brain_injury_market):
    requirement, offers = tendered_care_home(citizen, broker, brain_injury_market, asked_for_more_expensive=False)
    assert requirement.status == CareRequirement.Status.AWAITING_CHOICE
    with pytest.raises(ValidationError, match="choose one"):
        services.award(requirement, broker)
    cheaper = offers["Oakfield House"]
    assert cheaper.weekly_price_pence == 80000 + 10000 + 20000 + 5000
    package = services.award(requirement, broker, chosen_offer_id=cheaper.pk)
    assert (package.route, package.weekly_price_pence, package.top_up_pence) == ("citizen_choice", 115000, 0)


def test_a_dearer_choice_needs_the_citizens_request_and_a_named_payer(citizen, broker, brain_injury_market):
    requirement, offers = tendered_care_home(citizen, broker, brain_injury_market, asked_for_more_expensive=False)
    dearer = offers["Elm Court"]  # £200 a week more than Oakfield House, also Gold
    with pytest.raises(ValidationError, match="only where the citizen asked for more expensive"):
        services.award(requirement, broker, chosen_offer_id=dearer.pk, top_up_payer="Their son")
    assert not CarePackage.objects.exists()


def test_a_top_up_is_recorded_with_its_payer_when_the_citizen_asked_for_more(citizen, broker, brain_injury_market):
    requirement, offers = tendered_care_home(citizen, broker, brain_injury_market, asked_for_more_expensive=True)
    dearer = offers["Elm Court"]
    preview = services.preview_choice(requirement, dearer.pk, top_up_payer="")
    assert not preview.allowed and "needs a named person" in preview.reason
    with pytest.raises(ValidationError, match="needs a named person"):
        services.award(requirement, broker, chosen_offer_id=dearer.pk)
    package = services.award(requirement, broker, chosen_offer_id=dearer.pk, top_up_payer="Their son, Alan")
    assert (package.weekly_price_pence, package.top_up_pence, package.top_up_payer) == (115000, 20000,
                                                                                         "Their son, Alan")


def test_the_citizen_may_choose_a_lower_rated_offer_the_council_pays_its_price(citizen, broker, brain_injury_market):
    requirement, offers = tendered_care_home(citizen, broker, brain_injury_market, asked_for_more_expensive=True)
    package = services.award(requirement, broker, chosen_offer_id=offers["Ashgrove"].pk, top_up_payer="")
    # Silver is below the top rating but may still be chosen (Bronze could not); it is the cheapest.
    assert package.top_up_pence == 0 and package.weekly_price_pence == offers["Ashgrove"].weekly_price_pence


def test_home_support_is_awarded_by_the_rules_not_chosen(citizen, broker, home_market):
    requirement = raise_home_support(citizen, broker)
    tender = requirement.tenders.get()
    silver = offer_from(tender, home_market["silver"])
    offer_from(tender, home_market["gold"])
    clock.advance(dt.timedelta(hours=48))
    services.close_due_tenders()
    with pytest.raises(ValidationError, match="awarded by the rules"):
        services.award(requirement, broker, chosen_offer_id=silver.pk)


@pytest.mark.parametrize("field, value, message", [
    ("hourly_rate_pence", -100, "must be more than £0"),
    ("hourly_rate_pence", 99_999_00, "cannot be more than £200.00"),
    ("care_hours", Decimal("5000"), "cannot be more than 672"),
    ("surplus_pence", -1, "cannot be negative"),
    ("overheads_pence", 19_500_00, "more than £20,000.00"),
])
def test_negative_or_absurd_open_book_prices_are_refused(citizen, broker, brain_injury_market, field, value,
                                                         message):
    import dataclasses

    assessment = assessment_for(citizen, "acquired-brain-injury")
    requirement = services.raise_requirement(
        assessment, broker, need_groups=NeedGroup.objects.filter(code="physical-disability"),
        service_type=assessment.service_type, area=Area.objects.get(code="north"), eligible_needs="Rehabilitation",
        outcomes="Regain independence", start_on=dt.date(2026, 12, 7))
    bad = dataclasses.replace(breakdown(0), **{field: value})
    with pytest.raises(ValidationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        offer_from(requirement.tenders.get(), brain_injury_market[0], breakdown=bad)
