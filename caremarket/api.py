"""The JSON API under /api/: typed, documented (OpenAPI at /api/openapi.json, interactive at
/api/docs) and bound by the same permission rules as the pages (accounts.permissions).

Systems authenticate with ``Authorization: Bearer <token>`` (accounts.ApiToken); a signed-in
browser session works too. Every error has one body::

    {"errors": [{"field": "body.email", "message": "Enter a valid email address"}]}

with ``field`` empty when the error is not about one field.
"""


import datetime as dt
import json
from decimal import Decimal

from csp.constants import UNSAFE_INLINE
from django.conf import settings
from csp.decorators import csp_update
from django.core.exceptions import PermissionDenied, ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.http import Http404
from ninja import NinjaAPI, Router, Schema, Status
from ninja.parser import Parser
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.pagination import paginate
from ninja.security import django_auth
from pydantic import Field, field_validator

from caremarket.accounts.api_auth import BearerToken, granted
from caremarket.accounts.models import User
from caremarket.accounts.permissions import can, get_visible_or_404, visible
from caremarket.audit.trail import record, snapshot
from caremarket.citizens.access_log import logs_citizens_shown, record_access
from caremarket.citizens.models import Citizen, RecordAccess
from caremarket.core.api_schemas import ERRORS, InputSchema
from caremarket.core.pagination import Page
from caremarket.geography.models import Area
from caremarket.geography.postcodes import PostcodeError, normalise
from caremarket.organisations.contact import phone_number
from caremarket.organisations.models import CareLocation, Organisation
from caremarket.framework.models import Section
from caremarket.periods.models import PaymentPeriod
from caremarket.quality import services as quality_services
from caremarket.reference.models import NeedGroup, ServiceType


class NotAnObject(ValueError):
    """Every request body is a JSON object; a list or a bare value would pass as an empty one."""


class ObjectBodies(Parser):
    def parse_body(self, request):
        data = super().parse_body(request)
        if not isinstance(data, dict):
            raise NotAnObject(f"The request body must be a JSON object ({{...}}), not {type(data).__name__}")
        return data


api = NinjaAPI(
    title="Caremarket API",
    parser=ObjectBodies(),
    version="1",
    description=__doc__,
    urls_namespace="api",
    auth=[BearerToken(), django_auth],
    docs_decorator=csp_update({"style-src": [UNSAFE_INLINE]}),
)


def _error(request, status: int, errors: list[dict]):
    return api.create_response(request, {"errors": errors}, status=status)


def _field_path(loc) -> str:
    parts = [str(part) for part in loc if part != "__root__"]
    if parts[:1] == ["body"] and len(parts) > 2:
        del parts[1]  # the handler's parameter name ("payload") means nothing to a caller
    return ".".join(parts)


@api.exception_handler(ValidationError)
def invalid(request, exc: ValidationError):
    kept = settings.ROW_ERRORS_KEPT  # a batch of 100,000 wrong visits is not answered with 100,000 errors
    errors = [{"field": _field_path(error.get("loc", ())),
               "message": error.get("msg", "Invalid value").removeprefix("Value error, ")}  # pydantic's words
              for error in exc.errors[:kept]]
    if len(exc.errors) > kept:
        errors.append({"field": "", "message": f"… and {len(exc.errors) - kept:,} more problems"})
    return _error(request, 422, errors)


@api.exception_handler(DjangoValidationError)
def invalid_model(request, exc: DjangoValidationError):
    if hasattr(exc, "error_dict"):
        return _error(request, 422, [
            {"field": f"body.{name}", "message": message}
            for name, messages in exc.message_dict.items() for message in messages
        ])
    return _error(request, 422, [{"field": "", "message": message} for message in exc.messages])


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return _error(request, 401, [{"field": "", "message": "Sign in or send a valid API token"}])


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    return _error(request, 403, [{"field": "", "message": str(exc) or "You do not have permission"}])


@api.exception_handler(Http404)
def not_found(request, exc):
    return _error(request, 404, [{"field": "", "message": "Not found"}])


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    message, cause = str(exc), exc.__cause__
    if isinstance(cause, json.JSONDecodeError):
        message = f"The request body is not valid JSON: {cause.msg} at line {cause.lineno}, column {cause.colno}"
    elif isinstance(cause, NotAnObject):
        message = str(cause)
    return _error(request, exc.status_code, [{"field": "body", "message": message}])


# --- Schemas -------------------------------------------------------------------------------

class OrganisationRef(Schema):
    id: int
    name: str


class Me(Schema):
    id: int
    username: str
    name: str
    role: str
    organisation: OrganisationRef | None


