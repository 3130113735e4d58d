"""The one clock Caremarket reads.

Everything that depends on "now" (deadlines, expiry, payment dates, the
scheduler) asks this module rather than ``datetime`` or ``timezone``, so that
tests, demos and rehearsals can set the time:

    with clock.frozen(datetime(2027, 3, 31, 17, 0, tzinfo=LONDON)):
        ...

A frozen clock can also be set for a whole process from the environment:
``CAREMARKET_CLOCK=2027-03-31T17:00`` (local UK time).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import threading
from zoneinfo import ZoneInfo

from django.utils import timezone

LONDON = ZoneInfo("Europe/London")

_lock = threading.Lock()
_frozen_at: dt.datetime | None = None


def _from_environment() -> dt.datetime | None:
    text = os.environ.get("CAREMARKET_CLOCK")
    if not text:
        return None
    moment = dt.datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=LONDON)


def now() -> dt.datetime:
    """The current moment, timezone-aware."""
    frozen = _frozen_at or _from_environment()
    return frozen if frozen is not None else timezone.now()


def today() -> dt.date:
    """Today's date in the UK."""
    return now().astimezone(LONDON).date()


def local(moment: dt.datetime) -> dt.datetime:
    """A moment in UK time, for showing people."""
    return moment.astimezone(LONDON)


def set_time(moment: dt.datetime | None) -> None:
    """Freeze the clock at ``moment`` (aware), or unfreeze it with ``None``."""
    global _frozen_at
    if moment is not None and moment.tzinfo is None:
        raise ValueError("the clock needs a timezone-aware moment")
    with _lock:
        _frozen_at = moment


def advance(by: dt.timedelta) -> dt.datetime:
    """Move a frozen clock on (tests of deadlines and schedules)."""
    if _frozen_at is None:
        raise RuntimeError("only a frozen clock can be moved on")
    set_time(_frozen_at + by)
    return _frozen_at


@contextlib.contextmanager
def frozen(moment: dt.datetime):
    previous = _frozen_at
    set_time(moment)
    try:
        yield
    finally:
        set_time(previous)
