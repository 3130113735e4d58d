"""The API's open data: the micro-tenders as Open Contracting Data Standard release packages."""

import datetime as dt

from django.http import HttpResponse
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field, ValidationInfo, field_validator

from caremarket.core.api_schemas import ERRORS
from caremarket.organisations.councils import the_only_council
from caremarket.organisations.models import Organisation

from . import publishing

router = Router(tags=["open data"])
MOST_PER_PAGE = 1000
EARLIEST, LATEST = dt.date(2000, 1, 1), dt.date(2199, 12, 31)  # dates anyone could mean


class ReleaseWindow(Schema):
    since: dt.date = Field(ge=EARLIEST, le=LATEST, description="The first day whose releases are wanted")
    until: dt.date = Field(ge=EARLIEST, le=LATEST, description="The last day whose releases are wanted")
    offset: int = Field(0, ge=0, le=10_000_000, description="Contracting processes to skip")
    limit: int = Field(100, ge=1, le=MOST_PER_PAGE, description="Contracting processes on this page")
    council: int | None = Field(None, ge=1, le=2**63 - 1, description="Whose releases: a council's id (see "
                                "/api/organisations). Needed where the service runs several councils")

    @field_validator("until")
    @classmethod
    def _not_before_since(cls, until: dt.date, info: ValidationInfo) -> dt.date:
        since = info.data.get("since")
        if since and until < since:
            raise ValueError("must not be before since")
        return until


def _council(council_id: int | None) -> int:
    """The council asked for, else the install's only council; a clear error otherwise."""
    if council_id is None:
        try:
            return the_only_council()
        except ValueError:
            raise HttpError(422, "council: say whose releases (this service runs several councils)") from None
    if not Organisation.objects.filter(pk=council_id, kind=Organisation.Kind.COUNCIL).exists():
        raise HttpError(422, f"council: {council_id} is not a council on this service")
    return council_id


@router.get("/ocds/releases", response={200: dict, **ERRORS}, auth=None)
def ocds_releases(request, response: HttpResponse, window: Query[ReleaseWindow]):
    """The releases dated from ``since`` to ``until`` (inclusive) as an OCDS 1.1 release package,
    ``limit`` contracting processes at a time. ``X-Total-Count`` says how many processes the
    window holds and a ``Link`` header names the next page. Open Government Licence."""
    chosen = publishing.Window(window.since, window.until, _council(window.council))
    own = publishing.council_settings(chosen.council())
    page = (f"{own.site_url}/api/open-data/ocds/releases?since={window.since}&until={window.until}"
            + (f"&council={window.council}" if window.council else ""))
    total = publishing.count(chosen)
    response["X-Total-Count"] = str(total)
    if window.offset + window.limit < total:
        response["Link"] = f'<{page}&offset={window.offset + window.limit}&limit={window.limit}>; rel="next"'
    return publishing.package_head(f"{page}&offset={window.offset}&limit={window.limit}", chosen.council()) | {
        "releases": list(publishing.releases(chosen, offset=window.offset, limit=window.limit))}
