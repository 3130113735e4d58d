import datetime as dt

import pytest

from caremarket.events.models import Event
from caremarket.audit.models import AuditEvent
from caremarket.framework.models import Section, SectionApproval
from caremarket.organisations.models import CareLocation, Organisation
from caremarket.quality.models import (
    FocussedInspectionRequest, ImprovementPlan, Inspection, Intelligence, PqasSubmission, QualityRating,
)
from caremarket.quality.ratings import Rating
from caremarket.quality.services import raise_focussed_inspections, rerate

D = dt.date


@pytest.fixture
def service(council):
    provider = Organisation.objects.create(kind="provider", name="Maple Care")
    location = CareLocation.objects.create(organisation=provider, cqc_location_id="1-500000001", name="Maple Lodge",
                                           is_care_home=True)
    SectionApproval.objects.create(organisation=provider, approved_on=D(2026, 4, 1),
                                   section=Section.objects.get(service_type__code="residential-care",
                                                               need_group__code="older-people"))
    return location


def inspect(location, source, outcome, on, kind="full"):
    return Inspection.objects.create(location=location, source=source, kind=kind, outcome=outcome, inspected_on=on)


def test_a_rating_is_stored_with_its_explanation_and_only_again_when_it_changes(service):
    inspect(service, "council", "Silver", D(2026, 3, 1))
    first = rerate(service, "test", as_of=D(2026, 5, 1))
    assert first.label == "Silver" and first.explanation[0].startswith("Silver from the most recent full inspection")
    assert rerate(service, "test", as_of=D(2026, 6, 1)).pk == first.pk  # nothing changed
    inspect(service, "council", "Bronze", D(2026, 7, 1), kind="focussed")
    second = rerate(service, "test", as_of=D(2026, 7, 2))
    assert second.label == "Bronze"
    assert list(QualityRating.objects.filter(location=service).values_list("rating", "is_current")) == [
        (Rating.BRONZE, True), (Rating.SILVER, False)]
    event = AuditEvent.objects.filter(action="quality_rating.changed").first()
    assert event.before["rating"] == "Silver" and event.after["rating"] == "Bronze"
    assert "Down to Bronze: council focussed inspection on 01 July 2026" in event.reason


def test_bronze_opens_an_improvement_plan(service):
    inspect(service, "cqc", "Requires improvement", D(2026, 3, 1))
    rerate(service, "test", as_of=D(2026, 3, 2))
    plan = ImprovementPlan.objects.get(location=service)
    assert (plan.required_for, plan.due_on) == (Rating.BRONZE, D(2026, 8, 29))


def test_inadequate_suspends_bidding_at_once_and_a_completed_plan_lifts_it(service):
    inspect(service, "council", "Inadequate", D(2026, 3, 1))
    rating = rerate(service, "test", as_of=D(2026, 3, 2))
    assert rating.suspended
    approval = SectionApproval.objects.get()
    assert approval.status == "suspended" and approval.status_reason.startswith("Rated Inadequate")
    plan = ImprovementPlan.objects.get(location=service)
    plan.status, plan.completed_on = ImprovementPlan.Status.COMPLETED, D(2026, 5, 1)
    plan.save()
    rating = rerate(service, "test", as_of=D(2026, 5, 2))
    assert rating.label == "Bronze" and not rating.suspended
    approval.refresh_from_db()
    assert approval.status == "approved"
    # The council's other systems heard each step, in order.
    told = [(e.kind, e.data.get("rating")) for e in Event.objects.order_by("pk")]
    assert told == [("rating.changed", "Inadequate"), ("provider.suspended", None),
                    ("rating.changed", "Bronze"), ("provider.reinstated", None)]


def test_an_overdue_pqas_makes_the_service_inadequate(service):
    inspect(service, "council", "Gold", D(2025, 6, 1))
    PqasSubmission.objects.create(location=service, submitted_on=D(2025, 6, 10), self_rating=Rating.GOLD)
    assert rerate(service, "test", as_of=D(2026, 6, 10)).label == "Gold"
    overdue = rerate(service, "test", as_of=D(2026, 6, 11))
    assert overdue.label == "Inadequate" and overdue.breaches == [
        "PQAS due by 10 June 2026 was not submitted (breach of contract)"]


def test_three_safeguarding_alerts_in_three_months_raise_one_focussed_inspection(service):
    for month in (8, 9, 10):
        Intelligence.objects.create(location=service, kind="safeguarding_alert", occurred_on=D(2026, month, 1),
                                    description="Alert")
    raised = raise_focussed_inspections("test", as_of=D(2026, 10, 15))
    assert [r.reasons for r in raised] == [[
        "3 safeguarding alerts between 17 July 2026 and 15 October 2026 (the threshold is 3 in 91 days)"]]
    assert raise_focussed_inspections("test", as_of=D(2026, 10, 16)) == []  # one is already open
    assert FocussedInspectionRequest.objects.count() == 1
