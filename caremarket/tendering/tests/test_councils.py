"""A provider that works for two councils keeps one set of documents: its one insurance
certificate gates its offers to both councils' tenders, and renewing it once opens both."""

import datetime as dt

import pytest

from caremarket.accounts.roles import Role
from caremarket.citizens.models import Citizen
from caremarket.core import clock
from caremarket.tendering.models import Offer
from caremarket.tendering.offers import OfferRefused

from .conftest import approved_provider, offer_from, raise_home_support
from .test_eligibility_at_every_step import insurance

pytestmark = pytest.mark.usefixtures("frozen_clock")


@pytest.fixture
def tenders_from_two_councils(council, neighbour, make_user):
    provider = approved_provider("Goldcrest Care", "1-300000001", make_user=make_user)
    tenders = []
    for number, owner in enumerate((council, neighbour), start=1):
        citizen = Citizen.objects.create(council=owner, reference=f"CM000000{number}", given_name="Person",
                                         family_name=f"Number{number}", date_of_birth=dt.date(1940, 1, 1),
                                         address="1 High Street", postcode="B23 6SD")
        broker = make_user(Role.BROKERAGE_OFFICER, owner, username=f"broker{number}@council.test")
        tenders.append(raise_home_support(citizen, broker).tenders.get())
    return provider, tenders


def test_one_certificate_gates_the_providers_offers_to_both_councils(tenders_from_two_councils):
    provider, tenders = tenders_from_two_councils
    certificate = insurance(provider, dt.date(2026, 11, 24))
    clock.advance(dt.timedelta(hours=40))  # 01:00 on the 25th: the certificate has lapsed, offers still open
    for tender in tenders:
        with pytest.raises(OfferRefused, match="Your public liability insurance certificate expired on 24 November"):
            offer_from(tender, provider)
    assert not Offer.objects.exists()
    certificate.expires_on = dt.date(2027, 11, 24)  # renewed once, for every council
    certificate.save()
    offers = [offer_from(tender, provider) for tender in tenders]
    assert sorted(offer.council.name for offer in offers) == ["Sandwell Council", "Test City Council"]
