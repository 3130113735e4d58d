"""The pull feed: a subscriber's system reads the events after the last one it took, so a system
that was down catches up from where it stopped."""

from django.db.models import Q
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from caremarket.accounts.api_auth import BearerToken
from caremarket.core.api_schemas import ERRORS

from .models import Event, Subscriber
from .messages import payload

router = Router(tags=["events"])
MOST = 1000


class FeedQuery(Schema):
    after: int = Field(0, ge=0, description="The cursor: the last event's position you took (0 from the start)")
    limit: int = Field(100, ge=1, le=MOST)


class EventOut(Schema):
    position: int = Field(description="Pass the last one as ?after= to read on from it")
    id: str = Field(description="The event's id (the webhook-id of its webhook): drop a duplicate by it")
    type: str
    timestamp: str
    subject: str
    data: dict


class FeedOut(Schema):
    events: list[EventOut]
    next: int = Field(description="The cursor to ask with next time")


@router.get("", response={200: FeedOut, **ERRORS}, auth=BearerToken())
def feed(request, query: Query[FeedQuery]):
    """The events your system may receive, oldest first, after the cursor you give."""
    subscriber = Subscriber.objects.filter(account=request.user, active=True).first()
    if subscriber is None:
        raise HttpError(403, "This account is not a registered subscriber to events")
    # Its council's events and national ones: never another council's.
    events = list(Event.objects.filter(Q(council=subscriber.council_id) | Q(council__isnull=True), pk__gt=query.after,
                                       kind__in=subscriber.kinds).order_by("pk")[:query.limit])
    return {"events": [{"position": e.pk, **payload(e, personal_data=subscriber.personal_data)} for e in events],
            "next": events[-1].pk if events else query.after}
