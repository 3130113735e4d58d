"""The API's citizens: the council's alone (``view_citizens``), every answer recorded in the
access log (citizens.access_log).
"""

import datetime as dt

from ninja import Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from caremarket.accounts.api_auth import granted
from caremarket.accounts.permissions import get_visible_or_404, visible
from caremarket.core.api_schemas import ERRORS
from caremarket.core.pagination import Page

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
