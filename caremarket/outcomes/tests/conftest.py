"""A carers' consortium under contract: an integrator, two member charities, an outsider, and
the people who work for them and for the council."""

import datetime as dt
from decimal import Decimal

import pytest

from caremarket.accounts.roles import Role
from caremarket.core import clock
from caremarket.organisations.models import ConsortiumMembership, Organisation
from caremarket.outcomes import register
from caremarket.outcomes.models import Carer, ConsortiumContract, ContractYear, MemberAgreement
from caremarket.payments.tests.conftest import calendar  # noqa: F401 (a fixture: the 2026/27 payment periods)

LONDON = clock.LONDON


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=LONDON)


@pytest.fixture
def consortium(db, council, make_user):
    group = Organisation.objects.create(kind=Organisation.Kind.CONSORTIUM, name="Forward Carers")
    lead = Organisation.objects.create(kind=Organisation.Kind.CHARITY, name="Carers Hub Trust")
    north = Organisation.objects.create(kind=Organisation.Kind.CHARITY, name="North Carers Centre")
    south = Organisation.objects.create(kind=Organisation.Kind.CHARITY, name="South Young Carers")
    outsider = Organisation.objects.create(kind=Organisation.Kind.CHARITY, name="Elsewhere Carers")
    for member, is_lead in ((lead, True), (north, False), (south, False)):
        ConsortiumMembership.objects.create(consortium=group, member=member, is_lead=is_lead, joined_on="2026-04-01")
    contract = ConsortiumContract.objects.create(reference="CARERS-1", name="Carers support", consortium=group,
                                                 lots=["Carers Hub", "Young Carers"], starts_on=dt.date(2026, 4, 1),
                                                 ends_on=dt.date(2029, 3, 31))
    year = ContractYear.objects.create(contract=contract, start_year=2026, annual_value_pence=100_000_00,
                                       measure=ContractYear.Measure.REGISTERED_AND_ASSESSED, target=4)
    agreements = {m: MemberAgreement.objects.create(
        contract=contract, member=m, services="Carers' groups and assessments", quarterly_block_pence=5_000_00,
        attendance_bands=[{"at_least": 1, "pence": 2000}, {"at_least": 5, "pence": 4000}]) for m in (north, south)}
    return {
        "group": group, "lead": lead, "north": north, "south": south, "outsider": outsider,
        "contract": contract, "year": year, "agreements": agreements,
        "integrator": make_user(Role.CONSORTIUM_INTEGRATOR, lead),
        "north_user": make_user(Role.CONSORTIUM_MEMBER, north),
        "south_user": make_user(Role.CONSORTIUM_MEMBER, south),
        "outsider_user": make_user(Role.CONSORTIUM_MEMBER, outsider),
        "commissioner": make_user(Role.COMMISSIONER, council),
        "finance": make_user(Role.FINANCE_OFFICER, council),
    }


def new_carer(consortium, member, user, *, given="Joanne", family="Smith", born=dt.date(1970, 5, 1),
              postcode="B1 1AA", registered_on=dt.date(2026, 4, 10), assessed_on=None, hours=Decimal(20), **facts):
    carer = Carer(consortium=consortium["group"], registered_by=member, given_name=given, family_name=family,
                  born_on=born, postcode=postcode, registered_on=registered_on, assessed_on=assessed_on,
                  cared_for="Her mother, who has dementia", hours_a_week=hours, **facts)
    with clock.frozen(at(max(registered_on, assessed_on or registered_on))):
        return register.register(user, carer)


@pytest.fixture
def tasks_at_once(settings):
    """Background tasks run as they are enqueued (a carer's sign-in link is sent by one)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
