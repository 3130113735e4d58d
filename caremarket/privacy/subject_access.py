"""Everything Caremarket holds about one citizen or one carer, for the person's right of access
(UK GDPR Article 15): one machine-readable file and one readable PDF.

Each section reads one kind of record about the person and writes every field of it, by its
name on the form, so a field added later is exported without anyone remembering to. What is
about someone else (other providers' offers, other carers) is left out, and ``LEFT_OUT`` says
why; a test holds these lists to every model that can lead to the person.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db.models import Model, Q
from django.utils.text import capfirst
from fpdf import FPDF

from caremarket.accounts.models import SentEmail
from caremarket.audit.models import AuditEvent
from caremarket.citizens.models import Assessment, Citizen, RecordAccess, WaitingChange
from caremarket.core import clock
from caremarket.core.money import format_gbp
from caremarket.events.models import Event
from caremarket.outcomes.models import (Booking, Carer, CarerActivity, CarerMerge, CarerSignIn, DuplicateDismissal,
                                        StatementAdjustment, Voucher, WellbeingAssessment)
from caremarket.packages.models import CarePackage, PackageChange, PackageFunding
from caremarket.payments.models import PaymentDue, PaymentLine, PaymentQuery, Visit
from caremarket.tendering.models import CareRequirement, Tender

from .models import LegalHold

SECRETS = ("password", "token_hash", "key_hash", "values_sha256", "body_sha256", "address_hash")

# Models that lead to a citizen or a carer but are not about them, and why they are not exported.
LEFT_OUT = {
    "tendering.invitation": "which providers were asked to offer: about the providers",
    "tendering.offer": "providers' offers: the one awarded is the care package",
    "tendering.offerscore": "how providers' offers were scored: about the providers",
    "citizens.recordaccesscitizen": "exported as who looked at the record",
    "citizens.intakebatch": "a batch of many people from the client record system",
    "outcomes.linkrequest": "kept an hour, by a hash of the address only",
    "events.delivery": "exported as the event it delivered",
    "payments.invoice": "a provider's invoice for all its visits: the person's visits are exported",
    "payments.paymentrun": "a period's run for every provider: the person's lines are exported",
}


def _value(obj: Model, field):
    value = getattr(obj, field.name)
    if value is None or value == "":
        return value
    if field.choices:
        return getattr(obj, f"get_{field.name}_display")()
    if field.name.endswith("_pence") and isinstance(value, int):
        return format_gbp(value)
    if isinstance(value, Model):
        return str(value)
    if isinstance(value, dt.datetime):
        return clock.local(value).isoformat(timespec="seconds")
    if isinstance(value, (dt.date, Decimal)):
        return str(value)
    return value


def _label(field) -> str:
    name = str(field.verbose_name)
    return capfirst(name.removesuffix(" pence") if field.name.endswith("_pence") else name)


def row(obj: Model, *, leave_out: tuple[str, ...] = ()) -> dict:
    """Every stored field of a record, named as a person reads it."""
    return {_label(field): _value(obj, field) for field in obj._meta.concrete_fields
            if field.name not in ("id", *SECRETS, *leave_out)}


def _audit(pairs: list[tuple[type[Model], list[int]]]) -> list[dict]:
    about = Q(pk__in=[])
    for model, ids in pairs:
        if ids:
            about |= Q(object_type=model._meta.label_lower, object_id__in=[str(pk) for pk in ids])
    return [{"When": clock.local(event.occurred_at).isoformat(timespec="seconds"), "Who": event.actor_label,
             "What": event.action, "Record": event.object_label, "Before": event.before, "After": event.after,
             "Why": event.reason}
            for event in AuditEvent.objects.filter(about).order_by("occurred_at", "pk")]


def _holds(**whom) -> list[dict]:
    return [row(hold, leave_out=("citizen", "carer")) for hold in LegalHold.objects.filter(**whom)]


def for_citizen(citizen: Citizen) -> dict:
    requirements = list(CareRequirement.objects.filter(citizen=citizen).select_related(
        "service_type", "area", "ward", "assessment").prefetch_related("need_groups").order_by("raised_at", "pk"))
    packages = list(CarePackage.objects.filter(requirement__citizen=citizen).select_related(
        "organisation", "location", "requirement").order_by("start_on", "pk"))
    assessments = list(citizen.assessments.select_related("service_type").prefetch_related("need_groups"))
    changes = list(PackageChange.objects.filter(package__in=packages).order_by("requested_at", "pk"))
    looks = (RecordAccess.objects.filter(shown__citizen=citizen).select_related("person").order_by("at", "pk"))
    return {
        "About": f"Everything Caremarket holds about citizen {citizen.reference}",
        "Exported at": clock.local(clock.now()).isoformat(timespec="seconds"),
        "Person": row(citizen),
        "Assessments": [
            {**row(assessment, leave_out=("citizen",)),
             "Need groups": [str(group) for group in assessment.need_groups.all()],
             "Changes from the client record system": [
                 row(change, leave_out=("assessment",)) for change in WaitingChange.objects.filter(
                     assessment=assessment)]}
            for assessment in assessments],
        "Care requirements": [
            {**row(requirement, leave_out=("citizen",)),
             "Need groups": [str(group) for group in requirement.need_groups.all()],
             "Tenders": [row(tender, leave_out=("requirement", "evaluation"))
                         for tender in Tender.objects.filter(requirement=requirement).order_by("round")]}
            for requirement in requirements],
        "Care packages": [
            {**row(package, leave_out=("requirement", "offer", "block_contract")),
             "Changes": [row(change, leave_out=("package",)) for change in changes if change.package_id == package.pk],
             "Funding": [row(funding, leave_out=("package",))
                         for funding in PackageFunding.objects.filter(package=package)],
             "Visits": [{**row(visit, leave_out=("organisation", "invoice", "upload", "package")),
                         "Payment query": row(visit.payment_query, leave_out=("visit",))
                         if hasattr(visit, "payment_query") else None}
                        for visit in Visit.objects.filter(package=package).select_related("payment_query")],
             "Payments": [{**row(line, leave_out=("organisation", "package", "invoice", "due", "run")),
                           "Payment run": str(line.run.period)}
                          for line in PaymentLine.objects.filter(package=package).select_related("run__period")
                          .order_by("first_day", "pk")]}
            for package in packages],
        "Sent to the council's other systems": [
            {"Event": event.kind, "When": clock.local(event.occurred_at).isoformat(timespec="seconds"),
             "What": event.data, "Their details sent": event.citizen}
            for event in Event.objects.filter(citizen__person_id=citizen.reference)],
        "Who looked at the record": [
            {"When": clock.local(look.at).isoformat(timespec="seconds"), "Who": str(look.person),
             "Role": look.role, "Page": look.where.split("?")[0], "Through the API": look.via_api}
            for look in looks],
        "Changes recorded in the audit trail": _audit([
            (Citizen, [citizen.pk]), (Assessment, [a.pk for a in assessments]),
            (CareRequirement, [r.pk for r in requirements]), (CarePackage, [p.pk for p in packages]),
            (PackageChange, [c.pk for c in changes])]),
        "E-mails": "Caremarket holds no e-mail address for a citizen and sends citizens none.",
        "Legal holds": _holds(citizen=citizen),
    }


def for_carer(carer: Carer) -> dict:
    vouchers = list(Voucher.objects.filter(carer=carer).select_related("contract", "budget"))
    merges = list(CarerMerge.objects.filter(Q(kept=carer) | Q(merged=carer)).select_related("kept", "merged"))
    emails = SentEmail.objects.filter(to_address=carer.email, recipient__isnull=True) if carer.email else []
    return {
        "About": f"Everything Caremarket holds about carer {carer.reference}",
        "Exported at": clock.local(clock.now()).isoformat(timespec="seconds"),
        "Person": row(carer, leave_out=("held_back_for",)),
        "Wellbeing assessments": [row(found, leave_out=("carer",)) for found in WellbeingAssessment.objects.filter(
            carer=carer)],
        "Support given": [row(activity, leave_out=("carer", "attending", "name"))
                          for activity in CarerActivity.objects.filter(carer=carer)],
        "Time for Me vouchers": [
            {**row(voucher, leave_out=("carer",)),
             "Booking": ({**row(voucher.booking, leave_out=("voucher", "payment")),
                          "Payment": row(voucher.booking.payment, leave_out=("organisation",))}
                         if hasattr(voucher, "booking") else None)}
            for voucher in vouchers],
        "Registrations merged": [row(merge) for merge in merges],
        "Registrations judged not the same person": [
            row(found) for found in DuplicateDismissal.objects.filter(Q(first=carer) | Q(second=carer))],
        "Statement adjustments for a merge": [
            row(adjustment, leave_out=("agreement",))
            for adjustment in StatementAdjustment.objects.filter(merge__in=[m.pk for m in merges])],
        "E-mails sent to them": [row(email, leave_out=("recipient",)) for email in emails],
        "Sign-in links sent": [row(link, leave_out=("carer",)) for link in CarerSignIn.objects.filter(carer=carer)],
        "Changes recorded in the audit trail": _audit([
            (Carer, [carer.pk]), (Voucher, [v.pk for v in vouchers]), (CarerMerge, [m.pk for m in merges]),
            (WellbeingAssessment, list(WellbeingAssessment.objects.filter(carer=carer).values_list("pk", flat=True))),
            (CarerActivity, list(CarerActivity.objects.filter(carer=carer).values_list("pk", flat=True)))]),
        "Legal holds": _holds(carer=carer),
    }


# Every model whose records are exported for a citizen or a carer (with LEFT_OUT, all that lead to one).
EXPORTED = {model._meta.label_lower for model in (
    Citizen, Assessment, WaitingChange, CareRequirement, Tender, CarePackage, PackageChange, PackageFunding, Visit,
    PaymentQuery, PaymentLine, Event, RecordAccess, AuditEvent, LegalHold, Carer, WellbeingAssessment, CarerActivity,
    Voucher, Booking, PaymentDue, CarerMerge, DuplicateDismissal, StatementAdjustment, SentEmail, CarerSignIn)}


def as_json(export: dict) -> bytes:
    return json.dumps(export, indent=2, ensure_ascii=False, default=str).encode()


# --- The readable copy ------------------------------------------------------------------------

def _font(pdf: FPDF) -> str:
    """DejaVu, which has every script a name may be written in, when the machine has it (Debian's
    fonts-dejavu); otherwise the PDF's built-in Latin-1 font (the JSON always has the exact text)."""
    folder = Path(settings.PDF_FONT_DIR)
    regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
    if not (regular.is_file() and bold.is_file()):
        return "Helvetica"
    pdf.add_font("Unicode", "", str(regular))
    pdf.add_font("Unicode", "B", str(bold))
    return "Unicode"


