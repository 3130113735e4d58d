"""The hash chain, as pure functions of an event's fields."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Iterable

from .models import GENESIS_HASH

HASHED_FIELDS = (
    "sequence", "occurred_at", "actor_id", "actor_label", "action", "object_type",
    "object_id", "object_label", "before", "after", "reason", "previous_hash",
)


def event_hash(fields: dict) -> str:
    """SHA-256 of the event's fields in a canonical JSON form."""
    content = dict(fields)
    occurred_at: dt.datetime = content["occurred_at"]
    content["occurred_at"] = occurred_at.astimezone(dt.timezone.utc).isoformat(timespec="microseconds")
    canonical = json.dumps(
        {name: content[name] for name in HASHED_FIELDS}, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class ChainProblem:
    sequence: int
    message: str

    def __str__(self):
        return f"event {self.sequence}: {self.message}"


def check_chain(events: Iterable[dict], head: dict | None) -> list[ChainProblem]:
    """Every way the stored events differ from an unbroken chain.

    ``events`` are dicts of the hashed fields plus ``hash``, in sequence order;
    ``head`` is the stored newest link (``sequence``, ``hash``).
    """
    problems: list[ChainProblem] = []
    expected_sequence, previous = 1, GENESIS_HASH
    for event in events:
        seq = event["sequence"]
        if seq != expected_sequence:
            problems.append(ChainProblem(seq, f"expected event {expected_sequence} here: events are missing"))
        if event["previous_hash"] != previous:
            problems.append(ChainProblem(seq, "does not follow on from the event before it (deleted or reordered)"))
        if event_hash(event) != event["hash"]:
            problems.append(ChainProblem(seq, "its content has been changed since it was written"))
        expected_sequence, previous = seq + 1, event["hash"]
    last = expected_sequence - 1
    if head is not None and (head["sequence"] != last or head["hash"] != previous):
        problems.append(
            ChainProblem(head["sequence"], f"the chain should end at event {head['sequence']} but ends at {last}")
        )
    return problems
