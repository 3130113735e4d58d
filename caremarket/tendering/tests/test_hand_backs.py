"""A provider hands packages back: each citizen is re-placed, in the area first."""

import datetime as dt
from decimal import Decimal

import pytest

from caremarket.events.models import Event
from caremarket.core import clock
from caremarket.packages.models import CarePackage
from caremarket.tendering import handbacks, services
from caremarket.tendering.models import CareRequirement, ProviderCapacity

from .conftest import offer_from, raise_home_support

pytestmark = pytest.mark.usefixtures("frozen_clock")


def awarded_to(organisation, citizen, broker, home_market):
    requirement = raise_home_support(citizen, broker)
    offer_from(requirement.tenders.get(), organisation)
    clock.advance(dt.timedelta(hours=48))
    services.close_due_tenders()
    return services.award(requirement, broker)


def test_handed_back_packages_go_to_providers_with_room_in_the_area_and_the_rest_to_tender(
        citizen, broker, commissioner, home_market):
    packages = [awarded_to(home_market["gold"], citizen, broker, home_market) for _ in range(3)]
    ProviderCapacity.objects.create(organisation=home_market["silver"], spare_weekly_hours=Decimal(21),
                                    stated_at=clock.now())
    result = handbacks.hand_back(home_market["gold"], commissioner, reason="Leaving the market")
    assert result.handed_back == 3
    assert sorted(result.placed.values()) == ["Silverbirch Care", "Silverbirch Care"]  # 2 × 10.5 hours fit
    assert len(result.tendered) == 1
    assert all(CarePackage.objects.get(pk=p.pk).status == CarePackage.Status.HANDED_BACK for p in packages)
    told = Event.objects.filter(kind="package.handed_back")
    assert sorted(e.subject for e in told) == sorted(f"package {p.reference}" for p in packages)
    assert {e.data["reason"] for e in told} == {"Leaving the market"}
    new = CareRequirement.objects.filter(replaces__in=packages)
    assert new.count() == 3 and all(r.citizen == citizen for r in new)
    tendered = new.get(reference=result.tendered[0])
    # Re-offered, but never to the provider handing it back.
    assert "Goldcrest Care" not in set(tendered.tenders.get().invitations.values_list("organisation__name",
                                                                                       flat=True))
    # A second run finds nothing left to hand back.
    assert handbacks.hand_back(home_market["gold"], commissioner, reason="again").handed_back == 0


def test_a_provider_whose_evidence_has_lapsed_is_not_given_handed_back_packages(citizen, broker, commissioner,
                                                                                 home_market):
    from caremarket.framework.models import ComplianceDocument, DocumentType

    awarded_to(home_market["gold"], citizen, broker, home_market)
    ProviderCapacity.objects.create(organisation=home_market["silver"], spare_weekly_hours=Decimal(40),
                                    stated_at=clock.now())
    ComplianceDocument.objects.create(organisation=home_market["silver"], expires_on=clock.today() - dt.timedelta(days=1),
                                      document_type=DocumentType.objects.get(code="insurance-pl"))
    result = handbacks.hand_back(home_market["gold"], commissioner, reason="Leaving the market")
    assert result.placed == {} and len(result.tendered) == 1