class _Pdf(FPDF):
    footing = ""
    family = "Helvetica"

    def text(self, value) -> str:
        text = "" if value is None else str(value)
        return text if self.family == "Unicode" else text.encode("latin-1", "replace").decode("latin-1")

    def footer(self):
        self.set_y(-12)
        self.set_font(self.family, size=8)
        self.cell(0, 6, self.text(self.footing), align="L")
        self.set_x(self.l_margin)
        self.cell(0, 6, f"Page {self.page_no()} of {{nb}}", align="R")


ISO_MOMENT = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}:\d{2}))?")
MOST_COLUMNS = 14  # a list of records with more fields than this is written record by record


def _shown(value) -> str:
    """A value as a person reads it: yes or no, a date as "16 Oct 2026", a record as its fields."""
    if value is None or value in ("", [], {}):
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dict):
        return "; ".join(f"{key}: {_shown(inner)}" for key, inner in value.items() if _shown(inner))
    if isinstance(value, list):
        return ", ".join(_shown(inner) for inner in value)
    if isinstance(value, str) and (moment := ISO_MOMENT.match(value)) and len(value) in (10, 25):
        year, month, day, time = moment.groups()
        shown = dt.date(int(year), int(month), int(day)).strftime("%-d %b %Y")
        return f"{shown} {time}" if time else shown
    return str(value)


