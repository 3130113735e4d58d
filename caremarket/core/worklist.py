"""A person's work, as their home page lists it. Each app says what of its own needs doing in
its `work.py`, a function `tasks_for(user)` returning `Task`s; `web/dashboards.py` only gathers
them, so adding a capability touches no other app's file. How urgent a task is comes from
`core.urgency`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .urgency import TO_DO

SHOWN = 5  # the most urgent items named under a task; the task's link shows them all


@dataclass
class Item:
    text: str
    href: str = ""
    note: str = ""


@dataclass
class Task:
    title: str
    href: str
    link_text: str
    urgency: int = TO_DO
    items: list[Item] = field(default_factory=list)


def plural(count: int, one: str, many: str) -> str:
    return f"{count:,} {one if count == 1 else many}"


def days(count: int) -> str:
    return plural(count, "day", "days")


def ago(now: dt.datetime, moment: dt.datetime | None) -> str:
    if moment is None:
        return ""
    hours = int((now - moment).total_seconds() // 3600)
    if hours < 1:
        return "less than an hour ago"
    return f"{days(hours // 24)} ago" if hours >= 24 else f"{plural(hours, 'hour', 'hours')} ago"
