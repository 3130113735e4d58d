"""The API's framework: its sections, and whether new providers may join them (open data).
"""

from ninja import Router, Schema

from caremarket.core.api_schemas import ERRORS

from .models import Section

router = Router(tags=["framework and quality"])


class SectionOut(Schema):
    id: int
    name: str
    service_type: str
    area: str | None
    need_group: str | None
    open_to_new_entrants: bool
    max_providers: int | None


@router.get("/sections", response={200: list[SectionOut], **ERRORS}, auth=None)
def list_sections(request):
    """The framework's sections, and whether new providers may join them (open data)."""
    return [
        {"id": s.pk, "name": str(s), "service_type": s.service_type.code, "area": s.area.code if s.area else None,
         "need_group": s.need_group.code if s.need_group else None, "open_to_new_entrants": s.open_to_new_entrants,
         "max_providers": s.max_providers}
        for s in Section.objects.select_related("service_type", "area", "need_group")
    ]
