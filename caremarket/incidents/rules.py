"""What a report must say, and which reports count towards a service's focussed-inspection
triggers. Pure.

- A report says which service, what kind, the day it happened (not in the future), and what
  happened; a serious incident or a safeguarding alert also says what was done at once.
- At triage the council decides whether the report stands. One that stands counts as
  intelligence of the matching kind (quality concerns and serious incidents as concerns,
  safeguarding alerts as safeguarding alerts, complaints as complaints), on the day it
  happened; compliments never count. The thresholds themselves are the quality rating
  system's (``quality.triggers``), checked in one place.
- A report is closed with its findings and the learning drawn from it.
"""

from __future__ import annotations

import datetime as dt

NEEDS_IMMEDIATE_ACTION = ("serious_incident", "safeguarding")
INTELLIGENCE_KIND = {"concern": "concern", "serious_incident": "concern", "safeguarding": "safeguarding_alert",
                     "complaint": "complaint"}


def report_problems(kind: str, occurred_on: dt.date | None, what_happened: str, immediate_action: str,
                    today: dt.date) -> dict[str, str]:
    found = {}
    if occurred_on and occurred_on > today:
        found["occurred_on"] = "The date it happened cannot be in the future"
    if not what_happened.strip():
        found["what_happened"] = "Say what happened"
    if kind in NEEDS_IMMEDIATE_ACTION and not immediate_action.strip():
        found["immediate_action"] = "Say what was done at once to keep people safe"
    return found


def intelligence_kind(kind: str, substantiated: bool) -> str | None:
    """The trigger intelligence a triaged report counts as, or None."""
    return INTELLIGENCE_KIND.get(kind) if substantiated else None


def close_problems(findings: str, learning: str) -> dict[str, str]:
    found = {}
    if not findings.strip():
        found["findings"] = "Record what the investigation found"
    if not learning.strip():
        found["learning"] = "Record the learning, even if it is that nothing needs to change"
    return found