def _as_table(value: list) -> bool:
    """Records of one kind with few fields and none a list (a citizen's visits): one row each."""
    if len(value) < 2 or not all(isinstance(item, dict) for item in value):
        return False
    keys = list(value[0])
    return (len(keys) <= MOST_COLUMNS and all(list(item) == keys for item in value)
            and not any(isinstance(inner, list) for item in value for inner in item.values()))


def _table(pdf: _Pdf, records: list[dict], indent: float) -> None:
    """One row a record, headed on every page. Drawn cell by cell: a cell's text is broken into
    lines only when it is wider than its column (fpdf2's table breaks every cell, which took half
    a minute for five years of visits)."""
    headings = [pdf.text(key) for key in records[0]]
    width, line = (pdf.epw - indent) / len(headings), 3.5

    def row(cells: list[str], style: str = "") -> None:
        pdf.set_font(pdf.family, style, 7)
        broken = [pdf.multi_cell(width - 1, line, text, dry_run=True, output="LINES")
                  if pdf.get_string_width(text) > width - 2 else [text] for text in cells]
        height = line * max(len(lines) for lines in broken)
        if pdf.will_page_break(height + 1):
            pdf.add_page()
            if style != "B":
                row(headings, "B")
                pdf.set_font(pdf.family, style, 7)
        top = pdf.get_y()
        for column, lines in enumerate(broken):
            for number, text in enumerate(lines):
                pdf.set_xy(pdf.l_margin + indent + column * width, top + number * line)
                pdf.cell(width - 1, line, text)
        pdf.set_y(top + height + 0.5)
        pdf.line(pdf.l_margin + indent, pdf.get_y(), pdf.l_margin + pdf.epw, pdf.get_y())
        pdf.set_y(pdf.get_y() + 0.5)

    row(headings, "B")
    for record in records:
        row([pdf.text(_shown(inner)) for inner in record.values()])


