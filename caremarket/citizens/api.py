"""The API's citizens: the council's alone (``view_citizens``), every answer recorded in the
access log (citizens.access_log).
"""

import datetime as dt
from dataclasses import asdict

from ninja import Header, Router, Schema
from ninja.errors import HttpError, ValidationError
from ninja.pagination import paginate
from pydantic import Field

from caremarket.accounts.api_auth import granted
from caremarket.accounts.permissions import get_visible_or_404, visible
from caremarket.core.api_schemas import ERRORS
from caremarket.core.pagination import Page

from . import intake
from .access_log import logs_citizens_shown, record_access
from .models import Citizen, RecordAccess

router = Router(tags=["citizens"])


class CitizenOut(Schema):
    id: int
    reference: str
    given_name: str
    family_name: str
    date_of_birth: dt.date
    postcode: str
    area: str | None = Field(None, alias="ward.area.name")


@router.get("", response={200: list[CitizenOut], **ERRORS}, auth=granted("view_citizens"))
@logs_citizens_shown
@paginate(Page)
def list_citizens(request):
    return visible(Citizen.objects.select_related("ward__area"), request.user)


@router.get("/{id:citizen_id}", response={200: CitizenOut, **ERRORS}, auth=granted("view_citizens"))
def get_citizen(request, citizen_id: int):
    citizen = get_visible_or_404(Citizen.objects.select_related("ward__area"), request.user, pk=citizen_id)
    record_access(request, [citizen], kind=RecordAccess.Kind.RECORD)
    return citizen


# --- in from the client record system ------------------------------------------------------------

client_records = Router(tags=["client records"])


class PersonIn(Schema):
    person_id: str = Field(description="The council's person id in the client record system: the key")
    given_name: str | None = None
    family_name: str | None = None
    date_of_birth: str | None = Field(None, description="2026-11-23")
    nhs_number: str | None = Field(None, description="Ten digits, the last the modulus 11 check digit")
    address: str | None = None
    postcode: str | None = None
    ward: str | None = Field(None, description="The ward's ONS code (optional)")
    social_worker: str | None = Field(None, description="The social worker's e-mail address (optional)")
    date_of_death: str | None = Field(None, description="When the person has died")


class AssessmentIn(Schema):
    assessment_id: str = Field(description="The client record system's id for the assessment: the key")
    person_id: str = Field(description="Whose assessment: a person already sent")
    assessed_on: str | None = Field(None, description="2026-11-23")
    service_type: str | None = Field(None, description="A service type's code (GET /api/reference/service-types)")
    need_groups: str | None = Field(None, description="Need group codes separated by ';'")
    eligible_needs: str | None = None
    outcomes: str | None = None
    weekly_hours: str | None = Field(None, description="Hours of care a week, to two places")
    weekly_budget: str | None = Field(None, description="The weekly personal budget in pounds, like 245.50")
    status: str | None = Field(None, description="assessed, awaiting_service, receiving_service or closed")


class PeopleIn(Schema):
    people: list[PersonIn] = Field(max_length=intake.MOST_ROWS)


class AssessmentsIn(Schema):
    assessments: list[AssessmentIn] = Field(max_length=intake.MOST_ROWS)


class IntakeOut(Schema):
    created: int
    updated: int
    unchanged: int = Field(description="Rows that matched what is held: nothing was written")
    waiting: int = Field(description="Changes to assessments care has been arranged from since: they wait for a "
                                     "person at the council to accept or reject")


def _receive(request, rows: list, kind: str, receive, idempotency_key: str | None) -> dict:
    def work():
        try:
            return receive([row.dict() for row in rows], request.user)
        except intake.BatchRefused as refused:
            raise ValidationError([{"loc": ("body", "payload", kind, p.row - 1, p.field), "msg": p.message}
                                   for p in refused.problems]) from None
    if not idempotency_key:
        return asdict(work())
    try:
        return intake.remembered(request.user, idempotency_key[:200], kind, request.body, work)
    except intake.KeyReused as reused:
        raise HttpError(422, str(reused)) from None


@client_records.post("/people", response={200: IntakeOut, **ERRORS}, auth=granted("send_client_records"))
def receive_people(request, payload: PeopleIn,
                   idempotency_key: str | None = Header(None, alias="Idempotency-Key")):
    """People from the client record system, created or updated on their person id. Every row is
    checked first; one wrong row refuses the batch with each problem named, and nothing is stored.
    The same batch again changes nothing (and, with the same Idempotency-Key, answers the same)."""
    return _receive(request, payload.people, "people", intake.receive_people, idempotency_key)


@client_records.post("/assessments", response={200: IntakeOut, **ERRORS}, auth=granted("send_client_records"))
def receive_assessments(request, payload: AssessmentsIn,
                        idempotency_key: str | None = Header(None, alias="Idempotency-Key")):
    """Assessments, created or updated on their assessment id; each person must have been sent
    first. A change to an assessment care has been arranged from since waits for a person."""
    return _receive(request, payload.assessments, "assessments", intake.receive_assessments, idempotency_key)
