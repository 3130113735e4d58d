"""Care packages as if awarded, without running a tender (tendering's own tests do that)."""

import datetime as dt

from caremarket.core import clock
from caremarket.geography.models import Area
from caremarket.packages.models import CarePackage
from caremarket.tendering.models import CareRequirement
from caremarket.tendering.tests.conftest import assessment_for


def make_package(citizen, organisation, broker, *, service="residential-care", weekly_price_pence=82500,
                 start_on=dt.date(2026, 4, 1), hourly_rate_pence=None, weekly_hours=None, top_up_pence=0,
                 top_up_payer="", reference=None):
    assessment = assessment_for(citizen, service)
    requirement = CareRequirement.objects.create(
        reference=reference or f"CR-{CareRequirement.objects.count() + 1:06d}", assessment=assessment,
        citizen=citizen, service_type=assessment.service_type, area=Area.objects.get(code="north"),
        eligible_needs="Needs 24-hour care", outcomes="To live safely", start_on=start_on,
        weekly_hours=weekly_hours, status=CareRequirement.Status.AWARDED, raised_by=broker, raised_at=clock.now())
    return CarePackage.objects.create(
        reference=requirement.reference.replace("CR-", "CP-"), requirement=requirement, organisation=organisation,
        location=organisation.locations.first(), route=CarePackage.Route.MICRO_TENDER,
        weekly_price_pence=weekly_price_pence, hourly_rate_pence=hourly_rate_pence, weekly_hours=weekly_hours,
        top_up_pence=top_up_pence, top_up_payer=top_up_payer, start_on=start_on, awarded_by=broker,
        awarded_at=clock.now())
