"""A deterministic, Birmingham-shaped demo market, with a smaller neighbouring council beside it
(demo.neighbour) unless it is asked for one council alone.

At scale 1 it has the five home-support areas' weekly hours (domain guide §1), about a
hundred home-support providers sized Large/Medium/Small in the strategy's proportions,
care homes with and without nursing, supported living, a carers' consortium, an
independent quality assessor, citizens with assessed needs, and a person for every role.
``scale`` multiplies providers and citizens (10 is a large region). The same seed always
builds the same market.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction

from caremarket.accounts.models import User
from caremarket.accounts.roles import Role
from caremarket.audit.trail import record, seal
from caremarket.citizens.client_records import nhs_number_problem
from caremarket.citizens.models import Assessment, Citizen
from caremarket.core import clock
from caremarket.core.bulk import create_all
from caremarket.framework.models import Section, SectionApproval, SizeClassRecord
from caremarket.framework.sizes import size_for
from caremarket.geography.models import Area, PostcodeDistrict, Ward
from caremarket.organisations.models import AccountManagement, CareLocation, ConsortiumMembership, Organisation
from caremarket.periods.calendar import financial_year_of
from caremarket.periods.publishing import draft_year, publish_year
from caremarket.quality import engine
from caremarket.quality.models import (
    CustomerFeedback,
    FocussedInspectionRequest,
    Inspection,
    PqasSubmission,
    QualityRating,
)
from caremarket.quality.ratings import Rating, Source
from caremarket.reference.models import NeedGroup, ServiceType

from . import budgets as demo_budgets
from . import cost_of_care as demo_cost_of_care
from . import incidents as demo_incidents
from . import names
from .contract_management import DemoManagement
from .neighbour import DemoNeighbour
from .names import DEMO_DOMAIN, DEMO_PASSWORD, DEMO_PEOPLE, demo_username
from .outcomes import DemoOutcomes
from .payments import DemoPayments
from .placements import DemoPlacements

# Providers per scale unit. Home-support sizes by council-funded weekly hours (domain guide §1).
HOME_SUPPORT = {"large": (12, 2001, 3200), "medium": (32, 1000, 2000), "small": (52, 40, 999)}
RESIDENTIAL_HOMES = 150
NURSING_HOMES = 90
SUPPORTED_LIVING = 45
OUT_OF_CITY = 6
CONSORTIUM_MEMBERS = 21  # 001: an integrator and 21 member charities
CITIZENS = 10_000
SOCIAL_WORKERS = 40

# A realistic spread of CQC overall ratings, in the CQC's own words.
CQC_RATINGS = [
    ("Outstanding", 5), ("Good", 68), ("Requires improvement", 17), ("Inadequate", 2),
    ("No published rating", 6), ("Inspected but not rated", 2),
]

@dataclass
class Counts:
    organisations: int = 0
    locations: int = 0
    people: int = 0
    citizens: int = 0


class DemoMarket:
    def __init__(self, scale: int = 1, seed: int = 2018, progress=lambda message: None, councils: int = 2):
        if scale < 1:
            raise ValueError("scale must be 1 or more")
        if councils not in (1, 2):
            raise ValueError("councils must be 1 (Birmingham) or 2 (Birmingham and its neighbour)")
        self.scale, self.seed, self.progress, self.councils = scale, seed, progress, councils
        self.random = random.Random(seed)
        self.counts = Counts()
        self._used_names: set[str] = set()
        self._cqc_number = 1_000_000_000

    # --- helpers -------------------------------------------------------------------
    def _unique_name(self, suffixes) -> str:
        for _ in range(1000):
            candidate = f"{self.random.choice(names.PLACE_WORDS)} {self.random.choice(suffixes)}"
            if candidate not in self._used_names:
                break
            candidate = f"{candidate} {self.random.randint(2, 99)}"
            if candidate not in self._used_names:
                break
        self._used_names.add(candidate)
        return candidate

    def _cqc_id(self) -> str:
        self._cqc_number += self.random.randint(1, 9999)
        return f"1-{self._cqc_number}"

    def _postcode(self, area: Area) -> str:
        district = self.random.choice(self.districts[area.pk])
        letters = "ABDEFGHJLNPQRSTUWXYZ"
        return f"{district} {self.random.randint(1, 9)}{self.random.choice(letters)}{self.random.choice(letters)}"

    def _nhs_number(self) -> str:
        """Ten digits with a true modulus 11 check digit, in the 999 range kept for testing."""
        while True:
            first = f"999{self.random.randint(0, 999_999):06d}"
            for number in (first + digit for digit in "0123456789"):
                if nhs_number_problem(number) is None:  # a tenth of them have none, and are skipped
                    return number

    def _address(self, town: str = "Birmingham") -> str:
        return f"{self.random.randint(1, 250)} {self.random.choice(names.STREETS)}\n{town}"

    def _area(self) -> Area:
        return self.random.choices(self.areas, weights=[a.weekly_care_hours for a in self.areas])[0]

    def _rating(self) -> tuple[str, dt.date | None]:
        rating = self.random.choices([r for r, _ in CQC_RATINGS], weights=[w for _, w in CQC_RATINGS])[0]
        if rating == "No published rating":
            return rating, None
        return rating, self.today - dt.timedelta(days=self.random.randint(30, 1400))

    # --- building --------------------------------------------------------------------
    def build(self) -> Counts:
        with transaction.atomic():
            self.today = clock.today()
            self.areas = list(Area.objects.order_by("code"))
            self.wards = {a.pk: list(Ward.objects.filter(area=a).order_by("ons_code")) for a in self.areas}
            self.districts = {
                a.pk: list(PostcodeDistrict.objects.filter(area=a).order_by("code").values_list("code", flat=True))
                for a in self.areas
            }
            self.password_hash = make_password(DEMO_PASSWORD)
            self.council = Organisation.objects.create(
                kind=Organisation.Kind.COUNCIL, name="Birmingham City Council",
                address="Council House\nVictoria Square\nBirmingham", postcode="B1 1BB",
            )
            self.progress("providers")
            self._providers()
            self._consortium()
            self.assessor = Organisation.objects.create(kind=Organisation.Kind.ASSESSOR, name="Midlands Quality Assessors")
            self.progress("people")
            self._people()
            self.progress("citizens")
            self._citizens()
            self.progress("payment calendar")
            self._payment_calendar()
            self.progress("framework approvals and quality ratings")
            self._framework_and_quality()
            self.progress("care packages and the brokerage queue")
            self.broker = User.objects.get(username=demo_username("broker"))
            DemoPlacements(self).build()
            self.progress("the carers consortium's register, returns and payments")
            DemoOutcomes(self).build()
            self.progress("call monitoring, invoices and the last period's payment run")
            DemoPayments(self).build()
            self.progress("incidents and concerns")
            demo_incidents.build(self)
            self.progress("contract management")
            DemoManagement(self).build()
            demo_budgets.build(self)
            demo_cost_of_care.build(self)
            if self.councils == 2:
                self.progress("the neighbouring council: its calendar, fees, framework, citizens and care")
                DemoNeighbour(self).build()
            self.counts.organisations = Organisation.objects.count()
            self.counts.locations = CareLocation.objects.count()
            self.counts.people = User.objects.count()
            record("demo: load_demo_market", "demo_market.loaded", self.council,
                   after={"scale": self.scale, "seed": self.seed, "organisations": self.counts.organisations,
                          "locations": self.counts.locations, "people": self.counts.people,
                          "citizens": self.counts.citizens},
                   reason="Demo market built for demonstration and testing")
        seal()  # the demo's trail is whole from the start, sealer running or not
        if connection.vendor == "postgresql":
            # Fresh statistics after loading in bulk, so the first lists are planned for the
            # rows really there (autovacuum would do it, minutes later).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        return self.counts

    def _new_provider(self, suffixes, hours=Decimal(0), out_of_city=False, kind=Organisation.Kind.PROVIDER):
        self.suppliers = getattr(self, "suppliers", 100_000) + 1  # the finance system's number for it
        return Organisation(
            kind=kind, name=self._unique_name(suffixes),
            cqc_provider_id=self._cqc_id() if kind == Organisation.Kind.PROVIDER else "",
            address=self._address(), council_funded_weekly_hours=hours, is_out_of_city=out_of_city,
            supplier_number=f"SUP{self.suppliers}",
        )

    def _location(self, organisation, area, *, care_home=False, nursing=False, beds=None, name=None):
        rating, published = self._rating()
        ward = self.random.choice(self.wards[area.pk]) if area else None
        return CareLocation(
            organisation=organisation, cqc_location_id=self._cqc_id(), name=name or organisation.name,
            address=self._address(), postcode=self._postcode(area) if area else "WS1 1AA", ward=ward, area=area,
            is_care_home=care_home, has_nursing=nursing, beds=beds,
            registered_on=self.today - dt.timedelta(days=self.random.randint(400, 6000)),
            cqc_rating=rating, cqc_rating_published_on=published,
        )

    def _providers(self):
        s, r = self.scale, self.random
        home_support = []
        for size, (count, low, high) in HOME_SUPPORT.items():
            for _ in range(count * s):
                home_support.append(self._new_provider(names.HOME_SUPPORT_SUFFIXES, Decimal(r.randint(low, high))))
        homes = [(self._new_provider(names.CARE_HOME_SUFFIXES), False) for _ in range(RESIDENTIAL_HOMES * s)]
        homes += [(self._new_provider(names.CARE_HOME_SUFFIXES), True) for _ in range(NURSING_HOMES * s)]
        supported = [self._new_provider(names.SUPPORTED_LIVING_SUFFIXES) for _ in range(SUPPORTED_LIVING * s)]
        out_of_city = [self._new_provider(names.CARE_HOME_SUFFIXES, out_of_city=True) for _ in range(OUT_OF_CITY * s)]
        Organisation.objects.bulk_create(home_support + [h for h, _ in homes] + supported + out_of_city)
        # Refetch ids (SQLite and PostgreSQL both return them, but keep it portable).
        locations = [self._location(o, self._area()) for o in home_support + supported]
        locations += [
            self._location(o, self._area(), care_home=True, nursing=nursing, beds=r.randint(20, 90))
            for o, nursing in homes
        ]
        locations += [self._location(o, None, care_home=True, beds=r.randint(20, 60)) for o in out_of_city]
        CareLocation.objects.bulk_create(locations, batch_size=2000)
        self.home_support, self.homes, self.supported = home_support, [h for h, _ in homes], supported

    def _consortium(self):
        consortium = Organisation.objects.create(kind=Organisation.Kind.CONSORTIUM, name="Birmingham Carers Consortium")
        charities = [self._new_provider(names.CHARITY_SUFFIXES, kind=Organisation.Kind.CHARITY)
                     for _ in range(CONSORTIUM_MEMBERS + 1)]
        Organisation.objects.bulk_create(charities)
        ConsortiumMembership.objects.bulk_create(
            ConsortiumMembership(consortium=consortium, member=charity, is_lead=(i == 0),
                                 joined_on=dt.date(self.today.year - 2, 4, 1))
            for i, charity in enumerate(charities)
        )
        self.integrator, self.member = charities[0], charities[1]

    def _person(self, username, role, organisation, first, last, **extra) -> User:
        return User(
            username=username, email=username, email_confirmed_at=clock.now(), password=self.password_hash, role=role,
            organisation=organisation, first_name=first, last_name=last, **extra,
        )

    def _people(self):
        orgs = {
            "council": self.council, "home_support": self.home_support[0], "care_home": self.homes[0],
            "integrator": self.integrator, "member": self.member, "assessor": self.assessor,
        }
        people = [
            self._person(demo_username(login), role, orgs[key], first, last)
            for login, role, key, first, last in DEMO_PEOPLE
        ]
        for i in range(SOCIAL_WORKERS * self.scale - 1):
            first, last = self.random.choice(names.GIVEN_NAMES), self.random.choice(names.FAMILY_NAMES)
            people.append(self._person(f"sw{i + 1:04d}@{DEMO_DOMAIN}", Role.SOCIAL_WORKER, self.council, first, last))
        User.objects.bulk_create(people, batch_size=1000)
        self.social_workers = list(User.objects.filter(role=Role.SOCIAL_WORKER).order_by("username"))
        account_manager = User.objects.get(username=demo_username("account.manager"))
        managed = [o.pk for o in self.home_support[:20]]
        AccountManagement.objects.bulk_create(AccountManagement(council=self.council, organisation_id=pk,
                                                                manager=account_manager) for pk in managed)

    def _citizens(self, council=None, total=None, social_workers=None, prefix="CM", town="Birmingham"):
        """The council's citizens (the demo's own council's, unless another is said), each with
        an assessment."""
        r = self.random
        council, total = council or self.council, total or CITIZENS * self.scale
        social_workers = social_workers or self.social_workers
        service_types = {s.code: s for s in ServiceType.objects.all()}
        need_groups = list(NeedGroup.objects.order_by("code"))
        mix = [("home-support", 70), ("residential-care", 14), ("nursing-care", 8), ("supported-living", 8)]
        batch = 5000
        number = 0
        through = Assessment.need_groups.through
        for start in range(0, total, batch):
            citizens, assessments, plans = [], [], []
            for _ in range(min(batch, total - start)):
                number += 1
                area = self._area()
                older = r.random() < 0.7
                age = r.randint(65, 99) if older else r.randint(18, 64)
                citizens.append(Citizen(
                    council=council, reference=f"{prefix}{number:07d}", given_name=r.choice(names.GIVEN_NAMES),
                    family_name=r.choice(names.FAMILY_NAMES),
                    date_of_birth=self.today - dt.timedelta(days=age * 365 + r.randint(0, 364)),
                    nhs_number=self._nhs_number(), address=self._address(town),
                    postcode=self._postcode(area), ward=r.choice(self.wards[area.pk]),
                    social_worker=r.choice(social_workers),
                ))
                code = r.choices([c for c, _ in mix], weights=[w for _, w in mix])[0]
                groups = r.sample(need_groups, k=r.choice([1, 1, 2]))
                if older and r.random() < 0.5:
                    groups = [g for g in need_groups if g.code == "older-people"] + groups[:1]
                plans.append((code, groups))
            create_all(Citizen, citizens)
            for citizen, (code, groups) in zip(citizens, plans):
                home = code == "home-support"
                assessments.append(Assessment(
                    citizen=citizen, assessed_on=self.today - dt.timedelta(days=r.randint(1, 700)),
                    service_type=service_types[code],
                    eligible_needs="Help with personal care, meals and medication" if home else
                    "Needs 24-hour care and supervision",
                    outcomes="To stay safe and well at home" if home else "To live safely with support around the clock",
                    weekly_hours=Decimal(r.choice([7, 10.5, 14, 17.5, 21, 28])) if home else
                    Decimal(r.choice([20, 30, 40, 60])) if code == "supported-living" else None,
                    status=r.choices(["receiving_service", "awaiting_service", "assessed"], weights=[85, 10, 5])[0],
                ))
            create_all(Assessment, assessments)
            through.objects.bulk_create(
                through(assessment_id=a.pk, needgroup_id=g.pk)
                for a, (_, groups) in zip(assessments, plans) for g in {g.pk: g for g in groups}.values()
            )
            self.counts.citizens += len(citizens)
            self.progress(f"{council}'s citizens: {number:,} of {total:,}")

    def _framework_and_quality(self):
        """Approve providers for sections and give every service its evidence and rating.
        The ratings come from the same engine as in use (quality.engine), stored in bulk."""
        r = self.random
        sections = {(s.service_type.code, s.area.code if s.area else None, s.need_group.code if s.need_group else None): s
                    for s in Section.objects.select_related("service_type", "area", "need_group")}
        approved_on = dt.date(financial_year_of(self.today), 4, 1)
        locations = {l.organisation_id: l for l in CareLocation.objects.select_related("area")}
        approvals = []

        def approve(organisation, *keys):
            approvals.extend(SectionApproval(organisation=organisation, section=sections[key], approved_on=approved_on)
                             for key in dict.fromkeys(keys))

        area_codes = [a.code for a in self.areas]
        for provider in self.home_support:
            own = locations[provider.pk].area.code
            lots = 3 if provider.council_funded_weekly_hours > 2000 else (2 if provider.council_funded_weekly_hours >= 1000 else 1)
            approve(provider, *[("home-support", code, None) for code in [own] + r.sample(area_codes, lots - 1)])
        approve(self.home_support[1], ("quick-discharge", None, None))
        for provider in self.home_support[2:5]:
            approve(provider, ("approved-premises", None, None))
        for provider in self.home_support[5:7]:
            approve(provider, ("sensory-loss", None, None))
        for provider in self.homes:
            nursing = locations[provider.pk].has_nursing
            kind = "nursing-care" if nursing else "residential-care"
            approve(provider, (kind, None, "older-people"), *([(kind, None, "dementia")] if r.random() < 0.5 else []))
        for provider in self.supported:
            approve(provider, ("supported-living", None, r.choice(["learning-disability", "mental-health",
                                                                     "physical-disability"])))
        create_all(SectionApproval, approvals)  # each its section's council
        SizeClassRecord.objects.bulk_create(
            SizeClassRecord(organisation=provider, size=size.value, reason=reason, effective_from=approved_on,
                            weekly_hours=provider.council_funded_weekly_hours)
            for provider in self.home_support for size, reason in [size_for(provider.council_funded_weekly_hours)])

        inspections, pqas, feedback = [], [], []
        council_words = {"Outstanding": "Gold", "Good": "Silver", "Requires improvement": "Bronze",
                         "Inadequate": "Inadequate"}
        for location in locations.values():
            if location.cqc_rating in council_words:
                inspections.append(Inspection(location=location, source="cqc", kind="full",
                                              outcome=location.cqc_rating,
                                              inspected_on=location.cqc_rating_published_on))
            if not location.organisation_id or location.area is None:
                continue
            outcome = council_words.get(location.cqc_rating)
            if r.random() < 0.3 or outcome is None:
                outcome = outcome or r.choice(["Silver", "Silver", "Bronze"])
                inspections.append(Inspection(council=self.council, location=location, source="council", kind="full",
                                              outcome=outcome,
                                              inspected_on=self.today - dt.timedelta(days=r.randint(10, 300))))
            # Most statements confirm the rating; one in ten reports a fall.
            own_view = max(Rating.from_label(outcome) - (r.random() < 0.1), Rating.INADEQUATE)
            pqas.append(PqasSubmission(council=self.council, location=location, self_rating=int(own_view),
                                       submitted_on=self.today - dt.timedelta(days=r.randint(5, 200))))
            for _ in range(r.randint(0, 6)):
                feedback.append(CustomerFeedback(
                    council=self.council, location=location, source="healthwatch",
                    received_on=self.today - dt.timedelta(days=r.randint(1, 330)),
                    would_recommend=r.random() < 0.8, overall_experience=r.choice([3, 4, 4, 5, 5])))
        Inspection.objects.bulk_create(inspections, batch_size=2000)
        PqasSubmission.objects.bulk_create(pqas, batch_size=2000)
        CustomerFeedback.objects.bulk_create(feedback, batch_size=2000)

        # What a council set up later rates from: the services, the CQC's findings, the statements.
        self.rating_evidence = (list(locations.values()), approved_on,
                                [i for i in inspections if i.council_id is None], pqas)
        suspended = self.rate_services(self.council, [i for i in inspections if i.council_id], pqas)
        SectionApproval.objects.filter(organisation_id__in=suspended).update(
            status=SectionApproval.Status.SUSPENDED, status_reason="Rated Inadequate: suspended from bidding")

        # Focussed inspections that intelligence called for: two given to the independent assessor.
        called = r.sample(sorted((l for l in locations.values() if l.organisation_id and l.area), key=lambda l: l.pk), 4)
        FocussedInspectionRequest.objects.bulk_create(
            FocussedInspectionRequest(
                council=self.council, location=location, raised_on=self.today - dt.timedelta(days=days),
                reasons=[reason],
                **({"assessor": self.assessor, "assigned_on": self.today - dt.timedelta(days=days - 2),
                    "due_on": self.today + dt.timedelta(days=due)} if due is not None else {}))
            for location, (days, reason, due) in zip(called, [
                (12, "3 safeguarding alerts in 91 days (the threshold is 3)", 9),
                (20, "4 complaints in 91 days (the threshold is 4)", -3),
                (4, "3 concerns or deficiencies in 91 days (the threshold is 3)", None),
                (2, "1 CQC notice or restriction in 91 days (the threshold is 1)", None)]))

    def rate_services(self, council, own, pqas) -> set[int]:
        """The council's rating system rates each service from the CQC's findings and its own
        inspections and statements; returns the providers it finds Inadequate."""
        locations, approved_on, national, _ = self.rating_evidence
        evidence: dict[int, list] = {}
        for i in [*national, *own]:
            evidence.setdefault(i.location_id, []).append(
                engine.Inspection(Source(i.source), i.kind, i.outcome, i.inspected_on))
        statements = {p.location_id: (engine.PqasSubmission(p.submitted_on, Rating(p.self_rating)),) for p in pqas}
        ratings = []
        for location in locations:
            decision = engine.decide(engine.RatingInputs(
                self.today, tuple(evidence.get(location.pk, ())), statements.get(location.pk, ()),
                engine.anniversary(approved_on), (), location.organisation.is_out_of_city))
            ratings.append(QualityRating(council=council, location=location,
                                         rating=int(decision.rating) if decision.rating else None,
                                         effective_from=decision.since or self.today, published_on=self.today,
                                         explanation=decision.explanation,
                                         breaches=decision.breaches, suspended=decision.suspended))
        QualityRating.objects.bulk_create(ratings, batch_size=2000)
        return {q.location.organisation_id for q in ratings if q.suspended}

    def _payment_calendar(self):
        year = draft_year(financial_year_of(self.today), "demo: load_demo_market")
        publish_year(year, "demo: load_demo_market")


def market_exists() -> bool:
    return Organisation.objects.filter(kind=Organisation.Kind.COUNCIL).exists()
