"""The API's people: who is calling (``/me``) and the people you may see.
"""

from ninja import Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from caremarket.core.api_schemas import ERRORS, OrganisationRef
from caremarket.core.pagination import Page

from .models import User
from .permissions import visible

router = Router(tags=["people"])


class Me(Schema):
    id: int
    username: str
    name: str
    role: str
    organisation: OrganisationRef | None


class PersonOut(Schema):
    id: int
    name: str = Field(alias="get_full_name")
    email: str
    role: str
    organisation_id: int | None
    is_active: bool


@router.get("/me", response={200: Me, **ERRORS})
def me(request):
    user = request.user
    org = user.organisation
    return {
        "id": user.pk, "username": user.username, "name": user.get_full_name(), "role": user.role,
        "organisation": {"id": org.pk, "name": org.name} if org else None,
    }


@router.get("/people", response={200: list[PersonOut], **ERRORS})
@paginate(Page)
def list_people(request):
    return visible(User.objects.filter(organisation__isnull=False), request.user)
