import datetime as dt

import pytest

from caremarket.accounts.roles import Role
from caremarket.audit.models import AuditEvent
from caremarket.core import clock
from caremarket.framework.models import Section, SectionApproval
from caremarket.quality.models import (
    FocussedInspectionRequest,
    ImprovementPlan,
    Inspection,
    PqasSubmission,
    QualityRating,
    RatingChallenge,
)
from caremarket.quality.services import escalate_overdue_plans

NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=clock.LONDON)
SCORES = {"involvement": 3, "personalised-care": 4, "safeguarding": 2, "staffing": 3, "management": 3}


@pytest.fixture(autouse=True)
def frozen_clock():
    with clock.frozen(NOW):
        yield


@pytest.fixture
def service(provider, council):
    SectionApproval.objects.create(organisation=provider, approved_on=dt.date(2026, 4, 1),
                                   section=Section.objects.get(service_type__code="sensory-loss"))
    return provider.locations.get()


@pytest.fixture
def quality_officer(make_user, council, signed_in):
    return signed_in(make_user(Role.QUALITY_OFFICER, council))


def prefixed(prefix, data):
    return {f"{prefix}-{name}": value for name, value in data.items()}


def inspection_form(**values):
    data = {"source": "council", "kind": "full", "outcome": "", "inspected_on": "14/10/2026"}
    data.update({f"score-{code}": score for code, score in SCORES.items()})
    data.update(values)
    return prefixed("inspection", data)


def test_a_council_inspection_scored_on_the_toolkit_takes_its_weakest_standard(service, quality_officer):
    response = quality_officer.post(f"/services/{service.pk}/inspections/", inspection_form())
    assert response.status_code == 302
    inspection = Inspection.objects.get()
    assert inspection.outcome == "Bronze" and inspection.standard_scores["safeguarding"] == "Bronze"
    rating = QualityRating.objects.get(location=service, is_current=True)
    assert rating.label == "Bronze"
    assert ImprovementPlan.objects.filter(location=service, status="open").exists()
    page = quality_officer.get(f"/services/{service.pk}/quality/").content.decode()
    assert "Safeguarding and safety: Bronze" in page and "safeguarding:" not in page  # the standard's name


@pytest.mark.parametrize("values, message", [
    ({"source": "cqc", "outcome": "Excellent", **{f"score-{c}": "" for c in SCORES}},
     "&#x27;Excellent&#x27; is not a CQC rating"),
    ({"source": "nhs", "outcome": "Gold", **{f"score-{c}": "" for c in SCORES}}, "is not a NHS rating"),
    ({"inspected_on": "01/01/2027"}, "The inspection date cannot be in the future"),
    ({"inspected_on": "yesterday"}, "The date of the inspection must be a real date, like 14 10 2026"),
    ({"score-management": ""}, "Score every core standard: Quality of management not scored"),
])
def test_an_inspection_that_cannot_be_is_explained_and_nothing_is_stored(service, quality_officer, values, message):
    response = quality_officer.post(f"/services/{service.pk}/inspections/", inspection_form(**values))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Inspection.objects.exists() and not QualityRating.objects.exists()


def test_providers_cannot_record_inspections(service, provider_admin, signed_in):
    client = signed_in(provider_admin)
    assert client.post(f"/services/{service.pk}/inspections/", inspection_form()).status_code == 403
    assert not Inspection.objects.exists()


def test_a_provider_submits_its_statement_and_a_fall_moves_the_rating_down(service, provider_admin, signed_in):
    Inspection.objects.create(location=service, source="council", kind="full", outcome="Silver",
                              inspected_on=dt.date(2026, 6, 1))
    client = signed_in(provider_admin)
    response = client.post(f"/services/{service.pk}/pqas/",
                           prefixed("pqas", {"self_rating": 2, "statement": "Staff shortages"}))
    assert response.status_code == 302
    assert PqasSubmission.objects.get().self_rating == 2
    assert QualityRating.objects.get(location=service, is_current=True).label == "Bronze"


