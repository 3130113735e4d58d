"""Scoring a council inspection against the toolkit's core standards.

Each of the five core standards is scored Gold, Silver, Bronze or Inadequate. The outcome of
the inspection is the lowest of them: a service is only as good as its weakest standard
(our reading of "the combination of criteria and evidence that must be met"; the toolkit
version records which standards were used).
"""

from __future__ import annotations

from .ratings import Rating


def outcome(scores: dict[str, Rating], standards: list[dict]) -> tuple[Rating, str]:
    missing = [s["name"] for s in standards if s["code"] not in scores]
    if missing:
        raise ValueError(f"Score every core standard: {', '.join(missing)} not scored")
    weakest = min(standards, key=lambda s: scores[s["code"]])
    result = scores[weakest["code"]]
    return result, f"{result.label}: the lowest of the five core standards ({weakest['name']})"
