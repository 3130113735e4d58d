"""Payment queries: a visit that differs from its plan, answered by the provider and
settled by finance. A queried visit is held out of payment until it is settled."""

from __future__ import annotations

import csv
import io

from django.core.exceptions import ValidationError
from django.db import transaction

from caremarket.audit.trail import record
from caremarket.core import cleaning, clock
from caremarket.core.cleaning import whole_number
from caremarket.core.money import format_gbp

from . import visits as rules
from .ingest import hourly_rate_on
from .models import PaymentQuery


def answer(query: PaymentQuery, actor, *, text: str, claimed_minutes: int | None = None) -> PaymentQuery:
    if not text.strip():
        raise ValidationError({"answer": "Say what happened on this visit"})
    if claimed_minutes is not None and not 0 < claimed_minutes <= 24 * 60:
        raise ValidationError({"claimed_minutes": "Claimed minutes must be more than 0 and at most 1,440"})
    with transaction.atomic():
        query = PaymentQuery.objects.select_for_update().select_related("visit").get(pk=query.pk)
        if query.status not in (PaymentQuery.Status.OPEN, PaymentQuery.Status.ANSWERED):
            raise ValidationError("This query is settled")
        query.answer, query.claimed_minutes = text.strip(), claimed_minutes
        query.status, query.answered_by, query.answered_at = PaymentQuery.Status.ANSWERED, actor, clock.now()
        query.save()
        record(actor, "payment_query.answered", query,
               after={"visit": query.visit.visit_id, "claimed_minutes": claimed_minutes}, reason=query.answer)
    return query


def settle(query: PaymentQuery, actor, *, accept: bool, resolution: str) -> PaymentQuery:
    """Accept the provider's claim (paid at the claimed minutes, or as planned) or close the
    query with the visit paid as priced. Either way it is paid in the next run."""
    if not resolution.strip():
        raise ValidationError({"resolution": "Say why"})
    with transaction.atomic():
        query = PaymentQuery.objects.select_for_update().select_related("visit__package").get(pk=query.pk)
        if query.status in (PaymentQuery.Status.ACCEPTED, PaymentQuery.Status.CLOSED):
            raise ValidationError("This query is settled")
        visit = query.visit
        if accept:
            minutes = query.claimed_minutes or rules.minutes(visit.planned_start, visit.planned_end)
            query.claimed_minutes = minutes
            rate = hourly_rate_on(visit.package, clock.local(visit.planned_start).date())
            query.claimed_amount_pence = rules.amount(rate, minutes, visit.package.carers_per_visit)
        query.status = PaymentQuery.Status.ACCEPTED if accept else PaymentQuery.Status.CLOSED
        query.resolved_by, query.resolved_at, query.resolution = actor, clock.now(), resolution.strip()
        query.save()
        paid = query.claimed_amount_pence if accept else visit.amount_pence
        record(actor, "payment_query.accepted" if accept else "payment_query.closed", query,
               after={"visit": visit.visit_id, "paid": format_gbp(paid)}, reason=query.resolution)
    return query


ANSWERS_FILE_MOST_BYTES = 1_000_000  # thousands of answers; checked before the file is read
ANSWERS_HEADER = ["visit_id", "answer", "claimed_minutes"]


def answers_from_file(data: bytes) -> tuple[list[tuple[str, str, int | None]], list[str]]:
    """A provider's answers from a CSV file (``visit_id,answer,claimed_minutes``, the minutes
    optional), or what is wrong with it, row by row."""
    try:
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    except (UnicodeDecodeError, csv.Error):
        return [], ["The file is not a CSV file in UTF-8 text: save it as CSV (UTF-8)"]
    if not rows or [cell.strip().lower() for cell in rows[0]] != ANSWERS_HEADER:
        return [], [f"Row 1: the header must be {','.join(ANSWERS_HEADER)}"]
    answers, errors, seen = [], [], set()
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != 3:
            errors.append(f"Row {number}: a row has three cells: the visit, the answer and the minutes (or nothing)")
            continue
        visit_id, text, minutes = (cell.strip() for cell in row)
        claimed = whole_number(minutes) if minutes else None
        if not visit_id:
            errors.append(f"Row {number}: give the visit's ID")
        elif visit_id in seen:
            errors.append(f"Row {number}: visit {visit_id[:40]} is answered twice")
        elif not text:
            errors.append(f"Row {number}: say what happened on visit {visit_id[:40]}")
        elif cleaning.problem(text, multiline=True):
            errors.append(f"Row {number}: the answer {cleaning.problem(text, multiline=True)}")
        elif minutes and (claimed is None or not 1 <= claimed <= 1440):
            errors.append(f"Row {number}: the minutes for visit {visit_id[:40]} must be a whole number from 1 to 1440")
        else:
            answers.append((visit_id, text, claimed))
        seen.add(visit_id)
    if not answers and not errors:
        errors.append("The file has no answers")
    return ([], errors) if errors else (answers, [])


def answer_selected(selected, actor, *, text: str) -> list[PaymentQuery]:
    """Give the queries a provider ticked one answer, all or none."""
    with transaction.atomic():
        return [answer(query, actor, text=text) for query in selected]


def answer_many(organisation, actor, answers: list[tuple[str, str, int | None]]) -> list[PaymentQuery]:
    """Answer the organisation's open queries from a file's rows, all or none: a row whose
    visit has no query waiting for an answer is named, and nothing is stored."""
    by_visit = {q.visit.visit_id: q for q in PaymentQuery.objects.filter(
        visit__organisation=organisation, visit__visit_id__in=[visit for visit, _, _ in answers],
        status__in=(PaymentQuery.Status.OPEN, PaymentQuery.Status.ANSWERED)).select_related("visit")}
    missing = [visit for visit, _, _ in answers if visit not in by_visit]
    if missing:
        raise ValidationError([f"Visit {visit[:40]} has no query waiting for your answer" for visit in missing[:20]])
    with transaction.atomic():
        return [answer(by_visit[visit], actor, text=text, claimed_minutes=minutes) for visit, text, minutes in answers]
