"""Running a consortium contract: the integrator's quarterly returns, the council releasing the
block and performance payments into its payment runs, and the integrator's statements to its
members. The amounts are worked out by ``consortium`` (pure); this module finds the facts,
stores the decisions and records them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from caremarket.accounts.roles import Role
from caremarket.audit.trail import record
from caremarket.core import clock
from caremarket.events import outbox as events
from caremarket.core.cleaning import whole_number
from caremarket.organisations.models import ConsortiumMembership
from caremarket.payments.models import PaymentDue

from . import consortium, kpis, wellbeing
from .models import (
    Carer,
    CarerActivity,
    CarerMerge,
    ContractYear,
    MemberAgreement,
    QuarterlyReturn,
    ReturnVersion,
    WellbeingAssessment,
)


def members_of(contract, period: kpis.Period | None = None) -> list[int]:
    """The members during a period (any part of it), or today: a quarter or a year is read with
    the members of that time, so a member leaving never changes a quarter already past."""
    start, end = (period.start, period.end) if period else (clock.today(), clock.today())
    return list(ConsortiumMembership.objects.filter(consortium=contract.consortium_id, joined_on__lte=end)
                .filter(Q(left_on__isnull=True) | Q(left_on__gte=start))
                .values_list("member_id", flat=True).order_by("member_id"))


def leave(actor, membership: ConsortiumMembership, left_on: dt.date) -> ConsortiumMembership:
    """A member leaves the consortium on a day: kept, with the day, for the figures of its time."""
    if left_on < membership.joined_on:
        raise ValidationError({"left_on": f"A member cannot leave before it joined, on {membership.joined_on:%-d %B %Y}"})
    if membership.is_lead:
        raise ValidationError({"left_on": "The lead organisation cannot leave: name another lead first"})
    with transaction.atomic():
        before = {"left on": membership.left_on.isoformat() if membership.left_on else None}
        membership.left_on = left_on
        membership.save(update_fields=["left_on"])
        record(actor, "consortium_membership.left", membership, before=before, after={"left on": left_on.isoformat()})
    return membership


def members_seen_by(user, contract, period: kpis.Period | None = None) -> list[int]:
    """Whose figures a person sees: the council and the integrator every member's (of the period,
    or of today), a member its own."""
    members = members_of(contract, period)
    if user.is_council or user.role == Role.CONSORTIUM_INTEGRATOR:
        return members
    return [m for m in members if m == user.organisation_id]


def integrator_of(contract):
    lead = ConsortiumMembership.objects.filter(consortium=contract.consortium_id, is_lead=True) \
        .select_related("member").first()
    return lead.member if lead else None


def quarter(year: ContractYear, number: int) -> kpis.Period:
    return kpis.year_periods(year.start_year)["quarter"][number - 1]


def due_on(year: ContractYear, number: int) -> dt.date:
    return quarter(year, number).end + dt.timedelta(days=year.return_due_days)


def quarter_figures(year: ContractYear, number: int) -> dict[str, int]:
    """The consortium's KPI figures for the quarter, as a return sends them."""
    found = kpis.figures(quarter(year, number), members_of(year.contract, quarter(year, number)))
    return {code: figures["all"] for code, figures in found.items()}


MOST_A_FIGURE = 10**9  # nine digits: more carers, sessions or practices than any consortium has


def send_return(actor, year: ContractYear, number: int, figures: dict[str, int] | None = None) -> QuarterlyReturn:
    """Send (or send again) a quarter's return. The quarter must have ended and not be closed
    (its payment released). Every version is kept; the last one's figures count, and the day
    the first complete one arrived (``consortium.is_complete``): a placeholder of noughts sent
    on time does not make the real figures sent later on time."""
    if number not in (1, 2, 3, 4):
        raise ValidationError({"quarter": "A quarter is 1, 2, 3 or 4"})
    ends = quarter(year, number).end
    today = clock.today()
    if today <= ends:
        raise ValidationError({"quarter": f"Quarter {number} ends on {ends:%d %B %Y}: send its return after that"})
    if figures is None:
        figures = quarter_figures(year, number)
    unknown = sorted(set(figures) - set(kpis.BY_CODE))
    missing = [code for code in kpis.BY_CODE if code not in figures]
    if unknown or missing or any(not isinstance(n, int) or not 0 <= n < MOST_A_FIGURE for n in figures.values()):
        raise ValidationError({"figures": "A return gives every KPI (" + ", ".join(kpis.BY_CODE) + ") a whole "
                                          f"number from 0 to {MOST_A_FIGURE - 1:,}, and nothing else"
                                          + (f": {', '.join(unknown)} is not a KPI" if unknown else "")})
    with transaction.atomic():
        found = QuarterlyReturn.objects.select_for_update().filter(contract_year=year, quarter=number).first()
        if found and found.released_at:
            raise ValidationError({"quarter": f"Quarter {number} is closed: its payment was released on "
                                              f"{clock.local(found.released_at):%d %B %Y}"})
        complete = consortium.is_complete(figures, kpis.BY_CODE)
        if found:
            before = {"figures": found.figures,
                      "received on": found.received_on.isoformat() if found.received_on else None}
            found.figures, found.sent_by, found.sent_at = figures, actor, clock.now()
            if found.received_on is None and complete:
                found.received_on = today
            found.save(update_fields=["figures", "sent_by", "sent_at", "received_on"])
        else:
            found = QuarterlyReturn.objects.create(
                contract_year=year, quarter=number, due_on=due_on(year, number), received_on=today if complete else None,
                figures=figures, sent_by=actor, sent_at=clock.now())
            before = None
        version = found.versions.count() + 1
        ReturnVersion.objects.create(sent_return=found, number=version, figures=figures, complete=complete,
                                     received_on=today, sent_by=actor, sent_at=clock.now())
        record(actor, "quarterly_return.sent_again" if before else "quarterly_return.sent", found, before=before,
               after={"figures": figures, "version": version, "complete": complete,
                      "received on": found.received_on.isoformat() if found.received_on else None})
    return found


