"""A posted payment run's files for the council's finance system, and the check that they add
up to the run (ledger.journal does the sums)."""

from __future__ import annotations

from dataclasses import dataclass

from caremarket.core.money import to_pounds
from caremarket.organisations.models import Organisation
from caremarket.payments.models import PaymentRun
from caremarket.payments.runs import run_label

from .journal import Codes, Journal, Line, creditor_payments, journal
from .models import CostCentre, SubjectiveCode

CREDITOR_HEADER = ["supplier_number", "supplier_name", "payment_reference", "payment_date", "amount"]
JOURNAL_HEADER = ["journal_reference", "journal_date", "cost_centre", "subjective_code", "description", "debit",
                  "credit"]


def lines_of(run: PaymentRun) -> list[Line]:
    return [Line(provider, kind, service or "", area or "", council, nhs, client, top_up)
            for provider, kind, service, area, council, nhs, client, top_up in run.lines.order_by("pk").values_list(
                "organisation_id", "kind", "package__requirement__service_type__code",
                "package__requirement__area__code", "council_pence", "nhs_pence", "client_pence", "top_up_pence")]


def codes() -> Codes:
    subjective = {s.key: s.code for s in SubjectiveCode.objects.all()}
    control = SubjectiveCode.objects.filter(key="creditors").values_list("control_cost_centre", flat=True).first()
    return Codes(cost_centres={(c.service_type.code if c.service_type else "", c.area.code if c.area else ""): c.code
                               for c in CostCentre.objects.select_related("service_type", "area")},
                 subjective=subjective, control_cost_centre=control or "")


@dataclass
class Reconciliation:
    run_total: int
    creditor_total: int
    journal: Journal
    payments: list
    suppliers: dict[int, Organisation]
    without_supplier_number: list[Organisation]

    @property
    def balanced(self) -> bool:
        return (not self.problems and self.creditor_total == self.run_total
                and self.journal.debits == self.journal.credits)

    @property
    def problems(self) -> list[str]:
        return self.journal.problems + [f"{o.name} has no supplier number" for o in self.without_supplier_number]


def reconcile(run: PaymentRun) -> Reconciliation:
    lines = lines_of(run)
    payments = creditor_payments(lines)
    suppliers = Organisation.objects.in_bulk([p.provider_id for p in payments])
    return Reconciliation(
        run_total=sum(line.amount for line in lines), creditor_total=sum(p.amount for p in payments),
        journal=journal(lines, codes()), payments=payments, suppliers=suppliers,
        without_supplier_number=sorted((o for o in suppliers.values() if not o.supplier_number),
                                       key=lambda o: o.name))


def creditor_rows(run: PaymentRun, found: Reconciliation):
    yield CREDITOR_HEADER
    for payment in found.payments:
        supplier = found.suppliers[payment.provider_id]
        yield [supplier.supplier_number, supplier.name, run_label(run.period), run.period.payment_date.isoformat(),
               f"{to_pounds(payment.amount):.2f}"]


def journal_rows(run: PaymentRun, found: Reconciliation):
    yield JOURNAL_HEADER
    label = run_label(run.period)
    for row in found.journal.rows:
        yield [label, run.period.payment_date.isoformat(), row.cost_centre, row.subjective,
               f"Care payments {label}", f"{to_pounds(row.debit):.2f}" if row.debit else "",
               f"{to_pounds(row.credit):.2f}" if row.credit else ""]
