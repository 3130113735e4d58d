"""Raising a home-support requirement, tendering it, offers, deadlines and award."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from caremarket.events.models import Event
from caremarket.audit.models import AuditEvent
from caremarket.core import clock
from caremarket.packages.models import CarePackage
from caremarket.tendering import services
from caremarket.tendering.models import CareRequirement, Invitation, Offer
from caremarket.tendering.offers import OfferRefused

from .conftest import offer_from, raise_home_support

pytestmark = pytest.mark.usefixtures("frozen_clock")


def test_a_requirement_is_tendered_to_every_eligible_provider_in_its_area(citizen, broker, home_market):
    requirement = raise_home_support(citizen, broker)
    tender = requirement.tenders.get()
    invited = set(Invitation.objects.filter(tender=tender).values_list("organisation__name", flat=True))
    assert invited == {"Goldcrest Care", "Silverbirch Care"}  # not the West provider, not the suspended one
    assert requirement.status == CareRequirement.Status.TENDERING
    assert tender.closes_at == clock.now() + dt.timedelta(hours=48)


def test_an_urgent_requirement_has_the_short_window(citizen, broker, home_market):
    tender = raise_home_support(citizen, broker, urgency="urgent").tenders.get()
    assert tender.closes_at - tender.opens_at == dt.timedelta(hours=4)


def test_offers_are_sealed_changeable_and_withdrawable_until_the_deadline(citizen, broker, home_market):
    tender = raise_home_support(citizen, broker).tenders.get()
    offer = offer_from(tender, home_market["silver"])
    assert offer.weekly_price_pence == 23625  # the fixed fee £22.50 × 10.5 hours
    offer_from(tender, home_market["silver"], outcomes_response="Changed: a named key worker")
    assert Offer.objects.get(pk=offer.pk).outcomes_response == "Changed: a named key worker"
    services.withdraw_offer(offer, home_market["silver"].people.first())
    assert Offer.objects.get(pk=offer.pk).status == Offer.Status.WITHDRAWN
    # The trail records that offers were made, never their contents, before the tender closes.
    events = AuditEvent.objects.filter(action__startswith="offer.")
    assert [e.action for e in events.order_by("pk")] == ["offer.submitted", "offer.changed", "offer.withdrawn"]
    assert all("23625" not in str(e.after) and "£" not in str(e.after) for e in events)


def test_after_the_deadline_an_offer_is_refused_with_the_time_it_closed(citizen, broker, home_market):
    tender = raise_home_support(citizen, broker).tenders.get()
    offer = offer_from(tender, home_market["gold"])
    clock.advance(dt.timedelta(hours=48))
    with pytest.raises(OfferRefused, match="Offers closed at 09:00 on 25 November 2026"):
        offer_from(tender, home_market["silver"])
    with pytest.raises(OfferRefused):
        services.withdraw_offer(offer, home_market["gold"].people.first())
    assert not Offer.objects.filter(organisation=home_market["silver"]).exists()


def test_a_provider_not_invited_cannot_offer(citizen, broker, home_market):
    tender = raise_home_support(citizen, broker).tenders.get()
    with pytest.raises(OfferRefused, match="not asked"):
        offer_from(tender, home_market["elsewhere"])


@pytest.mark.parametrize("overrides, field", [
    ({"confirms_needs": False}, "confirms_needs"),
    ({"outcomes_response": "  "}, "outcomes_response"),
    ({"start_on": dt.date(2026, 11, 1)}, "start_on"),
    ({"start_on": None}, "start_on"),
    ({"location": None}, "location"),
])
def test_an_incomplete_offer_is_refused_by_field_and_nothing_is_stored(citizen, broker, home_market, overrides,
                                                                       field):
    tender = raise_home_support(citizen, broker).tenders.get()
    with pytest.raises(ValidationError) as refused:
        offer_from(tender, home_market["gold"], **overrides)
    assert field in refused.value.message_dict
    assert not Offer.objects.exists()


def test_the_highest_rated_offer_wins_when_the_tender_closes_and_award_makes_the_package(citizen, broker,
                                                                                         home_market):
    requirement = raise_home_support(citizen, broker)
    tender = requirement.tenders.get()
    offer_from(tender, home_market["silver"])
    gold_offer = offer_from(tender, home_market["gold"])
    assert services.close_due_tenders() == 0  # not yet
    clock.advance(dt.timedelta(hours=48))
    assert services.close_due_tenders() == 1
    tender.refresh_from_db()
    requirement.refresh_from_db()
    assert requirement.status == CareRequirement.Status.READY_TO_AWARD
    assert tender.evaluation["winner"] == str(gold_offer.pk)
    assert "Goldcrest Care wins: the highest rating (Gold)" == tender.evaluation["summary"]

    package = services.award(requirement, broker)
    # The fixed fee of £22.50 an hour with the published 2% Gold uplift: £22.95 × 10.5 hours
    assert (package.organisation, package.hourly_rate_pence, package.weekly_price_pence, package.route) == (
        home_market["gold"], 2295, 24098, CarePackage.Route.MICRO_TENDER)
    assert "2% uplift" in package.decision["price"]
    assert package.decision["ranked"][0]["provider"] == "Goldcrest Care"
    assert AuditEvent.objects.filter(action="care_package.awarded", object_id=str(package.pk)).exists()
    with pytest.raises(services.AlreadyAwarded, match="already awarded to Goldcrest Care"):
        services.award(requirement, broker)


def test_nobody_offers_so_the_tender_widens_to_the_neighbouring_areas(citizen, broker, home_market):
    requirement = raise_home_support(citizen, broker)
    clock.advance(dt.timedelta(hours=48))
    services.close_due_tenders()
    second = requirement.tenders.get(round=2)
    assert set(second.areas.values_list("code", flat=True)) == {"north", "east", "west"}
    assert "Westway Care" in set(second.invitations.values_list("organisation__name", flat=True))
    unmet = Event.objects.get(kind="tender.unmet")  # the council's systems hear nobody offered
    assert (unmet.subject, unmet.data["round"], unmet.data["next_round"]) == (
        f"requirement {requirement.reference}", 1, 2)
    assert unmet.citizen["person_id"] == citizen.reference


def test_after_the_last_round_the_brokerage_team_is_left_to_act(citizen, broker, home_market):
    requirement = raise_home_support(citizen, broker)
    for _ in range(3):
        clock.advance(dt.timedelta(hours=48))
        services.close_due_tenders()
    requirement.refresh_from_db()
    assert requirement.tenders.count() == 3
    assert requirement.status == CareRequirement.Status.NO_OFFERS
    assert AuditEvent.objects.filter(action="care_requirement.referred").exists()


def test_a_provider_is_told_another_won_only_when_it_offered():
    tender = None  # an awarded tender's outcome does not depend on its round
    assert services.outcome_for_provider(tender, 7, 7) == "Awarded to you"
    assert services.outcome_for_provider(tender, 7, 8, offered=True) == "Awarded to another provider"
    assert services.outcome_for_provider(tender, 7, 8, offered=False) == "Closed: you did not offer"
