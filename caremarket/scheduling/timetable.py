"""When a scheduled job runs next: a pure rule."""

from __future__ import annotations

import datetime as dt

from caremarket.core.clock import LONDON


def next_run_after(moment: dt.datetime, *, every_minutes: int | None = None, daily_at: dt.time | None = None
                   ) -> dt.datetime:
    """The first run strictly after ``moment``.

    ``every_minutes``: on multiples of that many minutes since midnight UTC (so several
    schedulers agree). ``daily_at``: that wall-clock time in the UK, across clock changes.
    """
    if (every_minutes is None) == (daily_at is None):
        raise ValueError("a job runs either every so many minutes or daily at a time")
    if every_minutes is not None:
        if every_minutes <= 0:
            raise ValueError("every_minutes must be positive")
        utc = moment.astimezone(dt.timezone.utc)
        midnight = utc.replace(hour=0, minute=0, second=0, microsecond=0)
        elapsed = (utc - midnight) // dt.timedelta(minutes=every_minutes) + 1
        return midnight + elapsed * dt.timedelta(minutes=every_minutes)
    local = moment.astimezone(LONDON)
    candidate = dt.datetime.combine(local.date(), daily_at, tzinfo=LONDON)
    if candidate <= local:
        candidate = dt.datetime.combine(local.date() + dt.timedelta(days=1), daily_at, tzinfo=LONDON)
    return candidate
