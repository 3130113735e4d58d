"""Entry criteria: who may join the framework, as pure rules that explain each result.

Each criterion is assessed into **pass**, **fail** or **needs a decision** with its reason;
the application's overall result is the worst of them. The criteria themselves are data
(framework.models.EntryCriterion) that commissioners keep. An automatic result never
replaces a commissioner's recorded decision (framework.enrolment).

The rating rule (2018 strategy, "Entry criteria"): at least one of a CQC rating of Requires
improvement or better, a council rating of Bronze or better, or an NHS JQAF rating of Amber
or better (nursing homes only); the most recent counts. A provider the CQC rates Inadequate
never enters. With no rating at all, the council or the NHS inspects before award.

The rating criterion is judged for each kind of service applied for (home support, care
homes, supported living) on the ratings of the applicant's locations that deliver it: an NHS
rating of a nursing home says nothing about the same organisation's home-support branch.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from caremarket.quality.ratings import Rating, Source, translate


class Result(enum.IntEnum):
    """Ordered so that the worst result is the largest."""

    PASS = 1
    NEEDS_DECISION = 2
    FAIL = 3

    @property
    def label(self) -> str:
        return {1: "Pass", 2: "Needs a decision", 3: "Fail"}[self.value]


SETTINGS = frozenset({"home", "bed_based", "supported_living"})
SETTING_LABELS = {"home": "home support", "bed_based": "care homes", "supported_living": "supported living"}


@dataclass(frozen=True)
class RatingEvidence:
    """A rating of one of the applicant's locations, and what that location delivers."""

    source: Source
    outcome: str
    on: dt.date
    settings: frozenset[str] = SETTINGS  # the service settings the rated location delivers
    nursing_home: bool = False  # the NHS JQAF rates nursing homes only
    location: str = ""


@dataclass(frozen=True)
class Document:
    type_code: str
    expires_on: dt.date | None
    verified: bool


@dataclass(frozen=True)
class Criterion:
    """One entry criterion, as commissioners hold it."""

    code: str
    name: str
    kind: str  # "rating", "document" or "declaration"
    settings: frozenset[str]  # the service settings it applies to (home, bed_based, supported_living)
    document_type: str = ""  # for "document" criteria
    nursing_only: bool = False


@dataclass(frozen=True)
class Applicant:
    settings: frozenset[str]
    has_nursing: bool
    ratings: tuple[RatingEvidence, ...]
    documents: tuple[Document, ...]
    declarations: dict  # criterion code → what was declared ("none" or the details)


@dataclass(frozen=True)
class Assessment:
    code: str
    name: str
    result: Result
    reason: str


def assess_rating(ratings, setting: str | None = None) -> tuple[Result, str]:
    """The rating criterion for one service setting, read from the ratings of the locations
    that deliver it (all of them when ``setting`` is None)."""
    counted = []
    for evidence in ratings:
        if setting is not None and setting not in evidence.settings:
            continue  # a rating of a location that will not deliver this service
        if evidence.source == Source.NHS and not evidence.nursing_home:
            continue  # the NHS JQAF applies to nursing homes only
        rating = translate(evidence.source, evidence.outcome)
        if rating is not None:
            counted.append((evidence, rating))
    cqc = [(e, r) for e, r in counted if e.source == Source.CQC]
    if cqc:
        latest_cqc, cqc_rating = max(cqc, key=lambda item: (item[0].on, -item[1]))
        if cqc_rating == Rating.INADEQUATE:
            return Result.FAIL, (f"The CQC rates the service Inadequate ({latest_cqc.on:%d %B %Y}): a provider "
                                 "the CQC rates Inadequate cannot join")
    if not counted:
        return Result.NEEDS_DECISION, ("No CQC, council or NHS rating: the council or the NHS must inspect "
                                       "before a contract is awarded")
    latest, rating = max(counted, key=lambda item: (item[0].on, -item[1]))
    where = f"{latest.location}: " if latest.location else ""
    described = f"{where}{latest.source.label} rating {latest.outcome} of {latest.on:%d %B %Y}, the most recent"
    if rating == Rating.INADEQUATE:
        return Result.FAIL, f"{described}, is Inadequate"
    return Result.PASS, f"{described}, is {rating.label} or equivalent"


def assess_document(criterion: Criterion, documents, as_of: dt.date) -> tuple[Result, str]:
    held = [d for d in documents if d.type_code == criterion.document_type]
    if not held:
        return Result.FAIL, f"No {criterion.name.lower()} has been provided"
    current = [d for d in held if d.expires_on is None or d.expires_on >= as_of]
    if not current:
        latest = max(held, key=lambda d: d.expires_on)
        return Result.FAIL, f"The {criterion.name.lower()} expired on {latest.expires_on:%d %B %Y}"
    if not any(d.verified for d in current):
        return Result.NEEDS_DECISION, f"The {criterion.name.lower()} has been provided but not yet checked"
    expiry = max((d.expires_on for d in current if d.verified and d.expires_on), default=None)
    return Result.PASS, f"{criterion.name} provided and checked" + (f", valid to {expiry:%d %B %Y}" if expiry else "")


def assess_declaration(criterion: Criterion, declarations: dict) -> tuple[Result, str]:
    declared = (declarations.get(criterion.code) or "").strip()
    if not declared:
        return Result.FAIL, f"The {criterion.name.lower()} declaration has not been made"
    if declared.lower() == "none":
        return Result.PASS, f"Declared: nothing to report ({criterion.name.lower()})"
    return Result.NEEDS_DECISION, f"Declared for a commissioner to consider: {declared}"


def applies(criterion: Criterion, applicant: Applicant) -> bool:
    if criterion.nursing_only and not applicant.has_nursing:
        return False
    return bool(criterion.settings & applicant.settings)


def assess(criteria, applicant: Applicant, as_of: dt.date) -> tuple[Result, list[Assessment]]:
    """Every criterion that applies, assessed; and the overall result (the worst)."""
    assessments = []
    for criterion in criteria:
        if not applies(criterion, applicant):
            continue
        if criterion.kind == "rating":
            # Judged for each service applied for, on the locations that will deliver it.
            settings = sorted(criterion.settings & applicant.settings)
            for setting in settings:
                result, reason = assess_rating(applicant.ratings, setting)
                name = f"{criterion.name} ({SETTING_LABELS[setting]})" if len(settings) > 1 else criterion.name
                assessments.append(Assessment(criterion.code, name, result, reason))
            continue
        elif criterion.kind == "document":
            result, reason = assess_document(criterion, applicant.documents, as_of)
        elif criterion.kind == "declaration":
            result, reason = assess_declaration(criterion, applicant.declarations)
        else:
            raise ValueError(f"unknown kind of criterion {criterion.kind!r}")
        assessments.append(Assessment(criterion.code, criterion.name, result, reason))
    overall = max((a.result for a in assessments), default=Result.NEEDS_DECISION)
    return overall, assessments
