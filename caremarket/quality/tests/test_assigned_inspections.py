"""Inspections the council gives to independent quality assessors: given by the quality team,
seen and recorded by the assessor it was given to (and by no other), counted as the council's."""

import datetime as dt

import pytest

from caremarket.accounts.roles import Role
from caremarket.audit.models import AuditEvent
from caremarket.organisations.models import Organisation
from caremarket.quality.models import FocussedInspectionRequest, Inspection
from caremarket.quality.tasks import email_inspection_assigned

from .test_quality_pages import SCORES, frozen_clock, prefixed, quality_officer, service  # noqa: F401


@pytest.fixture
def assessors(make_user):
    midlands = Organisation.objects.create(kind=Organisation.Kind.ASSESSOR, name="Midlands Quality Assessors")
    other = Organisation.objects.create(kind=Organisation.Kind.ASSESSOR, name="Shires Assessment")
    return {"midlands": make_user(Role.QUALITY_ASSESSOR, midlands, username="aled@midlands.test"),
            "other": make_user(Role.QUALITY_ASSESSOR, other, username="sam@shires.test")}


@pytest.fixture
def called(service):  # noqa: F811
    return FocussedInspectionRequest.objects.create(location=service, raised_on=dt.date(2026, 11, 2),
                                                    reasons=["3 safeguarding alerts within 91 days"])


def _record(**values):
    data = {"outcome": "", "inspected_on": "20/11/2026", **{f"score-{c}": s for c, s in SCORES.items()}}
    return prefixed("inspection", data | values)


def test_the_quality_team_gives_an_inspection_to_an_assessor_who_records_it(
        called, quality_officer, assessors, signed_in, mailoutbox, django_capture_on_commit_callbacks):  # noqa: F811
    midlands = assessors["midlands"]
    page = quality_officer.get(f"/inspections/{called.pk}/").content.decode()
    assert "3 safeguarding alerts within 91 days" in page and "Give it to an independent quality assessor" in page
    with django_capture_on_commit_callbacks() as callbacks:
        response = quality_officer.post(f"/inspections/{called.pk}/", prefixed("assign", {
            "assessor": midlands.organisation.pk, "due_on": "7 December 2026"}))
    assert response.status_code == 302 and len(callbacks) == 1  # the assessor's email is queued
    assert email_inspection_assigned.call(called.pk) == 1
    called.refresh_from_db()
    assert called.assessor == midlands.organisation and called.due_on == dt.date(2026, 12, 7)
    assert mailoutbox[-1].to == ["aled@midlands.test"] and "by 7 December 2026" in mailoutbox[-1].subject
    assert AuditEvent.objects.filter(action="inspection.assigned").exists()

    assessor = signed_in(midlands)
    home = assessor.get("/").content.decode()
    assert "1 inspection is waiting for you to make" in home and "inspect by 7 December 2026" in home
    assert called.location.name in assessor.get("/inspections/").content.decode()
    response = assessor.post(f"/inspections/{called.pk}/", _record())
    assert response.status_code == 302
    inspection = Inspection.objects.get()
    assert (inspection.source, inspection.kind, inspection.outcome) == ("council", "focussed", "Bronze")
    assert inspection.reference == "Independent assessment by Midlands Quality Assessors"
    assert inspection.recorded_by == midlands
    called.refresh_from_db()
    assert called.closed_on == dt.date(2026, 11, 20)
    assert AuditEvent.objects.filter(action="inspection.recorded", actor=midlands).exists()
    assert "waiting for you" not in assessor.get("/").content.decode()


def test_an_assessor_sees_and_records_only_the_inspections_given_to_it(called, assessors, signed_in):
    called.assessor, called.due_on = assessors["midlands"].organisation, dt.date(2026, 12, 7)
    called.save()
    other = signed_in(assessors["other"])
    assert called.location.name not in other.get("/inspections/").content.decode()
    assert other.get(f"/inspections/{called.pk}/").status_code == 404
    assert other.post(f"/inspections/{called.pk}/", _record()).status_code == 404
    assert not Inspection.objects.exists()
    assert signed_in(assessors["midlands"]).get(f"/services/{called.location.pk}/quality/").status_code == 404


def test_a_wrong_date_or_a_second_record_is_refused_with_a_reason(
        called, assessors, signed_in, quality_officer):  # noqa: F811
    called.assessor, called.due_on = assessors["midlands"].organisation, dt.date(2026, 12, 7)
    called.save()
    assessor = signed_in(assessors["midlands"])
    page = assessor.post(f"/inspections/{called.pk}/", _record(inspected_on="1/11/2026")).content.decode()
    assert "The inspection date cannot be before it was called for, on 2 November 2026" in page
    page = quality_officer.post(f"/inspections/{called.pk}/", prefixed("assign", {
        "assessor": assessors["other"].organisation.pk, "due_on": "1/11/2026"})).content.decode()
    assert "The date to inspect by cannot be in the past" in page
    assessor.post(f"/inspections/{called.pk}/", _record())
    assert assessor.post(f"/inspections/{called.pk}/", _record()).status_code == 403  # nothing left to record
    assert Inspection.objects.count() == 1
