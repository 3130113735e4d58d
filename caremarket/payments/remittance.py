"""A provider's remittance advice for a posted run: every line paid, with why, as a page and a PDF."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Sum
from fpdf import FPDF

from caremarket.core.money import format_gbp

from .models import PaymentLine, PaymentRun
from .runs import run_label


@dataclass(frozen=True)
class Remittance:
    run: PaymentRun
    organisation: object
    lines: list[PaymentLine]

    @property
    def label(self) -> str:
        return run_label(self.run.period)

    @property
    def total_pence(self) -> int:
        return sum(line.amount_pence for line in self.lines)

    def subtotals(self) -> list[tuple[str, int, int]]:
        """(kind, lines, pence) for each kind of line on the advice."""
        found: dict[str, list[int]] = {}
        for line in self.lines:
            found.setdefault(line.get_kind_display(), []).append(line.amount_pence)
        return [(kind, len(amounts), sum(amounts)) for kind, amounts in found.items()]


def remittance(run: PaymentRun, organisation) -> Remittance:
    lines = list(run.lines.filter(organisation=organisation)
                 .select_related("package__requirement__service_type", "invoice").order_by("kind", "package_id", "pk"))
    return Remittance(run, organisation, lines)


def statement(organisation, start_year: int) -> list[dict]:
    """What each posted run of a financial year paid the provider, by kind of line."""
    rows: dict[int, dict] = {}
    for run_id, kind, pence in (PaymentLine.objects
                                .filter(organisation=organisation, run__status=PaymentRun.Status.POSTED,
                                        run__period__financial_year__start_year=start_year)
                                .values_list("run_id", "kind").annotate(pence=Sum("amount_pence"))):
        rows.setdefault(run_id, {}).setdefault(kind, 0)
        rows[run_id][kind] += pence
    runs = PaymentRun.objects.filter(pk__in=rows).select_related("period").order_by("period__start_date")
    return [{"run": run, "label": run_label(run.period), "by_kind": rows[run.pk],
             "total_pence": sum(rows[run.pk].values())} for run in runs]


def _text(value) -> str:
    # The PDF's built-in font is Latin-1; anything else prints as "?" rather than failing.
    return str(value).encode("latin-1", "replace").decode("latin-1")


def as_pdf(advice: Remittance, council_name: str) -> bytes:
    pdf = FPDF(orientation="landscape", format="A4")
    pdf.set_title(f"Remittance advice {advice.label}")
    pdf.set_author(_text(council_name))
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(0, 10, _text(f"{council_name}: remittance advice"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=11)
    period = advice.run.period
    for text in (f"Paid to: {advice.organisation.name}",
                 f"Payment run {advice.label}: {period.start_date:%d %B %Y} to {period.end_date:%d %B %Y}",
                 f"Payment date: {period.payment_date:%d %B %Y}",
                 f"Total paid: {format_gbp(advice.total_pence)}"):
        pdf.cell(0, 7, _text(text), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("Helvetica", size=8)
    with pdf.table(col_widths=(22, 24, 28, 40, 18, 18, 22, 105), text_align="LEFT") as table:
        table.row(["Line", "Kind", "Package or invoice", "Days", "Days paid", "A week", "Amount", "Why"])
        for line in advice.lines:
            table.row([str(line.pk), line.kind, _text(line.package.reference if line.package else line.invoice),
                       f"{line.first_day:%d/%m/%Y} to {line.last_day:%d/%m/%Y}", str(line.days),
                       format_gbp(line.weekly_pence) if line.weekly_pence else "", format_gbp(line.amount_pence),
                       _text(line.reason)])
    return bytes(pdf.output())