def test_a_rating_is_challenged_within_28_days_and_a_commissioner_decides(service, provider_admin, signed_in,
                                                                         commissioner):
    Inspection.objects.create(location=service, source="council", kind="full", outcome="Bronze",
                              inspected_on=dt.date(2026, 11, 1))
    client = signed_in(provider_admin)
    client.post(f"/services/{service.pk}/pqas/", prefixed("pqas", {"self_rating": 2, "statement": "As inspected"}))
    assert client.post(f"/services/{service.pk}/challenge/",
                       prefixed("challenge", {"grounds": "The inspector missed our audits"})
                       ).status_code == 302
    page = client.post(f"/services/{service.pk}/challenge/", prefixed("challenge", {"grounds": "Again"})).content.decode()
    assert "This rating is already being challenged" in page
    challenge = RatingChallenge.objects.get()
    response = signed_in(commissioner).post(f"/services/{service.pk}/challenges/{challenge.pk}/decision/",
                                            prefixed("decision", {"decision": "rejected",
                                                                  "reason": "Audits were seen and considered"}))
    assert response.status_code == 302
    challenge.refresh_from_db()
    assert challenge.outcome == "rejected"
    assert AuditEvent.objects.filter(action="rating_challenge.rejected").exists()


def test_a_challenge_after_28_days_is_refused(service, provider_admin, signed_in):
    Inspection.objects.create(location=service, source="council", kind="full", outcome="Bronze",
                              inspected_on=dt.date(2026, 9, 1))
    with clock.frozen(dt.datetime(2026, 9, 2, 10, tzinfo=clock.LONDON)):
        signed_in(provider_admin).post(f"/services/{service.pk}/pqas/",
                                       prefixed("pqas", {"self_rating": 2, "statement": "ok"}))
    page = signed_in(provider_admin).post(f"/services/{service.pk}/challenge/",
                                          prefixed("challenge", {"grounds": "Late"})).content.decode()
    assert "this one until 30 September 2026" in page
    assert not RatingChallenge.objects.exists()


def test_inadequate_to_bronze_through_an_improvement_plan(service, provider_admin, signed_in, quality_officer):
    quality_officer.post(f"/services/{service.pk}/inspections/", inspection_form(**{"score-safeguarding": 1}))
    assert SectionApproval.objects.get().status == "suspended"
    plan = ImprovementPlan.objects.get()
    provider = signed_in(provider_admin)
    provider.post(f"/services/{service.pk}/plans/{plan.pk}/actions/",
                  prefixed("action", {"description": "Retrain all staff in safeguarding", "due_on": "31/12/2026"}))
    provider.post(f"/services/{service.pk}/plans/{plan.pk}/reinspection/")
    plan.refresh_from_db()
    assert plan.actions.count() == 1 and plan.reinspection_requested_on == dt.date(2026, 11, 23)
    quality_officer.post(f"/services/{service.pk}/plans/{plan.pk}/complete/")
    assert QualityRating.objects.get(location=service, is_current=True).label == "Bronze"
    assert SectionApproval.objects.get().status == "approved"


def test_an_overdue_plan_is_escalated_by_rating(service):
    plan = ImprovementPlan.objects.create(location=service, required_for=1, opened_on=dt.date(2026, 6, 1),
                                          due_on=dt.date(2026, 9, 1))
    assert escalate_overdue_plans("test", dt.date(2026, 9, 2)) == [plan]
    plan.refresh_from_db()
    assert plan.status == "escalated" and "multi-agency review" in plan.escalation


def test_council_intelligence_raises_a_focussed_inspection(service, quality_officer):
    for day in (1, 8, 15):
        quality_officer.post(f"/services/{service.pk}/intelligence/", prefixed("intelligence", {
            "kind": "safeguarding_alert", "occurred_on": f"{day:02d}/11/2026", "description": "Alert raised"}))
    request = FocussedInspectionRequest.objects.get()
    assert "3 safeguarding alerts" in request.reasons[0]
    page = quality_officer.get(f"/services/{service.pk}/quality/").content.decode()
    assert "Focussed inspection called for" in page


