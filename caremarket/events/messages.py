"""What a subscriber receives of an event, by webhook or the pull feed."""

from __future__ import annotations

from .models import Event


def payload(event: Event, *, personal_data: bool) -> dict:
    """What a subscriber receives: the Standard Webhooks body (type, timestamp, data)."""
    data = dict(event.data)
    if event.citizen:
        data["citizen"] = event.citizen if personal_data else {"person_id": event.citizen.get("person_id")}
    return {"id": f"evt_{event.uid.hex}", "type": event.kind, "timestamp": event.occurred_at.isoformat(),
            "subject": event.subject, "data": data}