class OrganisationOut(Schema):
    id: int
    kind: str
    name: str
    cqc_provider_id: str
    address: str
    postcode: str
    email: str
    phone: str
    council_funded_weekly_hours: Decimal


class OrganisationContactIn(InputSchema):
    """Contact details an organisation keeps up to date itself. Omitted fields are unchanged."""

    email: str | None = Field(None, max_length=254)
    phone: str | None = Field(None, max_length=30)
    address: str | None = Field(None, max_length=500)
    postcode: str | None = None
    reason: str = Field("", max_length=500, description="Why the change is made, for the audit trail")

    @field_validator("email")
    @classmethod
    def _email(cls, value):
        if value:
            try:
                validate_email(value)
            except DjangoValidationError:
                raise ValueError("Enter a valid email address") from None
        return value

    @field_validator("phone")
    @classmethod
    def _phone(cls, value):
        return phone_number(value) if value else value

    @field_validator("postcode")
    @classmethod
    def _postcode(cls, value):
        if value:
            try:
                return normalise(value)
            except PostcodeError as error:
                raise ValueError(str(error)) from None
        return value


class LocationOut(Schema):
    id: int
    cqc_location_id: str
    name: str
    postcode: str
    area: str | None = Field(None, alias="ward.area.name")
    is_care_home: bool
    has_nursing: bool
    beds: int | None
    registration: str


class PersonOut(Schema):
    id: int
    name: str = Field(alias="get_full_name")
    email: str
    role: str
    organisation_id: int | None
    is_active: bool


class CitizenOut(Schema):
    id: int
    reference: str
    given_name: str
    family_name: str
    date_of_birth: dt.date
    postcode: str
    area: str | None = Field(None, alias="ward.area.name")


class AreaOut(Schema):
    code: str
    name: str
    weekly_care_hours: int
    borders: list[str]


class ReferenceOut(Schema):
    code: str
    name: str


class PeriodOut(Schema):
    financial_year: str
    number: int
    start_date: dt.date
    end_date: dt.date
    payment_date: dt.date


# --- Routes --------------------------------------------------------------------------------

@api.get("/me", response={200: Me, **ERRORS}, tags=["people"])
def me(request):
    user = request.user
    org = user.organisation
    return {
        "id": user.pk, "username": user.username, "name": user.get_full_name(), "role": user.role,
        "organisation": {"id": org.pk, "name": org.name} if org else None,
    }


organisations = Router(tags=["organisations"])


@organisations.get("", response={200: list[OrganisationOut], **ERRORS})
@paginate(Page)
def list_organisations(request, kind: Organisation.Kind | None = None):
    queryset = visible(Organisation.objects.all(), request.user)
    return queryset.filter(kind=kind) if kind else queryset


@organisations.get("/{id:organisation_id}", response={200: OrganisationOut, **ERRORS})
def get_organisation(request, organisation_id: int):
    return get_visible_or_404(Organisation, request.user, pk=organisation_id)


@organisations.patch("/{id:organisation_id}", response={200: OrganisationOut, **ERRORS},
                     auth=granted("manage_people", "edit_own_organisation",
                                  refusal="You cannot change this organisation's details"))
def update_organisation_contact(request, organisation_id: int, payload: OrganisationContactIn):
    organisation = get_visible_or_404(Organisation, request.user, pk=organisation_id)
    if not (can(request.user, "manage_people") or (
            can(request.user, "edit_own_organisation") and organisation.pk == request.user.organisation_id)):
        raise PermissionDenied("You cannot change this organisation's details")
    changes = payload.dict(exclude_unset=True, exclude={"reason"})
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
        before = snapshot(organisation)
        for name, value in changes.items():
            setattr(organisation, name, value or "")
        organisation.full_clean()
        organisation.save()
        record(request.user, "organisation.contact_changed", organisation, before=before, reason=payload.reason)
    return organisation


@organisations.get("/{id:organisation_id}/locations", response={200: list[LocationOut], **ERRORS})
def list_locations(request, organisation_id: int):
    organisation = get_visible_or_404(Organisation, request.user, pk=organisation_id)
    return visible(CareLocation.objects.filter(organisation=organisation).select_related("ward__area"),
                   request.user)


api.add_router("/organisations", organisations)


@api.get("/people", response={200: list[PersonOut], **ERRORS}, tags=["people"])
@paginate(Page)
def list_people(request):
    return visible(User.objects.filter(organisation__isnull=False), request.user)


citizens = Router(tags=["citizens"])


@citizens.get("", response={200: list[CitizenOut], **ERRORS}, auth=granted("view_citizens"))
@logs_citizens_shown
@paginate(Page)
def list_citizens(request):
    return visible(Citizen.objects.select_related("ward__area"), request.user)


