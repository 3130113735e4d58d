"""What an API token may do, and for how long: pure rules, no database.

A token carries scopes, each an area of the API and ``read`` or ``write`` ("tendering:write").
Writing includes reading. The area of a call is the first part of its path under /api/, so a
token is checked before anything it sent is read. A token lasts at most a year; when it is
rotated, the old one keeps working for a week so the system using it can change over.
"""

from __future__ import annotations

import datetime as dt

# The API's areas, as a person choosing a token's scopes reads them, by the first part of the
# path (/api/tendering/...); /api/me and /api/people are the people area.
AREAS = {
    "people": "People and your own account",
    "organisations": "Organisations",
    "citizens": "Citizens",
    "client-records": "Client records in (people and assessments)",
    "events": "Events feed",
    "reference": "Reference data and the payment calendar",
    "framework": "Framework and quality ratings",
    "tendering": "Tendering, offers and care packages",
    "payments": "Visits, invoices, queries and remittances",
    "outcomes": "Carers, consortium and alliance contracts",
    "open-data": "Open contracting data",
    "directory": "The council's directory: people joining, changing and leaving (SCIM, /scim/v2/)",
}
PATH_AREAS = {"me": "people"}
ACCESS = ("read", "write")
EVERY_SCOPE = tuple(f"{area}:{access}" for area in AREAS for access in ACCESS)
READING_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

LONGEST = dt.timedelta(days=365)
ROTATION_OVERLAP = dt.timedelta(days=7)


def scope_problem(scope: str) -> str | None:
    """Why this is not a scope, or None."""
    area, _, access = scope.partition(":")
    if area in AREAS and access in ACCESS:
        return None
    return f"“{scope}” is not a scope: a scope is an area of the API and read or write, like tendering:read"


def area_of(path: str, api_root: str = "/api/") -> str | None:
    """The area a call to this path is in (None outside the API's areas)."""
    first = path.removeprefix(api_root).split("/", 1)[0]
    first = PATH_AREAS.get(first, first)
    return first if first in AREAS else None


def access_for(method: str) -> str:
    return "read" if method.upper() in READING_METHODS else "write"


def allows(scopes, area: str | None, access: str) -> bool:
    if area is None:
        return False
    wanted = {f"{area}:write"} if access == "write" else {f"{area}:read", f"{area}:write"}
    return not wanted.isdisjoint(scopes)


def refusal(area: str | None, access: str) -> str:
    if area is None:
        return "This token may not call this part of the API"
    verb = "change" if access == "write" else "read"
    return f"This token may not {verb} {AREAS[area].lower()} (it needs the scope {area}:{access})"


def expiry_problem(now: dt.datetime, expires_at: dt.datetime) -> str | None:
    """Why a token may not expire then, or None."""
    if expires_at <= now:
        return "The expiry date must be in the future"
    if expires_at - now > LONGEST:
        return "A token can last at most a year"
    return None


def after_rotation(now: dt.datetime, expires_at: dt.datetime) -> dt.datetime:
    """When a rotated token stops working: a week on, or sooner if it expires sooner."""
    return min(expires_at, now + ROTATION_OVERLAP)


def described(scopes) -> list[str]:
    """What a token may do, as a person reads it, area by area."""
    return [f"{label}: {'read and change' if f'{area}:write' in scopes else 'read'}"
            for area, label in AREAS.items() if f"{area}:write" in scopes or f"{area}:read" in scopes]