def _write(pdf: _Pdf, value, depth: int) -> None:
    indent = 4 * depth
    if isinstance(value, dict):
        for key, inner in value.items():
            pdf.set_x(pdf.l_margin + indent)
            pdf.set_font(pdf.family, "B", 9)
            if isinstance(inner, (dict, list)) and inner:
                pdf.multi_cell(0, 5, pdf.text(key), new_x="LMARGIN", new_y="NEXT")
                _write(pdf, inner, depth + 1)
            else:
                pdf.cell(60, 5, pdf.text(key)[:45])
                pdf.set_font(pdf.family, size=9)
                pdf.multi_cell(0, 5, pdf.text(_shown(inner)), new_x="LMARGIN", new_y="NEXT")
    elif _as_table(value):
        _table(pdf, value, indent)
    elif isinstance(value, list):
        for number, item in enumerate(value, start=1):
            pdf.set_x(pdf.l_margin + indent)
            pdf.set_font(pdf.family, "B", 9)
            pdf.cell(0, 5, f"{number}.", new_x="LMARGIN", new_y="NEXT")
            _write(pdf, item, depth + 1)
    else:
        pdf.set_x(pdf.l_margin + indent)
        pdf.set_font(pdf.family, size=9)
        pdf.multi_cell(0, 5, pdf.text(_shown(value)), new_x="LMARGIN", new_y="NEXT")


def as_pdf(export: dict, council_name: str) -> bytes:
    pdf = _Pdf(orientation="landscape", format="A4")
    pdf.family = _font(pdf)
    pdf.footing = f"{export['About']}, from {council_name}, {export['Exported at'][:10]}"
    pdf.set_title(pdf.text(export["About"]))
    pdf.set_author(pdf.text(council_name))
    pdf.set_auto_page_break(auto=True, margin=16)
    pdf.add_page()
    pdf.set_font(pdf.family, "B", 16)
    pdf.multi_cell(0, 8, pdf.text(export["About"]), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(pdf.family, size=10)
    pdf.multi_cell(0, 5, pdf.text(f"Exported on {export['Exported at'][:10]} for the person's right of access "
                                  "(UK GDPR Article 15). Each section lists every record of its kind."),
                   new_x="LMARGIN", new_y="NEXT")
    for section, content in export.items():
        if section in ("About", "Exported at"):
            continue
        pdf.ln(3)
        pdf.set_font(pdf.family, "B", 13)
        pdf.multi_cell(0, 7, pdf.text(section), new_x="LMARGIN", new_y="NEXT")
        _write(pdf, content if content not in ([], {}) else "None held.", 0)
    return bytes(pdf.output())
