"""Where the council chooses it, an assessment the client record system sends raises its care
requirement at once, which goes to tender like any other; one it cannot place waits for a broker."""

import pytest

from caremarket.citizens import intake
from caremarket.citizens.models import Citizen
from caremarket.events.models import Event
from caremarket.geography.models import Ward
from caremarket.tendering import from_client_records
from caremarket.tendering.models import CareRequirement, TenderPolicy

pytestmark = pytest.mark.usefixtures("frozen_clock", "home_market", "council")


def _send(ward_code, *assessments):
    intake.receive_people([
        {"person_id": "P200", "given_name": "Grace", "family_name": "Hopper", "date_of_birth": "1936-12-09",
         "address": "3 Compiler Way", "postcode": "B23 6SD", "ward": ward_code}], "client record system")
    return intake.receive_assessments([
        {"assessment_id": source_id, "person_id": "P200", "assessed_on": "2026-11-20", "service_type": service,
         "need_groups": "older-people", "eligible_needs": "Help to wash and dress", "outcomes": "To stay at home",
         "weekly_hours": "7", "status": "awaiting_service"} for source_id, service in assessments],
        "client record system")


def _choose(service):
    TenderPolicy.objects.filter(service_type__code=service).update(raise_from_client_records=True)


def test_an_assessment_raises_its_requirement_once_where_the_council_chose_that():
    north = Ward.objects.filter(area__code="north").first()
    _send(north.ons_code, ("A-10", "home-support"), ("A-11", "supported-living"))
    assert from_client_records.raise_from_assessments() == []  # the council has not chosen it: brokers raise
    _choose("home-support")
    [raised] = from_client_records.raise_from_assessments()
    assert (raised.assessment.source_id, raised.area.code, raised.ward, raised.raised_by) == ("A-10", "north", north,
                                                                                               None)
    assert raised.status == CareRequirement.Status.TENDERING and raised.tenders.count() == 1
    assert Event.objects.filter(kind="requirement.raised", subject=f"requirement {raised.reference}").exists()
    assert from_client_records.raise_from_assessments() == []  # raised once, however often it runs
    assert CareRequirement.objects.count() == 1  # supported living still waits for a broker


def test_an_assessment_it_cannot_place_is_left_for_a_broker():
    _choose("home-support")
    _send("", ("A-12", "home-support"))  # no ward, so no area to tender in
    assert from_client_records.raise_from_assessments() == []
    person = Citizen.objects.get(reference="P200")
    person.died_on = person.date_of_birth.replace(year=2026)
    person.ward = Ward.objects.filter(area__code="north").first()
    person.save()
    assert from_client_records.raise_from_assessments() == []  # nor for someone who has died
