"""The demo market's carers consortium under a contract paid by results.

The contract began on 1 April of last financial year. Since then the 21 member charities have
registered carers (a few registered by two members, for the integrator to merge), assessed
their needs and their wellbeing, and recorded responses, group sessions, support networks and
GP practices' carers' champions. Last year's four returns were sent (one late) and paid, and
its performance share released; this year's returns are sent as each quarter ends, the latest
waiting for finance to release its payment.

The register is bulk-loaded (as a migration from the consortium's old database would be);
returns and payments go through the same services the pages use, at the moment they would
have happened.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat, LPad

from caremarket.accounts.models import User
from caremarket.core import clock
from caremarket.core.bulk import create_all
from caremarket.organisations.models import ConsortiumMembership
from caremarket.outcomes import alliances, carers, contracts, kpis, register, vouchers, wellbeing
from caremarket.outcomes.models import (
    AllianceContract,
    AllianceKpi,
    AlliancePartner,
    AlliancePeriod,
    Carer,
    CarerActivity,
    ConsortiumContract,
    ContractYear,
    Listing,
    MemberAgreement,
    VoucherBudget,
    WellbeingAssessment,
)
from caremarket.periods.calendar import financial_year_of

from . import names
from .names import demo_username

CARERS_PER_MEMBER = 110  # at scale 1: about 2,300 carers over twenty months
DUPLICATES = 12  # carers a second member registered again
LOTS = ["Carers Hub", "Young Carers", "Short Breaks"]
LATE_QUARTER = 3  # last year's third return arrived late
HOURS = [5, 8, 12, 20, 35, 40, 50, 55, 70, 100]
# Time for Me: the activities members offer, (title, category, price in pounds, where).
ACTIVITIES = [
    ("Spa afternoon", "therapy", 60, "Moseley"), ("Day at the seaside: Weston-super-Mare", "day_trip", 45,
                                                   "Coach from Digbeth"),
    ("Two nights in the Peak District", "short_break", 150, "Castleton"), ("Ten swimming sessions", "leisure", 40,
                                                                          "Harborne Pool"),
    ("Pottery course, six mornings", "learning", 90, "Jewellery Quarter"), ("Massage and reflexology", "therapy",
                                                                             55, "Kings Heath"),
    ("Theatre trip and supper", "day_trip", 70, "Birmingham Rep"), ("Gym membership, three months", "leisure", 120,
                                                                     "Small Heath"),
]
VOUCHERS_LAST_HALF, VOUCHERS_THIS_HALF, SPENT_SHARE = 100, 75, 0.7
# The Home First alliance's half-years: (direct costs against the target, KPI scores), the
# seed's three situations in turn (under-run with good KPIs, over-run with good KPIs, poor KPIs).
ALLIANCE_HALVES = [(Decimal("0.93"), ("0.92", "0.85", "0.88")), (Decimal("1.06"), ("0.84", "0.80", "0.76")),
                   (Decimal("0.98"), ("0.55", "0.62", "0.70"))]
ALLIANCE_KPIS = [("Home from hospital within a day of being ready", "Share of discharges in the half-year", "0.4"),
                 ("Still at home 91 days after reablement", "Share of people reabled in the half-year", "0.35"),
                 ("People who say they were helped to do what matters to them", "Share answering yes", "0.25")]


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=clock.LONDON)


class DemoOutcomes:
    def __init__(self, market):
        self.market, self.random, self.today = market, market.random, market.today

    def build(self):
        consortium = ConsortiumMembership.objects.filter(member=self.market.integrator).get().consortium
        self.members = list(ConsortiumMembership.objects.filter(consortium=consortium, is_lead=False)
                            .select_related("member").order_by("member_id").values_list("member", flat=True))
        this_year = financial_year_of(self.today)
        self.starts_on = dt.date(this_year - 1, 4, 1)
        contract = ConsortiumContract.objects.create(
            reference=f"CARERS-{this_year - 1}", name="Carers support services", consortium=consortium, lots=LOTS,
            starts_on=self.starts_on, ends_on=dt.date(this_year + 2, 3, 31))
        years = [
            ContractYear.objects.create(contract=contract, start_year=this_year - 1, annual_value_pence=1_800_000_00,
                                        measure=ContractYear.Measure.REGISTERED_AND_ASSESSED, target=1_400),
            ContractYear.objects.create(contract=contract, start_year=this_year, annual_value_pence=1_850_000_00,
                                        measure=ContractYear.Measure.WELLBEING_IMPROVED, target=900),
        ]
        self._agreements(contract)
        self._register(consortium)
        self._activity()
        self._returns_and_payments(years)
        self._time_for_me(contract)
        self._alliance()
        return contract

    def _agreements(self, contract):
        r = self.random
        MemberAgreement.objects.bulk_create(MemberAgreement(
            contract=contract, member_id=member, lots=[LOTS[i % len(LOTS)]], is_associate=i >= len(self.members) - 4,
            services=r.choice(["Carers' assessments and advice", "Carers' groups and peer support",
                               "Young carers' clubs and school support", "Short breaks and sitting service",
                               "Emergency response and planned sitting"]),
            targets=f"{r.randrange(60, 140)} new carers registered and assessed a year",
            quarterly_block_pence=r.randrange(8_000, 16_000) * 100,
            attendance_bands=[{"at_least": 1, "pence": 2500}, {"at_least": 6, "pence": 4500},
                              {"at_least": 12, "pence": 7000}]) for i, member in enumerate(self.members))

    def _day_since_start(self) -> dt.date:
        return self.starts_on + dt.timedelta(days=self.random.randrange((self.today - self.starts_on).days))

    def _register(self, consortium):
        r, market = self.random, self.market
        carers = []
        for member in self.members:
            for _ in range(CARERS_PER_MEMBER * market.scale):
                registered = self._day_since_start()
                young = r.random() < 0.09
                age = r.randrange(8, 17) if young else r.randrange(19, 90)
                assessed = registered + dt.timedelta(days=r.randrange(0, 60))
                carers.append(Carer(
                    reference="", consortium=consortium, registered_by_id=member, registered_on=registered,
                    given_name=r.choice(names.GIVEN_NAMES), family_name=r.choice(names.FAMILY_NAMES),
                    born_on=registered - dt.timedelta(days=age * 365 + r.randrange(365)),
                    postcode=market._postcode(market._area()),
                    cared_for=r.choice(["Mother, who has dementia", "Husband, after a stroke", "Son, with autism",
                                        "Wife, with multiple sclerosis", "Father, with Parkinson's disease",
                                        "Brother, with a learning disability", "Partner, with depression"]),
                    hours_a_week=Decimal(r.choice(HOURS[:5] if young else HOURS)),
                    lives_alone_with_cared_for=r.random() < 0.35, has_own_health_problems=r.random() < 0.3,
                    cared_for_will_not_cooperate=r.random() < 0.2, emergency_response=r.random() < 0.25,
                    assessed_on=assessed if assessed <= self.today and r.random() < 0.85 else None,
                    left_on=(registered + dt.timedelta(days=r.randrange(60, 300))) if r.random() < 0.05 else None,
                    email="", payable_on=registered))
        for carer in carers:  # a left date still to come has not happened
            if carer.left_on and carer.left_on >= self.today:
                carer.left_on = None
        for original in r.sample(carers, DUPLICATES):  # the same person, registered again by another member
            again = Carer(**{f.attname: getattr(original, f.attname) for f in Carer._meta.concrete_fields
                             if not f.primary_key})
            again.registered_by_id = r.choice([m for m in self.members if m != original.registered_by_id])
            again.registered_on = min(original.registered_on + dt.timedelta(days=r.randrange(5, 90)), self.today)
            again.assessed_on = None
            again.given_name = original.given_name[:3] if r.random() < 0.5 else original.given_name
            again.payable_on = again.registered_on
            carers.append(again)
        carers.sort(key=lambda c: (c.registered_on, c.registered_by_id))
        for i, carer in enumerate(carers):
            carer.reference = f"new{i}"  # then the register number the row is given, as register.register does
        create_all(Carer, carers)
        Carer.objects.filter(consortium=consortium).update(
            reference=Concat(Value("C"), LPad(Cast("pk", CharField()), 7, Value("0"))))
        for carer in carers:
            carer.reference = f"C{carer.pk:07d}"
        # The registrations made again wait, held back, for the integrator to merge or dismiss them.
        register.hold_back_duplicates(User.objects.get(username=demo_username("integrator")), consortium.pk)
        demo_member = self.market.member.pk
        if demo_member in self.members:  # the demo member's first carer can be sent a Time for Me link
            held = set(Carer.objects.filter(held_back_for__isnull=False).values_list("pk", flat=True))
            first = next(c for c in carers if c.registered_by_id == demo_member and c.left_on is None
                         and c.pk not in held and c.hours_a_week > 10
                         and c.born_on <= kpis.eighteen_years_before(self.today))
            first.assessed_on = first.assessed_on or first.registered_on
            Carer.objects.filter(pk=first.pk).update(email=f"carer@{names.DEMO_DOMAIN}", assessed_on=first.assessed_on)
        self._wellbeing(carers)

    def _wellbeing(self, carers):
        r = self.random
        member_user = User.objects.get(username=demo_username("consortium.member"))
        assessments = []
        for carer in carers:
            if not carer.assessed_on or r.random() < 0.2:
                continue
            base = {key: r.randint(1, 4) for key in wellbeing.KEYS}
            assessments.append(WellbeingAssessment(carer_id=carer.pk, kind="baseline", assessed_on=carer.assessed_on,
                                                   assessed_by=member_user, scores=base, total=wellbeing.total(base)))
            follow_up = carer.assessed_on + dt.timedelta(days=r.randrange(90, 270))
            if follow_up < self.today and r.random() < 0.7:
                later = {key: max(1, min(5, score + r.choice([-1, 0, 0, 1, 1, 2]))) for key, score in base.items()}
                assessments.append(WellbeingAssessment(carer_id=carer.pk, kind="follow_up", assessed_on=follow_up,
                                                       assessed_by=member_user, scores=later,
                                                       total=wellbeing.total(later)))
        WellbeingAssessment.objects.bulk_create(assessments, batch_size=2000)

    def _activity(self):
        r = self.random
        user = User.objects.get(username=demo_username("consortium.member"))
        carers = {}
        for pk, member, registered in Carer.objects.values_list("pk", "registered_by_id", "registered_on"):
            carers.setdefault(member, []).append((pk, registered))
        records = []
        practices = [f"{r.choice(names.PLACE_WORDS)} Medical Practice" for _ in range(60)]
        for member in self.members:
            networks = [f"{r.choice(names.PLACE_WORDS)} carers' network" for _ in range(r.randrange(1, 4))]
            for _ in range(int((self.today - self.starts_on).days / 30 * 12)):
                day = self._day_since_start()
                kind = r.choices(["group", "emergency", "planned", "network"], weights=[4, 2, 5, 1])[0]
                carer = None
                if kind in ("emergency", "planned"):
                    choices = [pk for pk, registered in carers.get(member, []) if registered <= day]
                    if not choices:
                        continue
                    carer = r.choice(choices)
                records.append(CarerActivity(
                    member_id=member, kind=kind, happened_on=day, carer_id=carer, recorded_by=user,
                    name=(f"{r.choice(['Monday', 'Tuesday', 'Thursday'])} carers' group" if kind == "group" else
                          r.choice(networks) if kind == "network" else ""),
                    attending=r.randrange(2, 16) if kind == "group" else 0))
            for practice in r.sample(practices, r.randrange(0, 3)):
                records.append(CarerActivity(member_id=member, kind="gp_champion", happened_on=self._day_since_start(),
                                             name=practice, recorded_by=user))
        CarerActivity.objects.bulk_create(records, batch_size=2000)

    def _returns_and_payments(self, years):
        integrator = User.objects.get(username=demo_username("integrator"))
        finance = User.objects.get(username=demo_username("finance"))
        for year in years:
            for number in (1, 2, 3, 4):
                ends = contracts.quarter(year, number).end
                if ends >= self.today:
                    break
                sent_on = contracts.due_on(year, number) - dt.timedelta(days=3)
                if year is years[0] and number == LATE_QUARTER:
                    sent_on = contracts.due_on(year, number) + dt.timedelta(days=20)
                if sent_on >= self.today:
                    continue  # not yet sent: the integrator's work to do
                with clock.frozen(_at(sent_on)):
                    sent = contracts.send_return(integrator, year, number)
                released_on = sent_on + dt.timedelta(days=7)
                latest = contracts.quarter(year, number).end + dt.timedelta(days=92) >= self.today
                if released_on < self.today and not latest:  # the latest waits for finance to release
                    with clock.frozen(_at(released_on, 14)):
                        contracts.release_quarter(finance, sent)
        last_year_ended = kpis.year_periods(years[0].start_year)["year"][0].end
        with clock.frozen(_at(last_year_ended + dt.timedelta(days=30), 14)):
            contracts.release_performance(finance, years[0])

    def _time_for_me(self, contract):
        """Budgets for last and this half-year, members' activities, vouchers granted and spent,
        and this half-year's budget spent with carers waiting."""
        r = self.random
        member = User.objects.get(username=demo_username("consortium.member"))
        this_year = financial_year_of(self.today)
        halves = [(dt.date(this_year, 4, 1), dt.date(this_year, 9, 30)),
                  (dt.date(this_year, 10, 1), dt.date(this_year + 1, 3, 31))]
        if self.today < halves[1][0]:
            halves = [(dt.date(this_year - 1, 10, 1), dt.date(this_year, 3, 31)), halves[0]]
        for (starts, ends), pounds in zip(halves, (15_000, 9_000)):
            VoucherBudget.objects.create(contract=contract, starts_on=starts, ends_on=ends, budget_pence=pounds * 100)
        organisers = [self.market.member.pk] + r.sample(self.members, 5)
        listings = Listing.objects.bulk_create(Listing(
            organisation_id=organisers[i % len(organisers)], title=title, category=category, price_pence=pounds * 100,
            where=where, places=r.randrange(20, 60), description=f"{title}, for carers to have some time for "
                                                                 "themselves. Tell us about any needs when you book.",
            happens_on=(None if category in ("leisure", "learning")
                        else self.today + dt.timedelta(days=r.randrange(10, 90))))
            for i, (title, category, pounds, where) in enumerate(ACTIVITIES))
        eligible = [c for c in Carer.objects.filter(hours_a_week__gt=10, merged_into__isnull=True, held_back_for=None,
                                                    left_on__isnull=True, consortium=contract.consortium).order_by("pk")
                    if carers.age_on(c.born_on, self.today) >= carers.ADULT_AGE + 1]  # adults all this year
        demo_carer = Carer.objects.filter(email=f"carer@{names.DEMO_DOMAIN}").first()
        chosen = r.sample([c for c in eligible if c != demo_carer], VOUCHERS_LAST_HALF + VOUCHERS_THIS_HALF)
        for (starts, _), group in zip(halves, (chosen[:VOUCHERS_LAST_HALF], chosen[VOUCHERS_LAST_HALF:])):
            if demo_carer and starts == halves[1][0]:
                group = [demo_carer] + group
            for carer in group:
                asked = max(starts + dt.timedelta(days=r.randrange(0, 60)), carer.registered_on)
                if asked >= self.today:
                    continue
                with clock.frozen(_at(asked)):
                    voucher = vouchers.ask(member, carer, contract)
                if voucher.status == "granted" and carer != demo_carer and r.random() < SPENT_SHARE:
                    with clock.frozen(_at(min(asked + dt.timedelta(days=r.randrange(1, 30)), self.today), 15)):
                        listing = r.choice([li for li in listings if li.price_pence <= voucher.amount_pence])
                        vouchers.book(carer, listing.pk)

    def _alliance(self):
        """Home First: three home-support providers and a care home, settled half-year by half-year
        since last April; the latest ended half-year waits for the commissioner to settle it."""
        market = self.market
        commissioner = User.objects.get(username=demo_username("commissioner"))
        this_year = financial_year_of(self.today)
        contract = AllianceContract.objects.create(
            council=market.council, reference=f"HOME-FIRST-{this_year - 1}", name="Home First alliance", starts_on=dt.date(this_year - 1, 4, 1),
            ends_on=dt.date(this_year + 2, 3, 31), kpi_threshold=Decimal("0.7"), gain_share=Decimal("0.5"),
            pain_share=Decimal("0.5"),
            purpose="Getting people home from hospital and keeping them there: discharge to assess, reablement and "
                    "step-down beds, run by equal partners under one contract.")
        members = [(market.home_support[0], "0.4"), (market.home_support[1], "0.25"), (market.home_support[2], "0.2"),
                   (market.homes[0], "0.15")]
        partners = [AlliancePartner.objects.create(contract=contract, organisation=o, share=Decimal(share),
                                                   allowance_pence=int(180_000_00 * Decimal(share)))
                    for o, share in members]
        kpis = [AllianceKpi.objects.create(contract=contract, name=name, measure=measure, weight=Decimal(weight))
                for name, measure, weight in ALLIANCE_KPIS]
        halves = [(dt.date(this_year - 1, 4, 1), dt.date(this_year - 1, 9, 30)),
                  (dt.date(this_year - 1, 10, 1), dt.date(this_year, 3, 31)),
                  (dt.date(this_year, 4, 1), dt.date(this_year, 9, 30)),
                  (dt.date(this_year, 10, 1), dt.date(this_year + 1, 3, 31))]
        target = 1_500_000_00
        for i, (starts, ends) in enumerate(halves):
            if starts > self.today:
                break
            period = AlliancePeriod.objects.create(contract=contract, label=f"{starts:%b %Y} to {ends:%b %Y}",
                                                   starts_on=starts, ends_on=ends, target_cost_pence=target)
            if ends >= self.today:
                continue  # under way: costs come in after it ends
            over, scores = ALLIANCE_HALVES[i % len(ALLIANCE_HALVES)]
            with clock.frozen(_at(ends + dt.timedelta(days=10))):
                for partner in partners:
                    partner_user = User.objects.filter(organisation=partner.organisation_id).first() or commissioner
                    alliances.record_cost(partner_user, period, partner, int(target * over * partner.share),
                                          "Care workers, therapists, travel and equipment")
                for kpi, score in zip(kpis, scores):
                    alliances.record_score(commissioner, period, kpi, Decimal(score), "From the half-year's returns")
            if halves[i + 1][1] < self.today:  # the latest ended half-year waits for the commissioner
                with clock.frozen(_at(ends + dt.timedelta(days=20), 14)):
                    alliances.settle(commissioner, period)
