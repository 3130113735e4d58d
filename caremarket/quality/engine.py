"""The Quality Rating System's overall rating, as pure rules with their explanation.

From the 2018 commissioning strategy ("Annual inspection", "Adjusting the quality rating",
"How the council works with inadequate quality providers"). Numbers in brackets are the
strategy's adjustment rules:

- The most recent **full** inspection, by the CQC, the council or the NHS, sets the rating
  (Table 2; see ``ratings``). Out-of-city providers are rated on their CQC rating.
- Then, in date order, what happened since:
  - a PQAS reporting a fall below that standard moves the rating down in year (1);
  - a PQAS reporting improvements changes nothing until an inspection verifies them (2);
  - a focussed inspection moves the rating down to its outcome (7); it moves it up only
    when it verifies improvements a PQAS reported or an improvement plan delivered (2);
  - Gold is given only at a full annual inspection (3);
  - a falsified PQAS is a breach of contract (4);
  - a completed improvement plan for an Inadequate rating gives Bronze and lifts the
    suspension ("Inadequate quality providers").
- A PQAS not submitted by its due date, the anniversary of the last (or of joining the
  framework), is a breach and the rating is Inadequate (5).
- A CQC rating of Inadequate holds the rating at Inadequate until the CQC lifts it (6): a
  later CQC inspection, comprehensive or focussed, that rates the service above Inadequate
  (a focussed one raises it no higher than Silver).
- Inadequate means suspension from bidding for new packages.

Bronze and Inadequate ratings need an improvement plan.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from .ratings import Rating, Source, translate

FULL, FOCUSSED = "full", "focussed"


def anniversary(day: dt.date) -> dt.date:
    """The same day and month a year on ("at least annually"); 29 February → 28 February."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


@dataclass(frozen=True)
class Inspection:
    source: Source
    kind: Literal["full", "focussed"]
    outcome: str  # in the inspecting body's own words
    on: dt.date
    reference: str = ""

    @property
    def rating(self) -> Rating | None:
        return translate(self.source, self.outcome)

    def describe(self) -> str:
        ref = f" ({self.reference})" if self.reference else ""
        return f"{self.source.label} {self.kind} inspection on {self.on:%d %B %Y}{ref}: {self.outcome}"


@dataclass(frozen=True)
class PqasSubmission:
    """A Provider Quality Assurance Statement and the rating it gives the provider's own service."""

    submitted_on: dt.date
    self_rating: Rating
    falsified: bool = False  # the council's finding, after trying to validate it


@dataclass(frozen=True)
class ImprovementPlanCompleted:
    """The council validated that an improvement plan delivered its improvements."""

    on: dt.date


@dataclass(frozen=True)
class RatingInputs:
    as_of: dt.date
    inspections: tuple[Inspection, ...] = ()
    pqas: tuple[PqasSubmission, ...] = ()
    pqas_first_due_on: dt.date | None = None  # when a service that has never sent one must
    improvement_plans_completed: tuple[ImprovementPlanCompleted, ...] = ()
    out_of_city: bool = False


@dataclass
class RatingDecision:
    rating: Rating | None
    explanation: list[str] = field(default_factory=list)
    breaches: list[str] = field(default_factory=list)
    suspended: bool = False
    based_on: Inspection | None = None
    since: dt.date | None = None  # the day the evidence that gave this rating took effect

    @property
    def improvement_plan_required(self) -> bool:
        return self.rating in (Rating.BRONZE, Rating.INADEQUATE)

    @property
    def label(self) -> str:
        return self.rating.label if self.rating else "Not yet rated"


def _rated(inspections) -> list[Inspection]:
    """Inspections that gave a rating, oldest first. On the same day a full inspection comes
    before a focussed one, and a better outcome before a worse one, so the more cautious
    finding is the later: the order evidence arrives in never changes the rating."""
    return sorted((i for i in inspections if i.rating is not None),
                  key=lambda i: (i.on, i.kind == FOCUSSED, -i.rating, i.source.value, i.reference))


def _base(inputs: RatingInputs) -> Inspection | None:
    full = [i for i in _rated(inputs.inspections) if i.kind == FULL and i.on <= inputs.as_of]
    if inputs.out_of_city:
        cqc = [i for i in full if i.source == Source.CQC]
        full = cqc or full
    return full[-1] if full else None


def decide(inputs: RatingInputs) -> RatingDecision:
    base = _base(inputs)
    decision = RatingDecision(base.rating if base else None, based_on=base)
    if base is not None:
        _adjust_since_full_inspection(inputs, base, decision)
    else:
        decision.explanation.append("No full inspection has given a rating yet: the council or the NHS must "
                                    "inspect before a package is awarded")
    _apply_overriding_rules(inputs, decision)
    return decision


