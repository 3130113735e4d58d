"""A smaller neighbouring council on the same install: Sandwell, beside Birmingham. It keeps its
own staff, citizens, payment calendar and fees (Birmingham's adopted 3.5% higher), runs its own
framework for care homes, and has agreed to join Birmingham's framework for the rest, so the
providers Birmingham approved are asked for Sandwell's care too: the demo's home-support
provider administrator works for both councils."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from caremarket.accounts.models import User
from caremarket.fees import services as fees
from caremarket.fees.models import FeeSchedule
from caremarket.framework import councils
from caremarket.framework.models import Framework, Section, SectionApproval
from caremarket.organisations.models import CareLocation, Organisation
from caremarket.periods.calendar import financial_year_of
from caremarket.periods.publishing import draft_year, publish_year
from caremarket.quality.models import PqasSubmission, QualityRating
from caremarket.reference.models import ServiceType
from caremarket.tendering.models import TenderPolicy

from .names import NEIGHBOUR_PEOPLE, demo_username
from .placements import DemoPlacements

NAME = "Sandwell Metropolitan Borough Council"
SHARE = 8  # of Birmingham's citizens, one in this many
FEES_ABOVE = Decimal("3.5")  # percent above Birmingham's
OWN_SERVICES = ("residential-care", "nursing-care")  # its own framework's


class DemoNeighbour:
    def __init__(self, market):
        self.market = market

    def build(self) -> Organisation:
        market = self.market
        self.council = Organisation.objects.create(
            kind=Organisation.Kind.COUNCIL, name=NAME, la_code="333", register_id="SAW",
            address="Sandwell Council House\nFreeth Street\nOldbury", postcode="B69 3DE")
        User.objects.bulk_create(market._person(demo_username(login), role, self.council, first, last)
                                 for login, role, first, last in NEIGHBOUR_PEOPLE)
        people = {login: User.objects.get(username=demo_username(login)) for login, *_ in NEIGHBOUR_PEOPLE}
        commissioner = people["sandwell.commissioner"]
        publish_year(draft_year(financial_year_of(market.today), commissioner), commissioner)
        for schedule in FeeSchedule.objects.filter(council=market.council, published_at__isnull=False):
            fees.publish(fees.adopt_schedule(schedule, self.council, commissioner, percent=FEES_ABOVE), commissioner)
        self._ratings()
        self._frameworks(commissioner)
        market._citizens(self.council, total=market.counts.citizens // SHARE,
                         social_workers=[people["sandwell.social.worker"]], prefix="SW", town="West Bromwich")
        DemoPlacements(market, council=self.council, broker=people["sandwell.broker"], live=8, prefix="SW-").build()
        return self.council

    def _ratings(self) -> None:
        """Sandwell's rating system rates the same services: providers sent it the statements they
        sent Birmingham, and it reads the CQC's findings; it has made no inspections of its own yet."""
        *_, statements = self.market.rating_evidence
        pqas = PqasSubmission.objects.bulk_create(
            PqasSubmission(council=self.council, location=p.location, self_rating=p.self_rating,
                           submitted_on=p.submitted_on) for p in statements)
        self.market.rate_services(self.council, [], pqas)

    def _frameworks(self, commissioner) -> None:
        """Birmingham's framework, joint once Sandwell agrees; and Sandwell's own for care homes,
        newer, so that its tender policies are the ones its care homes are tendered by."""
        market = self.market
        birmingham = Framework.objects.get(council=market.council)
        asked_by = User.objects.get(username=demo_username("commissioner"))
        councils.agree_to_join(councils.ask_to_join(birmingham, self.council, asked_by), commissioner)
        own = Framework.objects.create(council=self.council, name="Sandwell Care Homes Framework 2026",
                                       starts_on=birmingham.starts_on + dt.timedelta(days=61),
                                       ends_on=birmingham.ends_on,
                                       initial_procurement_closes_on=birmingham.initial_procurement_closes_on)
        services = list(ServiceType.objects.filter(code__in=OWN_SERVICES))
        sections = [Section.objects.create(framework=own, service_type=service, open_to_new_entrants=True)
                    for service in services]
        for policy in TenderPolicy.objects.filter(framework=birmingham, service_type__in=services):
            policy.pk, policy.framework, policy.council_id = None, own, self.council.pk
            policy.save()
        nursing = set(CareLocation.objects.filter(has_nursing=True).values_list("organisation_id", flat=True))
        suspended = set(QualityRating.objects.filter(council=self.council, is_current=True, suspended=True)
                        .values_list("location__organisation", flat=True))  # not approved while suspended
        SectionApproval.objects.bulk_create(
            SectionApproval(council=self.council, organisation=home, section=section, approved_on=own.starts_on)
            for home in market.homes[::2] if home.pk not in suspended for section in sections
            if section.service_type.code == "residential-care" or home.pk in nursing)
