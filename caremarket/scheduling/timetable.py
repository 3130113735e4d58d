"""When a scheduled job runs next: a pure rule."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")  # as core.clock's, which this pure rule does not import (it reads Django)

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)


def next_run_after(moment: dt.datetime, *, every_minutes: int | None = None, daily_at: dt.time | None = None
                   ) -> dt.datetime:
    """The first run strictly after ``moment``.

    ``every_minutes``: on multiples of that many minutes since the Unix epoch (so several
    schedulers agree). ``daily_at``: that wall-clock time in the UK, across clock changes;
    on the spring-forward day a time in the missing hour runs an hour later.
    """
    if (every_minutes is None) == (daily_at is None):
        raise ValueError("a job runs either every so many minutes or daily at a time")
    if every_minutes is not None:
        if every_minutes <= 0:
            raise ValueError("every_minutes must be positive")
        interval = dt.timedelta(minutes=every_minutes)
        return EPOCH + ((moment - EPOCH) // interval + 1) * interval
    day = moment.astimezone(LONDON).date()
    for _ in range(3):
        # Through UTC: datetimes sharing a tzinfo compare by wall-clock time, ignoring offsets.
        candidate = dt.datetime.combine(day, daily_at, tzinfo=LONDON).astimezone(dt.timezone.utc)
        if candidate > moment:
            return candidate
        day += dt.timedelta(days=1)
    raise AssertionError("unreachable: a daily time recurs within two days")
