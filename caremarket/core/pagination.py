"""How every API list is paged: ``limit`` (1 to 500, 100 by default) and ``offset``.

The bounds are in the OpenAPI document, so a client knows them; a value outside them is
refused with the usual error body (422) rather than reaching the database: an offset of
2^63 was a server error, and a limit of 100,000 returned every citizen in one response.
"""

from django.conf import settings
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

from .converters import LARGEST_ID


class Page(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(settings.NINJA_PAGINATION_PER_PAGE, ge=1, le=settings.NINJA_PAGINATION_MAX_LIMIT,
                           description=f"How many records, at most {settings.NINJA_PAGINATION_MAX_LIMIT}")
        offset: int = Field(0, ge=0, le=LARGEST_ID, description="How many records to skip")
