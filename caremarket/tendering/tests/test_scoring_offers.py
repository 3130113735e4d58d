"""The 2012 rule scores the offer, not only the provider: a person scores each offer's response
against the policy's criteria, with a reason, before the offers are evaluated."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from caremarket.audit.models import AuditEvent
from caremarket.core import clock
from caremarket.tendering import services
from caremarket.tendering.models import CareRequirement, OfferScore, TenderPolicy

from .conftest import offer_from, raise_home_support

pytestmark = pytest.mark.usefixtures("frozen_clock")


@pytest.fixture
def criteria(db):
    """Home support under the 2012 rule, with the criteria every policy starts with: the
    response's meeting of needs (25 points) and outcomes (20), and the rating (15)."""
    TenderPolicy.objects.filter(service_type__code="home-support").update(rule=TenderPolicy.Rule.PROSPECTUS_2012)
    needs, outcomes, rating = TenderPolicy.objects.get(service_type__code="home-support").criteria.all()
    assert (needs.points, outcomes.points, rating.points, rating.from_rating) == (25, 20, 15, True)
    return needs, outcomes


def test_a_broker_scores_each_response_with_reasons_and_the_scores_decide(citizen, broker, home_market, criteria,
                                                                           signed_in):
    needs, outcomes = criteria
    requirement = raise_home_support(citizen, broker)
    tender = requirement.tenders.get()
    gold = offer_from(tender, home_market["gold"], outcomes_response="We will visit as needed.")
    silver = offer_from(tender, home_market["silver"], outcomes_response="Two named carers each morning who help "
                                                                         "Mr Q cook again; a review at six weeks.")
    clock.advance(dt.timedelta(hours=48))
    services.close_tender(tender)
    requirement.refresh_from_db()
    assert requirement.status == CareRequirement.Status.AWAITING_SCORES
    with pytest.raises(ValidationError, match="still to be scored"):
        services.check_award(requirement)

    client = signed_in(broker)
    url = f"/brokerage/{requirement.pk}/scores/"
    page = client.get(url).content.decode()
    assert "Offer 1" in page and "Two named carers each morning" in page
    assert "Goldcrest" not in page and "Silverbirch" not in page  # scored blind: the response, not the name
    answers = {f"score-{gold.pk}-{needs.pk}": "1", f"reason-{gold.pk}-{needs.pk}": "No visit times or skills given",
               f"score-{gold.pk}-{outcomes.pk}": "1", f"reason-{gold.pk}-{outcomes.pk}": "Outcomes not addressed",
               f"score-{silver.pk}-{needs.pk}": "4", f"reason-{silver.pk}-{needs.pk}": "Every need, with visit times",
               f"score-{silver.pk}-{outcomes.pk}": "4", f"reason-{silver.pk}-{outcomes.pk}": ""}
    refused = client.post(url, answers)
    assert refused.status_code == 200
    assert "Offer 2: give the reason for the score for how the offer supports" in refused.content.decode()
    assert not OfferScore.objects.exists()

    answers[f"reason-{silver.pk}-{outcomes.pk}"] = "Cooking again, reviewed at six weeks"
    assert client.post(url, answers).status_code == 302
    requirement.refresh_from_db()
    assert requirement.status == CareRequirement.Status.READY_TO_AWARD
    # Gold: 25×1/4 + 20×1/4 + 15 = 26.25, price 40: 66.25. Silver: 25 + 20 + 11.25 = 56.25, price 40: 96.25.
    tender.refresh_from_db()
    ranked = [(r["provider"], r["scores"]["total"]) for r in tender.evaluation["ranked"]]
    assert ranked == [("Silverbirch Care", "96.25"), ("Goldcrest Care", "66.25")]
    assert "Cooking again, reviewed at six weeks" in tender.evaluation["ranked"][0]["reasons"][0]
    assert services.check_award(requirement).offer == silver
    scored = AuditEvent.objects.filter(action="offer.scored", object_id=str(gold.pk)).get()
    assert scored.actor_id == broker.pk and "No visit times or skills given" in str(scored.after)
    detail = client.get(f"/brokerage/{requirement.pk}/").content.decode()
    assert "Silverbirch Care wins with 96.25 points of 100" in detail


def test_offers_cannot_be_scored_off_the_scale_or_once_awarded(citizen, broker, home_market, criteria):
    needs, _ = criteria
    requirement = raise_home_support(citizen, broker)
    tender = requirement.tenders.get()
    offer = offer_from(tender, home_market["silver"])
    clock.advance(dt.timedelta(hours=48))
    services.close_tender(tender)
    tender.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        services.score_offers(tender, broker, {offer.pk: {str(needs.pk): (5, "Too high")}})
    assert "Choose a score from 0 to 4" in str(refused.value)
    CareRequirement.objects.filter(pk=requirement.pk).update(status=CareRequirement.Status.AWARDED)
    with pytest.raises(ValidationError, match="can no longer be scored"):
        services.score_offers(tender, broker, {offer.pk: {str(needs.pk): (3, "Fine")}})
    assert not OfferScore.objects.exists()
