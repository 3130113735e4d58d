"""The words each body rates in, and how they translate into the council's overall rating.

Table 2 of the 2018 commissioning strategy:

    Overall     CQC                    Council      NHS (JQAF)
    Gold        Outstanding            Gold         Bright Green
    Silver      Good                   Silver       Green
    Bronze      Requires improvement   Bronze       Amber
    Inadequate  Inadequate             Inadequate   Red

The CQC also publishes words that are not ratings ("No published rating", "Inspected but
not rated", "Insufficient evidence to rate", "Not Rated"): they say no rating was given.
"""

from __future__ import annotations

import enum


class Rating(enum.IntEnum):
    """The council's overall quality rating; a higher value is better."""

    INADEQUATE = 1
    BRONZE = 2
    SILVER = 3
    GOLD = 4

    @property
    def label(self) -> str:
        return self.name.capitalize()

    @classmethod
    def from_label(cls, label: str) -> "Rating":
        try:
            return cls[label.strip().upper()]
        except KeyError:
            raise UnknownRating(f"'{label}' is not a council rating (Gold, Silver, Bronze or Inadequate)") from None


class Source(enum.StrEnum):
    CQC = "cqc"
    COUNCIL = "council"
    NHS = "nhs"

    @property
    def label(self) -> str:
        return {"cqc": "CQC", "council": "council", "nhs": "NHS"}[self.value]


class UnknownRating(ValueError):
    """A word that is not in a body's rating vocabulary."""


CQC_RATINGS = {
    "outstanding": Rating.GOLD,
    "good": Rating.SILVER,
    "requires improvement": Rating.BRONZE,
    "inadequate": Rating.INADEQUATE,
}
CQC_NOT_RATED = {"no published rating", "inspected but not rated", "insufficient evidence to rate", "not rated", ""}
NHS_RATINGS = {"bright green": Rating.GOLD, "green": Rating.SILVER, "amber": Rating.BRONZE, "red": Rating.INADEQUATE}
COUNCIL_RATINGS = {r.label.lower(): r for r in Rating}

VOCABULARY = {Source.CQC: CQC_RATINGS, Source.COUNCIL: COUNCIL_RATINGS, Source.NHS: NHS_RATINGS}


def translate(source: Source, outcome: str) -> Rating | None:
    """The overall rating an inspection outcome stands for; None where the CQC gave no rating.

    Raises ``UnknownRating`` for a word the body does not use.
    """
    word = " ".join(outcome.lower().split())
    if source == Source.CQC and word in CQC_NOT_RATED:
        return None
    try:
        return VOCABULARY[source][word]
    except KeyError:
        allowed = ", ".join(w.capitalize() for w in VOCABULARY[source])
        raise UnknownRating(f"'{outcome}' is not a {source.label} rating (expected one of {allowed})") from None
