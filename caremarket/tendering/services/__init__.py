"""Placing care: raising a requirement and routing it (requirements), tender rounds and offers
(tenders), and awarding the care package (award). The rules are in routing, windows, offers,
evaluation and choice (pure); these modules gather their inputs from the database, store what
they decide, and record every step in the audit trail. Callers use this package's names.
"""

from .award import (
    AlreadyAwarded,
    AwardRefused,
    award,
    check_award,
    place_package,
    preview_choice,
    reevaluate,
)
from .common import fixed_fee, fixed_weekly_price, policy_for, priced_at_fee, standings
from .requirements import (
    LIVE_STATUSES,
    REQUIREMENT_FIELDS,
    DuplicateRequirement,
    cancel_requirement,
    live_requirement,
    new_requirement,
    raise_requirement,
    route_requirement,
)
from .tenders import (
    close_due_tenders,
    close_if_due,
    close_tender,
    eligible_providers,
    evaluate,
    evaluation_record,
    issue_tender,
    next_round,
    offer_facts,
    offers_to_score,
    outcome_for_provider,
    score_offers,
    stored_evaluation,
    submit_offer,
    withdraw_offer,
)

__all__ = [
    "AlreadyAwarded", "AwardRefused", "DuplicateRequirement", "LIVE_STATUSES", "REQUIREMENT_FIELDS", "award",
    "cancel_requirement", "check_award", "close_due_tenders", "close_if_due", "close_tender",
    "eligible_providers", "evaluate", "evaluation_record", "fixed_fee",
    "fixed_weekly_price", "issue_tender", "live_requirement", "new_requirement", "next_round", "offer_facts",
    "offers_to_score", "outcome_for_provider", "place_package", "policy_for", "preview_choice",
    "priced_at_fee", "raise_requirement", "reevaluate", "route_requirement", "score_offers", "standings",
    "stored_evaluation", "submit_offer", "withdraw_offer",
]
