"""A small market for tendering tests: a citizen with identifying details no provider may
see, a brokerage officer, and home-support and care-home providers with ratings."""

import datetime as dt
from decimal import Decimal

import pytest

from caremarket.accounts.roles import Role
from caremarket.citizens.models import Assessment, Citizen
from caremarket.core import clock
from caremarket.framework.models import Section, SectionApproval
from caremarket.geography.models import Area
from caremarket.organisations.models import CareLocation, Organisation
from caremarket.quality.models import QualityRating
from caremarket.quality.ratings import Rating
from caremarket.reference.models import NeedGroup, ServiceType
from caremarket.tendering import services

# Monday 23 November 2026, 09:00 in Birmingham.
MONDAY_9AM = dt.datetime(2026, 11, 23, 9, 0, tzinfo=clock.LONDON)
# What a provider must never see.
IDENTIFYING = ["Zebedee", "Quigglesworth", "1931-02-17", "17 February 1931", "BCC-778899", "4857773456",
               "12 Larkspur Crescent"]


@pytest.fixture
def frozen_clock():
    with clock.frozen(MONDAY_9AM):
        yield


@pytest.fixture
def broker(make_user, council):
    return make_user(Role.BROKERAGE_OFFICER, council, username="broker@council.test")


@pytest.fixture
def citizen(council):
    return Citizen.objects.create(reference="BCC-778899", given_name="Zebedee", family_name="Quigglesworth",
                                  date_of_birth=dt.date(1931, 2, 17), nhs_number="4857773456",
                                  address="12 Larkspur Crescent, Birmingham", postcode="B23 6AA")


def assessment_for(citizen, service_code):
    assessment = Assessment.objects.create(
        citizen=citizen, assessed_on=dt.date(2026, 11, 20), service_type=ServiceType.objects.get(code=service_code),
        eligible_needs="Help to wash and dress each morning; help with meals", outcomes="To stay living at home",
        weekly_hours=Decimal("10.5"))
    assessment.need_groups.set([NeedGroup.objects.get(code="older-people")])
    return assessment


def approved_provider(name, cqc_id, *, service="home-support", area="north", need=None, rating=Rating.SILVER,
                      suspended=False, make_user=None):
    organisation = Organisation.objects.create(kind="provider", name=name, email=f"{cqc_id}@provider.test")
    location = CareLocation.objects.create(organisation=organisation, cqc_location_id=cqc_id, name=f"{name} office",
                                           area=Area.objects.get(code=area) if area else None,
                                           is_care_home=service != "home-support")
    section = Section.objects.get(service_type__code=service, area__code=area if service == "home-support" else None,
                                  need_group__code=need)
    SectionApproval.objects.create(organisation=organisation, section=section, approved_on=dt.date(2026, 4, 1),
                                   status="suspended" if suspended else "approved")
    for council in Organisation.objects.filter(kind="council"):  # each rates it under its own system
        QualityRating.objects.create(council=council, location=location, rating=int(rating) if rating else None,
                                     effective_from=dt.date(2026, 4, 1), suspended=suspended)
    if make_user:
        make_user(Role.PROVIDER_ADMIN, organisation, username=f"admin@{cqc_id}.test")
    return organisation


@pytest.fixture
def home_market(db, make_user):
    return {
        "gold": approved_provider("Goldcrest Care", "1-300000001", rating=Rating.GOLD, make_user=make_user),
        "silver": approved_provider("Silverbirch Care", "1-300000002", rating=Rating.SILVER, make_user=make_user),
        "elsewhere": approved_provider("Westway Care", "1-300000003", area="west", make_user=make_user),
        "suspended": approved_provider("Lapsed Care", "1-300000004", suspended=True, make_user=make_user),
    }


def raise_home_support(citizen, broker, **overrides):
    values = dict(service_type=ServiceType.objects.get(code="home-support"), area=Area.objects.get(code="north"),
                  eligible_needs="Help to wash and dress each morning", outcomes="To stay living at home",
                  weekly_hours=Decimal("10.5"), visit_pattern="Mornings, 7 days, 90 minutes",
                  start_on=dt.date(2026, 11, 30), urgency="standard")
    values.update(overrides)
    return services.raise_requirement(assessment_for(citizen, values["service_type"].code), broker,
                                      need_groups=NeedGroup.objects.filter(code="older-people"), **values)


def offer_from(tender, organisation, actor=None, **overrides):
    values = dict(location=organisation.locations.first(), confirms_needs=True,
                  outcomes_response="Consistent carers who help the citizen keep cooking for themselves",
                  start_on=tender.requirement.start_on)
    values.update(overrides)
    actor = actor or organisation.people.first()
    return services.submit_offer(tender, organisation, actor, **values)
