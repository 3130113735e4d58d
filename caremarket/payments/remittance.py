"""A provider's remittance advice for a posted run: every line paid, with why, as a page and a PDF."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Sum
from fpdf import FPDF

from caremarket.core.money import format_gbp

from .models import PaymentLine, PaymentRun
from .runs import line_reference, run_label


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

    def by_reference(self) -> list[tuple[str, int, int]]:
        """(care package or invoice reference, lines, pence), in reference order."""
        found: dict[str, list[int]] = {}
        for line in self.lines:
            found.setdefault(line_reference(line), []).append(line.amount_pence)
        return [(reference, len(amounts), sum(amounts)) for reference, amounts in sorted(found.items())]


def remittance(run: PaymentRun, organisation) -> Remittance:
    lines = list(run.lines.filter(organisation=organisation)
                 .select_related("package__requirement__service_type", "invoice", "due")
                 .order_by("kind", "package_id", "pk"))
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


def _address(organisation) -> list[str]:
    lines = [organisation.name, *(organisation.address or "").splitlines(), organisation.postcode or ""]
    return [_text(line.strip()) for line in lines if line and line.strip()]


class _AdvicePdf(FPDF):
    """A landscape A4 council document: each page footed with what it is and its page number."""

    footing = ""

    def footer(self):
        self.set_y(-12)
        self.set_font("Helvetica", size=8)
        self.cell(0, 6, self.footing, align="L")
        self.set_x(self.l_margin)
        self.cell(0, 6, f"Page {self.page_no()} of {{nb}}", align="R")


def as_pdf(advice: Remittance, council) -> bytes:
    """The remittance advice as the council sends it: from the council to the provider, the run,
    its totals (by kind of payment, then by package or invoice), and every line with why."""
    period = advice.run.period
    pdf = _AdvicePdf(orientation="landscape", format="A4")
    pdf.footing = _text(f"Remittance advice {advice.label} from {council.name} to {advice.organisation.name}")
    pdf.set_title(_text(f"Remittance advice {advice.label}"))
    pdf.set_author(_text(council.name))
    pdf.set_auto_page_break(auto=True, margin=16)
    pdf.add_page()

    pdf.set_font("Helvetica", "B", 11)
    pdf.multi_cell(120, 5, "\n".join(_address(council)), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("Helvetica", "B", 18)
    pdf.cell(0, 10, "Remittance advice", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=10)
    top = pdf.get_y()
    pdf.multi_cell(120, 5, "To:\n" + "\n".join(_address(advice.organisation)), new_x="LMARGIN", new_y="NEXT")
    below_address = pdf.get_y()
    pdf.set_xy(150, top)
    for key, value in (("Payment run", advice.label),
                       ("Period", f"{period.start_date:%-d %B %Y} to {period.end_date:%-d %B %Y}"),
                       ("Payment date", f"{period.payment_date:%-d %B %Y}"),
                       ("Total paid", format_gbp(advice.total_pence))):
        pdf.set_x(150)
        pdf.set_font("Helvetica", "B", 10)
        pdf.cell(35, 5, key)
        pdf.set_font("Helvetica", size=10)
        pdf.cell(0, 5, _text(value), new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(max(below_address, pdf.get_y()) + 5)

    _heading(pdf, "Totals")
    with pdf.table(col_widths=(150, 30, 40), width=220, align="LEFT", text_align=("LEFT", "RIGHT", "RIGHT")) as table:
        table.row(["Kind of payment", "Lines", "Amount"])
        for kind, count, pence in advice.subtotals():
            table.row([_text(kind), str(count), format_gbp(pence)])
        table.row(["Total paid", str(len(advice.lines)), format_gbp(advice.total_pence)])
    pdf.ln(4)
    with pdf.table(col_widths=(150, 30, 40), width=220, align="LEFT", text_align=("LEFT", "RIGHT", "RIGHT")) as table:
        table.row(["Care package, invoice or payment", "Lines", "Amount"])
        for reference, count, pence in advice.by_reference():
            table.row([_text(reference), str(count), format_gbp(pence)])

    _heading(pdf, "Every line paid")
    pdf.set_font("Helvetica", size=8)
    with pdf.table(col_widths=(36, 38, 40, 12, 20, 22, 109),
                   text_align=("LEFT", "LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT", "LEFT")) as table:
        table.row(["Package, invoice or payment", "Kind of payment", "Dates", "Days", "A week", "Amount", "Why"])
        for line in advice.lines:
            table.row([_text(line_reference(line)), _text(line.get_kind_display()),
                       f"{line.first_day:%-d %b %Y} to {line.last_day:%-d %b %Y}", str(line.days),
                       format_gbp(line.weekly_pence) if line.weekly_pence else "", format_gbp(line.amount_pence),
                       _text(line.reason)])
    return bytes(pdf.output())


def _heading(pdf: FPDF, text: str) -> None:
    pdf.ln(4)
    pdf.set_font("Helvetica", "B", 13)
    pdf.cell(0, 8, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=10)

