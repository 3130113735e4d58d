"""Recording each time citizens' personal details are shown (citizens.RecordAccess).

Called by every page and API operation that shows a citizen's name, date of birth, address
or record number. One access row a request and one bulk insert of the citizens it showed:
two statements however long the list, so that lists are not slowed.
"""

from __future__ import annotations

import functools

from django.db import transaction

from caremarket.core import clock

from .models import RecordAccess, RecordAccessCitizen


def record_access(request, citizens, *, kind: str) -> RecordAccess | None:
    """Note that the person asking was shown these citizens (objects or ids)."""
    ids = sorted({getattr(c, "pk", c) for c in citizens})
    if not ids:
        return None
    user = request.user
    with transaction.atomic():
        access = RecordAccess.objects.create(
            person=user, role=getattr(user, "role", "") or "", at=clock.now(), kind=kind,
            via_api=request.path.startswith("/api/"), where=request.get_full_path()[:500])
        RecordAccessCitizen.objects.bulk_create([RecordAccessCitizen(access=access, citizen_id=pk) for pk in ids])
    return access


def logs_citizens_shown(view):
    """For an API list of citizens paged by core.pagination: record the page it answers with."""
    @functools.wraps(view)
    def logged(request, *args, **kwargs):
        answer = view(request, *args, **kwargs)
        items = answer.get("items", []) if isinstance(answer, dict) else []
        record_access(request, items, kind=RecordAccess.Kind.LIST)
        return answer
    return logged