def test_providers_do_not_see_the_councils_intelligence(service, quality_officer, provider_admin, signed_in):
    quality_officer.post(f"/services/{service.pk}/intelligence/", prefixed("intelligence", {
        "kind": "complaint", "occurred_on": "01/11/2026", "description": "Confidential complaint from a relative"}))
    page = signed_in(provider_admin).get(f"/services/{service.pk}/quality/").content.decode()
    assert "Confidential complaint" not in page


def test_a_statement_that_cannot_be_validated_is_a_breach(service, provider_admin, signed_in, quality_officer):
    Inspection.objects.create(location=service, source="council", kind="full", outcome="Silver",
                              inspected_on=dt.date(2026, 6, 1))
    signed_in(provider_admin).post(f"/services/{service.pk}/pqas/",
                                   prefixed("pqas", {"self_rating": 3, "statement": "All well"}))
    pqas = PqasSubmission.objects.get()
    page = quality_officer.post(f"/services/{service.pk}/pqas/{pqas.pk}/falsified/",
                                prefixed("falsified", {"reason": ""})).content.decode()
    assert "Say what could not be validated" in page
    quality_officer.post(f"/services/{service.pk}/pqas/{pqas.pk}/falsified/",
                         prefixed("falsified", {"reason": "Training records do not exist"}))
    rating = QualityRating.objects.get(location=service, is_current=True)
    assert rating.breaches == ["PQAS of 23 November 2026 was significantly falsified (breach of contract)"]


def test_review_feedback_is_recorded_and_published(service, make_user, council, signed_in, client):
    from caremarket.quality.services import rerate

    rerate(service, "test")
    social_worker = signed_in(make_user(Role.SOCIAL_WORKER, council))
    response = social_worker.post(f"/services/{service.pk}/feedback/", prefixed("feedback", {
        "source": "review", "received_on": "20/11/2026", "outcomes_met": "yes", "would_recommend": "yes",
        "overall_experience": "5", "comment": "Carers are reliable"}))
    assert response.status_code == 302
    assert "100% would recommend it. Overall experience 5.0 out of 5" in client.get("/ratings/").content.decode()


def test_a_system_records_an_nhs_inspection_through_the_api(service, make_user, council):
    from django.test import Client

    from caremarket.accounts.models import ApiToken

    _, key = ApiToken.issue(make_user(Role.QUALITY_OFFICER, council), "NHS JQAF feed")
    api = Client(headers={"Authorization": f"Bearer {key}"})
    url = f"/api/framework/services/{service.pk}/inspections"
    response = api.post(url, {"source": "nhs", "kind": "full", "outcome": "Bright Green",
                              "inspected_on": "2026-10-01"}, content_type="application/json")
    assert response.status_code == 201 and response.json()["rating_now"] == "Gold"
    quality = api.get(f"/api/framework/services/{service.pk}/quality").json()
    assert quality["current"]["explanation"][0].startswith("Gold from the most recent full inspection: NHS")
    bad = api.post(url, {"source": "nhs", "kind": "full", "outcome": "Purple", "inspected_on": "2026-10-01"},
                   content_type="application/json")
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "body.outcome"
    assert "'Purple' is not a NHS rating" in bad.json()["errors"][0]["message"]
    bad = api.post(url, {"source": "ofsted", "kind": "full", "outcome": "Good", "inspected_on": "2026-10-01"},
                   content_type="application/json")
    assert bad.json()["errors"][0] == {"field": "body.source", "message": "Source must be cqc, council or nhs"}
    assert Inspection.objects.count() == 1


def test_the_framework_sections_are_open_data(client, db):
    sections = client.get("/api/framework/sections").json()
    north = next(s for s in sections if s["service_type"] == "home-support" and s["area"] == "north")
    assert north["open_to_new_entrants"] is False
    assert next(s for s in sections if s["service_type"] == "quick-discharge")["max_providers"] == 1
