"""Years of a council's records made up from a seed: citizens with assessments and packages that
end (or not) across the years, their visits and payments, carers joining and leaving the
register, who looked at whose record, e-mails and events. Every person's name is a marker no
other record holds, so a test can look for it anywhere in the database."""

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.db import transaction

from caremarket.accounts.models import SentEmail
from caremarket.accounts.roles import Role
from caremarket.audit.trail import record, snapshot
from caremarket.citizens.models import Assessment, Citizen, RecordAccess, RecordAccessCitizen
from caremarket.core import clock
from caremarket.events.models import Event
from caremarket.geography.models import Area
from caremarket.organisations.models import Organisation
from caremarket.outcomes.models import Carer, ConsortiumContract
from caremarket.packages.models import CarePackage
from caremarket.payments.models import Invoice, PaymentLine, PaymentRun, Visit, VisitUpload
from caremarket.payments.tests.conftest import calendar, care_home  # noqa: F401 (fixtures)
from caremarket.reference.models import ServiceType
from caremarket.tendering.models import CareRequirement
from caremarket.tendering.tests.conftest import broker  # noqa: F401 (a fixture)

FIRST_DAY = dt.date(2024, 4, 1)


def _day(rng: random.Random, within_days: int, start: dt.date = FIRST_DAY) -> dt.date:
    return start + dt.timedelta(days=rng.randrange(within_days))


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(10), tzinfo=clock.LONDON)


def make_citizen(number: int, *, assessed_on: dt.date, package_span=None, provider=None, broker=None,
                 run=None, invoice=None, upload=None) -> Citizen:
    """A citizen, their assessment, and when ``package_span`` (start, end or None) is given, a
    package with a visit and a payment line."""
    citizen = Citizen.objects.create(
        reference=f"BCC-{number:06d}", given_name=f"Given{number}x", family_name=f"Family{number}x",
        date_of_birth=dt.date(1940 + number % 40, 1 + number % 12, 1 + number % 28), nhs_number=f"{number:010d}",
        address=f"{number} Marker Road{number}x, Birmingham", postcode="B23 6AA")
    assessment = Assessment.objects.create(
        citizen=citizen, assessed_on=assessed_on, service_type=ServiceType.objects.get(code="residential-care"),
        eligible_needs=f"Needs{number}x help to wash", outcomes=f"Outcome{number}x")
    if package_span is None:
        return citizen
    start, end = package_span
    requirement = CareRequirement.objects.create(
        reference=f"CR-{number:06d}", assessment=assessment, citizen=citizen, service_type=assessment.service_type,
        area=Area.objects.get(code="north"), eligible_needs=f"Needs{number}x", outcomes=f"Outcome{number}x",
        preferences=f"Prefers{number}x", start_on=start, status=CareRequirement.Status.AWARDED, raised_by=broker,
        raised_at=_at(start))
    package = CarePackage.objects.create(
        reference=f"CP-{number:06d}", requirement=requirement, organisation=provider,
        location=provider.locations.first(), route=CarePackage.Route.MICRO_TENDER, weekly_price_pence=82_500,
        start_on=start, end_on=end, awarded_by=broker, awarded_at=_at(start))
    Visit.objects.create(organisation=provider, invoice=invoice, upload=upload, package=package,
                         visit_id=f"V{number}", planned_start=_at(start), planned_end=_at(start), carers=1,
                         paid_minutes=60, carers_paid=1, amount_pence=2_250 + number,
                         query=f"Query{number}x: in hospital")
    PaymentLine.objects.create(run=run, organisation=provider, package=package, kind=PaymentLine.Kind.SCHEDULED,
                               first_day=run.period.start_date, last_day=run.period.end_date, days=28,
                               weekly_pence=82_500, amount_pence=330_000 + number, reason="28 days at the week's price")
    return citizen


@pytest.fixture
def years_of_records(db, calendar, care_home, broker, council, make_user):  # noqa: F811
    """24 citizens, 16 carers and their trails over 2024 to 2033, the same each time (seeded)."""
    rng = random.Random(29)
    period = calendar[1]
    run = PaymentRun.objects.create(period=period, status=PaymentRun.Status.POSTED, started_by=broker,
                                    started_at=clock.now())
    invoice = Invoice.objects.create(reference="INV-1", organisation=care_home, period=period)
    upload = VisitUpload.objects.create(organisation=care_home, period=period, file_name="visits.csv",
                                        status=VisitUpload.Status.STORED, keep_valid_rows=False, uploaded_by=broker,
                                        uploaded_at=clock.now())
    social_worker = make_user(Role.SOCIAL_WORKER, council, username="looker@council.test")
    citizens = {}
    with clock.frozen(_at(FIRST_DAY)):
        for number in range(1, 25):
            shape = number % 4  # no care; care ended; care still open; ended, then assessed again later
            assessed_on = _day(rng, 700)
            span = None
            if shape:
                start = assessed_on + dt.timedelta(days=14)
                span = (start, None if shape == 2 else start + dt.timedelta(days=rng.randrange(30, 2500)))
            citizen = make_citizen(number, assessed_on=assessed_on, package_span=span, provider=care_home,
                                   broker=broker, run=run, invoice=invoice, upload=upload)
            if shape == 3:
                Assessment.objects.create(citizen=citizen, assessed_on=span[1] + dt.timedelta(days=200),
                                          service_type=ServiceType.objects.get(code="home-support"),
                                          eligible_needs="Reviewed", outcomes="Reviewed")
            citizens[number] = citizen
            looked_at = _day(rng, 3000)
            access = RecordAccess.objects.create(person=social_worker, role=social_worker.role, at=_at(looked_at),
                                                 kind=RecordAccess.Kind.RECORD, where=f"/citizens/{citizen.pk}/")
            RecordAccessCitizen.objects.create(access=access, citizen=citizen)
            Event.objects.create(kind="package.started", subject=f"package CP-{number:06d}",
                                 occurred_at=_at(_day(rng, 3000)), data={"package": f"CP-{number:06d}"},
                                 citizen=citizen.for_events())
        consortium = Organisation.objects.create(kind=Organisation.Kind.CONSORTIUM, name="Forward Carers")
        charity = Organisation.objects.create(kind=Organisation.Kind.CHARITY, name="Carers Hub Trust")
        # The register is the consortium's, kept under its contract with the council.
        ConsortiumContract.objects.create(reference="FC-1", name="Forward carers", consortium=consortium,
                                          starts_on=dt.date(2024, 4, 1), ends_on=dt.date(2034, 3, 31))
        carers = {}
        for number in range(1, 17):
            registered_on = _day(rng, 1000)
            left_on = registered_on + dt.timedelta(days=rng.randrange(30, 2000)) if number % 3 else None
            email = f"carer{number}@example.test"
            carers[number] = Carer.objects.create(
                reference=f"CAR-{number:05d}", consortium=consortium, registered_by=charity,
                registered_on=registered_on, left_on=left_on, given_name=f"Carer{number}x",
                family_name=f"Surname{number}x", born_on=dt.date(1960, 3, number), postcode="B1 1AA", email=email,
                cared_for=f"Mother{number}x, who has dementia", hours_a_week=Decimal(20))
            SentEmail.objects.create(to_address=email, subject="Your Time for Me sign-in link", body="",
                                     body_withheld=True, sent_at=_at(_day(rng, 3000)))
        with transaction.atomic():
            for citizen in citizens.values():
                record(broker, "citizen.received", citizen, after=snapshot(citizen))
    return {"citizens": citizens, "carers": carers, "run": run}