def _adjust_since_full_inspection(inputs: RatingInputs, base: Inspection, decision: RatingDecision) -> None:
    rating, since = base.rating, base.on
    note = decision.explanation.append
    where = "its CQC rating, as an out-of-city provider" if inputs.out_of_city and base.source == Source.CQC else \
        "the most recent full inspection"
    note(f"{rating.label} from {where}: {base.describe()}")

    # What happened after the full inspection, in date order.
    events: list[tuple[dt.date, int, object]] = []
    events += [(i.on, 1, i) for i in _rated(inputs.inspections)
               if i.kind == FOCUSSED and base.on <= i.on <= inputs.as_of]
    events += [(p.submitted_on, 0, p) for p in inputs.pqas if base.on <= p.submitted_on <= inputs.as_of]
    events += [(c.on, 2, c) for c in inputs.improvement_plans_completed if base.on <= c.on <= inputs.as_of]
    improvements_reported = False
    for _, _, event in sorted(events, key=lambda e: (e[0], e[1])):
        if isinstance(event, PqasSubmission):
            if event.falsified:
                decision.breaches.append(f"PQAS of {event.submitted_on:%d %B %Y} was significantly falsified "
                                         "(breach of contract)")
                note(f"The PQAS of {event.submitted_on:%d %B %Y} was found to be falsified: a breach of contract; "
                     "it is not relied on")
                continue
            if event.self_rating < rating:
                note(f"Down to {event.self_rating.label}: the PQAS of {event.submitted_on:%d %B %Y} shows the "
                     f"service has fallen below the {rating.label} standard")
                rating, since = event.self_rating, event.submitted_on
            elif event.self_rating > rating:
                improvements_reported = True
                note(f"No change: the PQAS of {event.submitted_on:%d %B %Y} reports improvements "
                     f"({event.self_rating.label}); an inspection must verify them first")
            else:
                note(f"No change: the PQAS of {event.submitted_on:%d %B %Y} confirms {rating.label}")
        elif isinstance(event, Inspection):
            found = event.rating
            if _lifts_cqc_inadequate(event, base, rating):
                raised = min(found, Rating.SILVER)
                note(f"Up to {raised.label}: the CQC re-inspected and lifted its Inadequate rating ({event.describe()})"
                     + (" (Gold is given only at a full annual inspection)" if found == Rating.GOLD else ""))
                rating, since = raised, event.on
            elif found < rating:
                note(f"Down to {found.label}: {event.describe()}")
                rating, since = found, event.on
            elif found > rating and improvements_reported:
                raised = min(found, Rating.SILVER)
                note(f"Up to {raised.label}: {event.describe()} verified the improvements reported"
                     + (" (Gold is given only at a full annual inspection)" if found == Rating.GOLD else ""))
                rating, since, improvements_reported = raised, event.on, False
            elif found > rating:
                note(f"No change: {event.describe()}; a focussed inspection raises a rating only when it "
                     "verifies improvements the provider reported")
            else:
                note(f"No change: {event.describe()} confirms {rating.label}")
        elif isinstance(event, ImprovementPlanCompleted):
            if rating == Rating.INADEQUATE:
                note(f"Up to Bronze: the improvement plan was completed satisfactorily on {event.on:%d %B %Y}")
                rating, since = Rating.BRONZE, event.on
            else:
                improvements_reported = True
                note(f"Improvement plan completed on {event.on:%d %B %Y}; a re-inspection can verify it")

    decision.rating, decision.since = rating, since


def _lifts_cqc_inadequate(event: Inspection, base: Inspection, rating: Rating) -> bool:
    """A CQC inspection, comprehensive or focussed, that rates above Inadequate after the CQC's
    own Inadequate lifts it (rule 6): the CQC's re-inspection is the verification."""
    return (event.source == Source.CQC and base.source == Source.CQC and base.rating == Rating.INADEQUATE
            and rating == Rating.INADEQUATE and event.rating > Rating.INADEQUATE)


def pqas_due_on(inputs: RatingInputs) -> dt.date | None:
    """A PQAS is due on the anniversary of the last one, or by the first due date (the
    anniversary of joining) when none was sent."""
    sent = [p.submitted_on for p in inputs.pqas if p.submitted_on <= inputs.as_of]
    if sent:
        return anniversary(max(sent))
    return inputs.pqas_first_due_on


def _apply_overriding_rules(inputs: RatingInputs, decision: RatingDecision) -> None:
    """The rules that hold whatever the inspections say: PQAS overdue, CQC Inadequate, suspension."""
    note = decision.explanation.append
    due = pqas_due_on(inputs)
    if due is not None and inputs.as_of > due:
        decision.breaches.append(f"PQAS due by {due:%d %B %Y} was not submitted (breach of contract)")
        note(f"Inadequate: the PQAS due by {due:%d %B %Y} has not been submitted")
        decision.rating, decision.since = Rating.INADEQUATE, due + dt.timedelta(days=1)

    # The CQC's latest finding: of two on one day, the more cautious stands.
    cqc = [i for i in _rated(inputs.inspections) if i.source == Source.CQC and i.on <= inputs.as_of]
    latest = min((i for i in cqc if i.on == cqc[-1].on), key=lambda i: i.rating) if cqc else None
    if latest and latest.rating == Rating.INADEQUATE and decision.rating != Rating.INADEQUATE:
        note(f"Inadequate: the CQC rates the service Inadequate ({latest.describe()}) and the rating stays "
             "Inadequate until the CQC lifts it")
        decision.rating, decision.since = Rating.INADEQUATE, latest.on

    if decision.rating == Rating.INADEQUATE:
        decision.suspended = True
        note("Suspended from bidding for new care packages while rated Inadequate")
    if decision.improvement_plan_required:
        note(f"An improvement plan is required ({decision.rating.label})")