RETURN_FILE_MOST_BYTES = 100_000  # a return is a dozen rows; anything far larger is not one


def figures_from_file(data: bytes) -> tuple[dict[str, int], list[str]]:
    """A return's figures from a CSV file (a header ``kpi,figure``, a row for each KPI), or what is
    wrong with it, row by row. Every KPI must be given, once, as a whole number. The file's size
    is checked before it is read (forms.ReturnFileForm, ``RETURN_FILE_MOST_BYTES``)."""
    try:
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    except (UnicodeDecodeError, csv.Error):
        return {}, ["The file is not a CSV file in UTF-8 text: save it as CSV (UTF-8)"]
    if not rows or [cell.strip().lower() for cell in rows[0]] != ["kpi", "figure"]:
        return {}, ["Row 1: the header must be kpi,figure"]
    figures, errors = {}, []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != 2:
            errors.append(f"Row {number}: a row has two cells, the KPI and its figure")
            continue
        code, figure = (cell.strip() for cell in row)
        code = code.upper().removeprefix("KPI").strip().lower()
        if code not in kpis.BY_CODE:
            errors.append(f"Row {number}: {row[0].strip()[:40] or 'a blank'} is not a KPI; the KPIs are "
                          f"{', '.join(kpis.BY_CODE)}")
        elif code in figures:
            errors.append(f"Row {number}: KPI {code} is given twice")
        elif (value := whole_number(figure)) is None or value >= MOST_A_FIGURE:
            errors.append(f"Row {number}: the figure for KPI {code} must be a whole number, like 120")
        else:
            figures[code] = value
    missing = [code for code in kpis.BY_CODE if code not in figures]
    if missing and not errors:  # told only once the rows given are right
        errors.append(f"No figure for KPI {', '.join(missing)}")
    return ({}, errors) if errors else (figures, [])


@dataclass(frozen=True)
class QuarterStanding:
    number: int
    period: kpis.Period
    due_on: dt.date
    sent: QuarterlyReturn | None
    payment: consortium.Payment  # what it pays (or would, released now)

    @property
    def late(self) -> bool:
        return self.sent.late if self.sent else clock.today() > self.due_on


def standing(year: ContractYear) -> list[QuarterStanding]:
    """Each quarter of a contract year: its return, whether it was late, and its payment."""
    sent = {r.quarter: r for r in year.returns.all()}
    rows = []
    for number in (1, 2, 3, 4):
        ret = sent.get(number)
        payment = (consortium.Payment(ret.paid_pence, ret.payment_reason) if ret and ret.released_at else
                   consortium.quarter_payment(year.terms, number, due_on(year, number),
                                              ret.received_on if ret else None))
        rows.append(QuarterStanding(number, quarter(year, number), due_on(year, number), ret, payment))
    return rows


def _pay(year: ContractYear, reference: str, payment: consortium.Payment, service: str) -> PaymentDue:
    integrator = integrator_of(year.contract)
    if integrator is None:
        raise ValidationError("The consortium has no lead organisation to pay")
    return PaymentDue.objects.create(council_id=year.contract.council_id, reference=reference, organisation=integrator,
                                     service=service,
                                     due_on=clock.today(), amount_pence=payment.amount_pence,
                                     reason=payment.reason[:300], decided_at=clock.now())


def release_quarter(actor, sent: QuarterlyReturn) -> QuarterlyReturn:
    """Release a quarter's block payment (less any penalty) into the next payment run."""
    with transaction.atomic():
        sent = QuarterlyReturn.objects.select_for_update().select_related("contract_year__contract").get(pk=sent.pk)
        if sent.released_at:
            raise ValidationError(f"Quarter {sent.quarter}'s payment was released already")
        year = sent.contract_year
        payment = consortium.quarter_payment(year.terms, sent.quarter, sent.due_on, sent.received_on)
        _pay(year, f"{year.contract.reference}-{year.start_year}-Q{sent.quarter}", payment,
             f"{year.contract.name}: block payment")
        sent.paid_pence, sent.payment_reason, sent.released_at = payment.amount_pence, payment.reason[:300], clock.now()
        sent.save(update_fields=["paid_pence", "payment_reason", "released_at"])
        record(actor, "quarterly_return.payment_released", sent,
               after={"amount pence": payment.amount_pence, "why": payment.reason})
        events.write("return.released", f"contract {year.contract.reference}", {
            "contract": year.contract.reference, "year": year.start_year, "quarter": sent.quarter,
            "received_on": sent.received_on.isoformat() if sent.received_on else None,
            "amount_pence": payment.amount_pence, "why": payment.reason}, council=year.contract.council_id)
    return sent