@citizens.get("/{id:citizen_id}", response={200: CitizenOut, **ERRORS}, auth=granted("view_citizens"))
def get_citizen(request, citizen_id: int):
    citizen = get_visible_or_404(Citizen.objects.select_related("ward__area"), request.user, pk=citizen_id)
    record_access(request, [citizen], kind=RecordAccess.Kind.RECORD)
    return citizen


api.add_router("/citizens", citizens)

reference = Router(tags=["reference data"], auth=None)


@reference.get("/areas", response={200: list[AreaOut], **ERRORS})
def list_areas(request):
    return [
        {"code": a.code, "name": a.name, "weekly_care_hours": a.weekly_care_hours,
         "borders": sorted(b.code for b in a.borders.all())}
        for a in Area.objects.prefetch_related("borders")
    ]


@reference.get("/service-types", response={200: list[ReferenceOut], **ERRORS})
def list_service_types(request):
    return ServiceType.objects.filter(is_active=True)


@reference.get("/need-groups", response={200: list[ReferenceOut], **ERRORS})
def list_need_groups(request):
    return NeedGroup.objects.filter(is_active=True)


@reference.get("/payment-periods", response={200: list[PeriodOut], **ERRORS})
def list_payment_periods(request, financial_year: int | None = None):
    """Published payment periods (open data)."""
    periods = PaymentPeriod.objects.filter(financial_year__published_at__isnull=False).select_related(
        "financial_year")
    if financial_year is not None:
        periods = periods.filter(financial_year__start_year=financial_year)
    return [
        {"financial_year": str(p.financial_year), "number": p.number, "start_date": p.start_date,
         "end_date": p.end_date, "payment_date": p.payment_date}
        for p in periods
    ]


api.add_router("/reference", reference)


# --- framework and quality -------------------------------------------------------------------

class SectionOut(Schema):
    id: int
    name: str
    service_type: str
    area: str | None
    need_group: str | None
    open_to_new_entrants: bool
    max_providers: int | None


class RatingOut(Schema):
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
    current: RatingOut | None
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
    return {"rating": rating.label, "effective_from": rating.effective_from, "suspended": rating.suspended,
            "explanation": rating.explanation, "breaches": rating.breaches}


framework_router = Router(tags=["framework and quality"])


@framework_router.get("/sections", response={200: list[SectionOut], **ERRORS}, auth=None)
def list_sections(request):
    """The framework's sections, and whether new providers may join them (open data)."""
    return [
        {"id": s.pk, "name": str(s), "service_type": s.service_type.code, "area": s.area.code if s.area else None,
         "need_group": s.need_group.code if s.need_group else None, "open_to_new_entrants": s.open_to_new_entrants,
         "max_providers": s.max_providers}
        for s in Section.objects.select_related("service_type", "area", "need_group")
    ]


@framework_router.get("/services/{id:service_id}/quality", response={200: ServiceQualityOut, **ERRORS})
def service_quality(request, service_id: int):
    """A service's rating with the reasons for it, and its history (the council, or its own provider)."""
    location = get_visible_or_404(CareLocation.objects.select_related("organisation"), request.user, pk=service_id)
    ratings = list(location.ratings.all())
    current = next((r for r in ratings if r.is_current), None)
    return {"id": location.pk, "name": location.name, "cqc_location_id": location.cqc_location_id,
            "provider": location.organisation.name, "current": _rating(current) if current else None,
            "history": [_rating(r) for r in ratings]}


@framework_router.post("/services/{id:service_id}/inspections", response={201: InspectionOut, **ERRORS},
                       auth=granted("record_quality_evidence"))
def record_inspection(request, service_id: int, payload: InspectionIn):
    """Record an inspection (an NHS JQAF feed, an independent quality assessor's system); the
    service's rating is worked out again."""
    location = get_visible_or_404(CareLocation, request.user, pk=service_id)
    inspection = quality_services.record_inspection(
        location, request.user, source=payload.source, kind=payload.kind, outcome=payload.outcome,
        on=payload.inspected_on, reference=payload.reference)
    current = location.ratings.get(is_current=True)
    return Status(201, {"id": inspection.pk, "source": inspection.source, "kind": inspection.kind,
                        "outcome": inspection.outcome, "inspected_on": inspection.inspected_on,
                        "rating_now": current.label})


api.add_router("/framework", framework_router)


# --- tendering -------------------------------------------------------------------------------

from caremarket.tendering.api import router as tendering_router  # noqa: E402  (after the handlers above)

api.add_router("/tendering", tendering_router)

from caremarket.payments.api import router as payments_router  # noqa: E402

api.add_router("/payments", payments_router)
