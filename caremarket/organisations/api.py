"""The API's organisations: listing those you may see, one organisation, its locations, and
the contact details an organisation keeps up to date itself (audited).
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import transaction
from ninja import Router, Schema
from ninja.pagination import paginate
from pydantic import Field, ValidationInfo, field_validator

from caremarket.accounts.api_auth import granted
from caremarket.accounts.permissions import can, get_visible_or_404, visible
from caremarket.audit.trail import record, snapshot
from caremarket.core.api_schemas import ERRORS, InputSchema
from caremarket.core.pagination import Page
from caremarket.geography.postcodes import PostcodeError, normalise

from .contact import missing_message, phone_number
from .models import CareLocation, Organisation

router = Router(tags=["organisations"])


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

    MULTILINE = frozenset({"address"})

    email: str | None = Field(None, max_length=254)
    phone: str | None = Field(None, max_length=30)
    address: str | None = Field(None, max_length=500)
    postcode: str | None = None
    reason: str = Field("", max_length=500, description="Why the change is made, for the audit trail")

    @field_validator("email", "address", "postcode", mode="before")
    @classmethod
    def _not_emptied(cls, value, info: ValidationInfo):
        if value is None or (isinstance(value, str) and not value.strip()):
            raise ValueError(missing_message(info.field_name))
        return value

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


@router.get("", response={200: list[OrganisationOut], **ERRORS})
@paginate(Page)
def list_organisations(request, kind: Organisation.Kind | None = None):
    queryset = visible(Organisation.objects.all(), request.user)
    return queryset.filter(kind=kind) if kind else queryset


@router.get("/{id:organisation_id}", response={200: OrganisationOut, **ERRORS})
def get_organisation(request, organisation_id: int):
    return get_visible_or_404(Organisation, request.user, pk=organisation_id)


@router.patch("/{id:organisation_id}", response={200: OrganisationOut, **ERRORS},
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


@router.get("/{id:organisation_id}/locations", response={200: list[LocationOut], **ERRORS})
def list_locations(request, organisation_id: int):
    organisation = get_visible_or_404(Organisation, request.user, pk=organisation_id)
    return visible(CareLocation.objects.filter(organisation=organisation).select_related("ward__area"),
                   request.user)
