"""The demo market's care: packages for citizens already receiving a service, block contracts,
providers' spare capacity, and live work in the brokerage queue (tenders open, closed and
waiting for an award or the citizen's choice, and one nobody offered for).

Existing packages are stored in bulk; those started this financial year were micro-tendered
(a closed tender, the winner's offer and up to three others), so the market dashboard and the
open contracting data have a year of tenders behind them; the live work goes through tendering.services, the
same code the pages use, so the demo shows real routing, invitations, offers and evaluations.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from caremarket.accounts.models import User
from caremarket.accounts.roles import Role
from caremarket.citizens.models import Assessment
from caremarket.core import clock
from caremarket.core.bulk import create_all
from caremarket.fees import pricing
from caremarket.fees import services as fees
from caremarket.framework.councils import frameworks_of
from caremarket.framework.models import SectionApproval
from caremarket.organisations.models import CareLocation
from caremarket.packages.models import CarePackage
from caremarket.periods.calendar import financial_year_bounds, financial_year_of
from caremarket.quality.models import QualityRating
from caremarket.reference.models import ServiceType
from caremarket.tendering import services
from caremarket.tendering.models import BlockContract, CareRequirement, Offer, ProviderCapacity, Tender
from caremarket.tendering.offers import CostBreakdown, OfferRefused

from .names import DEMO_DOMAIN

LIVE_REQUIREMENTS = 24  # per scale unit: the brokerage queue a demo opens on
TENDER_OPEN = dt.timedelta(hours=48)
MOST_OTHER_OFFERS = 3


class DemoPlacements:
    """One council's care: its packages in place (this year's as closed micro-tenders) and the
    brokerage queue it opens on."""

    def __init__(self, market, council=None, broker=None, live: int = LIVE_REQUIREMENTS, prefix: str = ""):
        self.market, self.random = market, market.random
        self.council, self.broker = council or market.council, broker or market.broker
        # Care placed before Caremarket keeps the reference it had (another council's with its own
        # prefix); what Caremarket raises is numbered from its record (core.references).
        self.live, self.prefix = live, prefix

    def build(self) -> None:
        self.fee_rules = fees.schedule_rules(self.market.today, self.council.pk)
        self.locations = {loc.organisation_id: loc for loc in CareLocation.objects.all()}
        if self.council == self.market.council:
            self._capacity_and_blocks()
        self._existing_packages()
        self._live_work()

    def _approved(self, code) -> dict[str | None, list[int]]:
        """Organisations approved for a service type under the council's frameworks, by area code
        (None: city-wide sections)."""
        found: dict[str | None, list[int]] = {}
        for organisation_id, area in (SectionApproval.objects.filter(
                section__framework__in=frameworks_of(self.council.pk),
                section__service_type__code=code, status=SectionApproval.Status.APPROVED)
                .order_by("organisation_id").values_list("organisation_id", "section__area__code")):
            found.setdefault(area, []).append(organisation_id)
        return found

    def _capacity_and_blocks(self):
        r, now = self.random, clock.now()
        ProviderCapacity.objects.bulk_create(
            ProviderCapacity(organisation=p, spare_weekly_hours=Decimal(r.choice([0, 20, 40, 60, 100, 150])),
                             stated_at=now) for p in self.market.home_support)
        year_start = dt.date(self.market.today.year if self.market.today.month >= 4 else self.market.today.year - 1,
                             4, 1)
        home_support = ServiceType.objects.get(code="home-support")
        north = next(a for a in self.market.areas if a.code == "north")
        approved_north = set(self._approved("home-support").get("north", []))
        block_provider = next(p for p in self.market.home_support if p.pk in approved_north)
        BlockContract.objects.create(
            reference="BLK-2026-001", organisation=block_provider, location=self.locations[block_provider.pk],
            service_type=home_support, area=north, weekly_hours=Decimal(60), price_pence=2150, starts_on=year_start,
            ends_on=year_start.replace(year=year_start.year + 1) - dt.timedelta(days=1))

    def _existing_packages(self):
        """A package for every assessment already receiving a service, with a provider approved for it."""
        r = self.random
        approved = {code: self._approved(code) for code in ("home-support", "residential-care", "nursing-care",
                                                              "supported-living")}
        self.year_start = financial_year_bounds(financial_year_of(self.market.today))[0]
        self.people = {}
        # Values, not model objects: 8,500 assessments, each with a citizen, ward, area and service.
        service_types = {s.pk: s for s in ServiceType.objects.all()}
        areas = {a.pk: a for a in self.market.areas}
        assessments = (Assessment.objects.filter(council=self.council,
                                                 status=Assessment.Status.RECEIVING_SERVICE).order_by("pk")
                       .values_list("pk", "citizen_id", "citizen__date_of_birth", "citizen__ward_id",
                                    "citizen__ward__area_id", "service_type_id", "eligible_needs", "outcomes",
                                    "weekly_hours", "assessed_on"))
        batch, requirements, plans = 2000, [], []
        number = 0
        now = clock.now()
        for (assessment_id, citizen_id, born, ward_id, area_id, service_type_id, needs, outcomes, hours,
             assessed_on) in assessments.iterator(chunk_size=batch):
            service_type, area = service_types[service_type_id], areas[area_id]
            code = service_type.code
            choices = approved[code].get(area.code if code == "home-support" else None) or \
                [pk for pks in approved[code].values() for pk in pks]
            if not choices:
                continue
            number += 1
            started = assessed_on + dt.timedelta(days=r.randint(3, 21))
            requirements.append(CareRequirement(
                council=self.council, reference=f"{self.prefix}CR-{number:06d}", assessment_id=assessment_id,
                citizen_id=citizen_id, service_type=service_type, area=area, ward_id=ward_id, eligible_needs=needs,
                outcomes=outcomes, weekly_hours=hours, start_on=started, status=CareRequirement.Status.AWARDED,
                routing_reason="Placed before Caremarket (demo history)", raised_by=self.broker,
                raised_at=now - dt.timedelta(days=(self.market.today - started).days + 5)))
            plans.append((r.choice(choices), started, born, choices))
            if len(requirements) == batch:
                self._store_packages(requirements, plans)
                requirements, plans = [], []
        self._store_packages(requirements, plans)

    def _store_packages(self, requirements, plans):
        if not requirements:
            return
        create_all(CareRequirement, requirements)
        prices = []
        for requirement, (_, started, born, _) in zip(requirements, plans):
            fee = fees.fixed_fee(requirement.service_type, born, self.market.today,
                                 requirement.weekly_hours, rules=self.fee_rules)
            if fee is not None:
                prices.append((fee.weekly_pence, fee.hourly_pence, fee.basis))
            else:  # younger adults in care homes, priced open book around the guide price
                guide = self.fee_rules.rate(requirement.service_type.code, pricing.Kind.GUIDE, self.market.today,
                                            band=pricing.WORKING_AGE, need_level="standard")
                prices.append((guide.pence + self.random.randint(-50, 150) * 100, None, "open book"))
        won = self._tendered(requirements, plans, prices)
        packages = []
        for requirement, (organisation_id, started, _, _), (price, hourly, basis) in zip(requirements, plans, prices):
            offer, awarded_at = won.get(requirement.pk, (None, requirement.raised_at))
            packages.append(CarePackage(
                reference=requirement.reference.replace("CR-", "CP-"), requirement=requirement,
                organisation_id=organisation_id, location=self.locations[organisation_id],
                route=CarePackage.Route.MICRO_TENDER, offer=offer, weekly_price_pence=price, hourly_rate_pence=hourly,
                price_basis=basis, weekly_hours=requirement.weekly_hours,
                start_on=started, decision={"reason": "Placed before Caremarket (demo history)"},
                awarded_by=self.broker, awarded_at=awarded_at))
        create_all(CarePackage, packages)

    def _tendered(self, requirements, plans, prices) -> dict:
        """This year's placements as closed micro-tenders: requirement → (winning offer, awarded at)."""
        r, now = self.random, clock.now()
        chosen = [(requirement, plan, price) for requirement, plan, price in zip(requirements, plans, prices)
                  if plan[1] >= self.year_start and requirement.raised_at + TENDER_OPEN < now]
        tenders = [Tender(requirement=requirement, round=1, opens_at=requirement.raised_at,
                          closes_at=requirement.raised_at + TENDER_OPEN, closed_at=requirement.raised_at + TENDER_OPEN,
                          status=Tender.Status.CLOSED, rule="strategy_2018") for requirement, _, _ in chosen]
        create_all(Tender, tenders)
        Tender.areas.through.objects.bulk_create(
            [Tender.areas.through(tender_id=t.pk, area_id=t.requirement.area_id) for t in tenders])
        offers, winners = [], []
        for tender, (requirement, (winner, started, _, choices), (price, _, _)) in zip(tenders, chosen):
            rivals = sorted(set(choices) - {winner})
            others = r.sample(rivals, min(r.randint(0, MOST_OTHER_OFFERS), len(rivals)))
            for organisation_id in [winner, *others]:
                at = tender.opens_at + dt.timedelta(hours=r.randint(1, 40))
                offers.append(Offer(
                    tender=tender, organisation_id=organisation_id, location=self.locations[organisation_id],
                    confirms_needs=True, outcomes_response="A consistent small team, matched to the citizen's wishes",
                    weekly_price_pence=price if organisation_id == winner else price + r.randint(0, 40) * 100,
                    start_on=started, submitted_by=self._offer_person(organisation_id), submitted_at=at,
                    changed_at=at))
            winners.append(len(offers) - len(others) - 1)
        create_all(Offer, offers)
        return {tender.requirement_id: (offers[i], min(now, tender.closed_at + dt.timedelta(hours=r.randint(1, 20))))
                for tender, i in zip(tenders, winners)}

    def _offer_person(self, organisation_id) -> User:
        if organisation_id not in self.people:
            self.people[organisation_id] = self._person_for(self.locations[organisation_id].organisation)
        return self.people[organisation_id]

    def _live_work(self):
        """Requirements raised over the last few days: some closed and waiting for the broker."""
        r = self.random
        waiting = list(Assessment.objects.filter(council=self.council,
                                                 status=Assessment.Status.AWAITING_SERVICE,
                                                 service_type__code__in=["home-support", "residential-care"])
                       .select_related("service_type", "citizen__ward__area").order_by("pk")
                       [:self.live * self.market.scale])
        now = clock.now()
        citizen_chooses = False
        for i, assessment in enumerate(waiting):
            # Two in three were raised three days ago, so their offers are in and the tender has closed;
            # so are care homes until one citizen has two equally rated homes to choose from.
            residential = assessment.service_type.code == "residential-care"
            closed = i % 3 or (residential and not citizen_chooses)
            raised_at = now - dt.timedelta(days=3) if closed else now - dt.timedelta(hours=r.randint(1, 20))
            with clock.frozen(raised_at):
                requirement = services.raise_requirement(
                    assessment, self.broker, need_groups=list(assessment.need_groups.all()),
                    service_type=assessment.service_type, area=assessment.citizen.ward.area,
                    ward=assessment.citizen.ward, eligible_needs=assessment.eligible_needs,
                    outcomes=assessment.outcomes, weekly_hours=assessment.weekly_hours,
                    visit_pattern="Morning and evening visits, 7 days" if assessment.weekly_hours else "",
                    accommodation="" if assessment.weekly_hours else "Single room with en-suite",
                    start_on=clock.today() + dt.timedelta(days=7),
                    urgency="urgent" if i % 5 == 0 else "standard")
                tender = requirement.tenders.first()
                if tender is None or i % 7 == 6:
                    continue  # placed on a block contract, or nobody offers
                invited = list(tender.invitations.select_related("organisation").order_by("organisation_id"))
                open_book = services.fixed_weekly_price(requirement) is None  # e.g. an under-65's care home
                chosen = r.sample(invited, k=min(len(invited), r.randint(1, 4)))
                if residential and closed and not citizen_chooses:
                    # Two offers alike at the top, so that the citizen chooses. Which citizens are
                    # waiting depends on the day the demo is built, so this tries each in turn.
                    pair = self._equally_rated(invited)
                    chosen, citizen_chooses = (pair, True) if pair else (chosen, False)
                for invitation in chosen:
                    organisation = invitation.organisation
                    breakdown = CostBreakdown(Decimal(r.choice([35, 40, 45])), r.randint(1250, 1450), 12000, 15000,
                                              r.randint(3000, 6000)) if open_book else None
                    try:
                        services.submit_offer(
                            tender, organisation, self._person_for(organisation),
                            location=self.locations[organisation.pk], confirms_needs=True,
                            start_on=requirement.start_on, breakdown=breakdown,
                            outcomes_response="A consistent small team, matched to the citizen's preferences")
                    except OfferRefused:
                        continue  # e.g. this council rates its service Inadequate: it may not bid
        for tender in Tender.objects.filter(council=self.council, status=Tender.Status.OPEN,
                                            closes_at__lte=now).order_by("pk"):
            services.close_tender(tender, actor="demo: load_demo_market")

    def _equally_rated(self, invited) -> list:
        """Two invitations whose services have the same current rating from this council (one
        that does not keep them from bidding), or none."""
        by_rating = {}
        ratings = dict(QualityRating.objects.filter(
            council=self.council, location__in=[self.locations[i.organisation_id] for i in invited],
            is_current=True, suspended=False, rating__isnull=False).values_list("location_id", "rating"))
        for invitation in invited:
            rating = ratings.get(self.locations[invitation.organisation_id].pk)
            if rating is not None:
                by_rating.setdefault(rating, []).append(invitation)
        pairs = [group[:2] for group in by_rating.values() if len(group) >= 2]
        return pairs[0] if pairs else []

    def _person_for(self, organisation) -> User:
        """The person who makes a provider's offers (the demo's own provider people where it has them)."""

        person = organisation.people.order_by("pk").first()
        if person is None:
            person = User.objects.create(
                username=f"offers.{organisation.pk}@{DEMO_DOMAIN}", email=f"offers.{organisation.pk}@{DEMO_DOMAIN}",
                email_confirmed_at=clock.now(),
                password=self.market.password_hash, role=Role.PROVIDER_STAFF, organisation=organisation,
                first_name="Offers", last_name="Team")
        return person
