"""The API's reference data, open to all: the home-support areas, service types and need groups.
"""

from ninja import Router, Schema

from caremarket.core.api_schemas import ERRORS
from caremarket.geography.models import Area

from .models import NeedGroup, ServiceType

router = Router(tags=["reference data"], auth=None)


class AreaOut(Schema):
    code: str
    name: str
    weekly_care_hours: int
    borders: list[str]


class ReferenceOut(Schema):
    code: str
    name: str


@router.get("/areas", response={200: list[AreaOut], **ERRORS})
def list_areas(request):
    return [
        {"code": a.code, "name": a.name, "weekly_care_hours": a.weekly_care_hours,
         "borders": sorted(b.code for b in a.borders.all())}
        for a in Area.objects.prefetch_related("borders")
    ]


@router.get("/service-types", response={200: list[ReferenceOut], **ERRORS})
def list_service_types(request):
    return ServiceType.objects.filter(is_active=True)


@router.get("/need-groups", response={200: list[ReferenceOut], **ERRORS})
def list_need_groups(request):
    return NeedGroup.objects.filter(is_active=True)
