"""What a provider should know before submitting an invoice. Pure.

Submitting starts the council's 28 days to pay, and afterwards no visit can be added to it.
So the check page says what is in it and warns when the period has not ended (visits still
to come cannot be added) or when queried visits are not answered (they are paid once finance
settles them, and finance cannot settle a query nobody answered).
"""

from __future__ import annotations

import datetime as dt


def warnings(*, period_ends_on: dt.date, today: dt.date, unanswered_queries: int) -> list[str]:
    found = []
    if today <= period_ends_on:
        found.append(f"The period runs until {period_ends_on.day} {period_ends_on:%B %Y}: visits after today cannot "
                     "be added to this invoice once it is submitted.")
    if unanswered_queries:
        found.append(f"{unanswered_queries} queried visit{'s are' if unanswered_queries != 1 else ' is'} not answered: "
                     "they are paid only once finance settles them, so answer them too.")
    return found
