"""The API's quality ratings: a service's rating with its reasons and history, and recording an
inspection from another system (an NHS JQAF feed, an independent quality assessor's).
"""

import datetime as dt

from ninja import Router, Schema, Status
from pydantic import Field, field_validator

from caremarket.accounts.api_auth import granted
from caremarket.accounts.permissions import get_visible_or_404, visible
from caremarket.core.api_schemas import ERRORS, InputSchema
from caremarket.organisations.models import CareLocation

from . import services as quality_services

router = Router(tags=["framework and quality"])


class RatingOut(Schema):
    council: str = Field(description="The council whose quality rating system gave the rating")
    rating: str
    effective_from: dt.date
    suspended: bool
    explanation: list[str]
    breaches: list[str]


class ServiceQualityOut(Schema):
    id: int
    name: str
    cqc_location_id: str
    provider: str
    current: RatingOut | None = Field(description="The current rating: the asking council's, or for a provider "
                                              "the one council's that rates the service (none where several do)")
    current_by_council: list[RatingOut] = Field(description="Each council's current rating that the asker may see")
    history: list[RatingOut]


class InspectionIn(InputSchema):
    source: str = Field(description="cqc, council or nhs")
    kind: str = Field(description="full or focussed")
    outcome: str = Field(max_length=40, description="In the inspecting body's own words")
    inspected_on: dt.date
    reference: str = Field("", max_length=100)

    @field_validator("source")
    @classmethod
    def _source(cls, value):
        if value not in ("cqc", "council", "nhs"):
            raise ValueError("Source must be cqc, council or nhs")
        return value

    @field_validator("kind")
    @classmethod
    def _kind(cls, value):
        if value not in ("full", "focussed"):
            raise ValueError("Kind must be full or focussed")
        return value


class InspectionOut(Schema):
    id: int
    source: str
    kind: str
    outcome: str
    inspected_on: dt.date
    rating_now: str


def _rating(rating) -> dict:
    return {"council": rating.council.name, "rating": rating.label, "effective_from": rating.effective_from,
            "suspended": rating.suspended,
            "explanation": rating.explanation, "breaches": rating.breaches}


@router.get("/services/{id:service_id}/quality", response={200: ServiceQualityOut, **ERRORS})
def service_quality(request, service_id: int):
    """A service's rating with the reasons for it, and its history: a council's staff see their own
    council's; its provider sees every council's."""
    location = get_visible_or_404(CareLocation.objects.select_related("organisation"), request.user, pk=service_id)
    ratings = list(visible(location.ratings.select_related("council"), request.user))
    current = [r for r in ratings if r.is_current]
    return {"id": location.pk, "name": location.name, "cqc_location_id": location.cqc_location_id,
            "provider": location.organisation.name, "current": _rating(current[0]) if len(current) == 1 else None,
            "current_by_council": [_rating(r) for r in current], "history": [_rating(r) for r in ratings]}


@router.post("/services/{id:service_id}/inspections", response={201: InspectionOut, **ERRORS},
                       auth=granted("record_quality_evidence"))
def record_inspection(request, service_id: int, payload: InspectionIn):
    """Record an inspection (an NHS JQAF feed, an independent quality assessor's system); the
    service's rating is worked out again."""
    location = get_visible_or_404(CareLocation, request.user, pk=service_id)
    inspection = quality_services.record_inspection(
        location, request.user, source=payload.source, kind=payload.kind, outcome=payload.outcome,
        on=payload.inspected_on, reference=payload.reference)
    current = visible(location.ratings.filter(is_current=True), request.user).first()  # the asking council's
    return Status(201, {"id": inspection.pk, "source": inspection.source, "kind": inspection.kind,
                        "outcome": inspection.outcome, "inspected_on": inspection.inspected_on,
                        "rating_now": current.label if current else "Not yet rated"})