def achieved(year: ContractYear) -> int:
    """What the year achieved against its performance target, by its measure."""
    period = kpis.year_periods(year.start_year)["year"][0]
    members = members_of(year.contract, period)
    if year.measure == ContractYear.Measure.REGISTERED_AND_ASSESSED:
        return kpis.figures(period, members)["1"]["all"]
    return sum(1 for base, latest in wellbeing_pairs(members, period) if wellbeing.improved(base, latest))


def wellbeing_pairs(members: list[int], period: kpis.Period) -> list[tuple[int, int | None]]:
    """(baseline total, latest follow-up total in the period or None) for each carer counting at
    the period's end who has a baseline."""
    baselines, latest = {}, {}
    for carer_id, kind, total in (WellbeingAssessment.objects
                                  .filter(carer__in=Carer.objects.filter(kpis.counting(period.end),
                                                                          registered_by__in=members),
                                          assessed_on__lte=period.end)
                                  .order_by("carer_id", "assessed_on", "pk").values_list("carer_id", "kind", "total")):
        if kind == WellbeingAssessment.Kind.BASELINE:
            baselines[carer_id] = total
        else:
            latest[carer_id] = total
    return [(base, latest.get(carer_id)) for carer_id, base in baselines.items()]


def performance_due(year: ContractYear) -> consortium.Payment:
    return consortium.performance_payment(year.terms, achieved(year), year.target, year.get_measure_display().lower())


def release_performance(actor, year: ContractYear) -> ContractYear:
    """Release the year's performance share, once the year has ended."""
    ends = kpis.year_periods(year.start_year)["year"][0].end
    if clock.today() <= ends:
        raise ValidationError(f"The performance share is paid after the year ends on {ends:%d %B %Y}")
    with transaction.atomic():
        year = ContractYear.objects.select_for_update().select_related("contract").get(pk=year.pk)
        if year.performance_released_at:
            raise ValidationError("This year's performance share was released already")
        payment = performance_due(year)
        _pay(year, f"{year.contract.reference}-{year.start_year}-PERF", payment,
             f"{year.contract.name}: performance share")
        year.performance_paid_pence, year.performance_reason = payment.amount_pence, payment.reason[:300]
        year.performance_released_at = clock.now()
        year.save(update_fields=["performance_paid_pence", "performance_reason", "performance_released_at"])
        record(actor, "contract_year.performance_released", year,
               after={"amount pence": payment.amount_pence, "why": payment.reason})
    return year


def member_statement(agreement: MemberAgreement, period: kpis.Period) -> list[consortium.Payment]:
    """What the integrator owes a member for a period under its agreement: block, attendance, one
    payment for each carer it registered first whose payment fell due in the period, and any
    adjustment made in the period. A statement is read as things stood at the period's end, so
    a later merge or hold never rewrites it: the merge takes a payment back on a later statement."""
    attendance = list(CarerActivity.objects.filter(
        member=agreement.member_id, kind=CarerActivity.Kind.GROUP_SESSION, happened_on__gte=period.start,
        happened_on__lte=period.end).values_list("attending", flat=True))
    # A registration merged by the period's end counts as its kept carer's; on the same day the
    # earlier record is first. One held back (payable_on empty) is not paid for.
    merged_by_then = set(CarerMerge.objects.filter(merged__consortium=agreement.contract.consortium_id,
                                                   merged_at__date__lte=period.end).values_list("merged_id", flat=True))
    rows = (Carer.objects.filter(consortium=agreement.contract.consortium_id, payable_on__lte=period.end)
            .order_by("payable_on", "registered_on", "pk")
            .values_list("pk", "merged_into_id", "registered_by_id", "payable_on"))
    registrations = [(str(merged_into if pk in merged_by_then else pk), member, dt.datetime.combine(on, dt.time()))
                     for pk, merged_into, member, on in rows]
    first_on: dict[str, dt.datetime] = {}
    for carer, _, when in registrations:
        first_on[carer] = min(when, first_on.get(carer, when))
    in_period = [r for r in registrations if period.start <= first_on[r[0]].date() <= period.end]
    adjustments = [consortium.Payment(a.amount_pence, a.reason) for a in
                   agreement.adjustments.filter(on__gte=period.start, on__lte=period.end)]
    return consortium.member_statement(agreement.terms, agreement.member_id, attendance, in_period) + adjustments


def held_back(contract) -> list[Carer]:
    """The consortium's registrations held back as likely duplicates, for the release pages."""
    return list(Carer.objects.filter(consortium=contract.consortium_id, merged_into__isnull=True,
                                     held_back_for__isnull=False).select_related("held_back_for", "registered_by")
                .order_by("registered_on", "pk"))
