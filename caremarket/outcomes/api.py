"""The API for contracts paid by results (/api/outcomes/): a member's system registering its
carers and reading its register, the integrator sending a quarter's return, anyone who may
see a consortium contract reading its KPI figures, and alliance partners showing their costs
and reading the settlement. The same rules as the pages: the council reads figures, never a
carer. Mounted by caremarket.api, whose error handlers give every error the one body."""

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.core.exceptions import PermissionDenied
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from caremarket.accounts.api_auth import granted
from caremarket.accounts.permissions import get_visible_or_404, visible
from caremarket.core import clock
from caremarket.core.api_schemas import ERRORS, InputSchema
from caremarket.core.pagination import Page

from . import alliances, contracts, kpis, register
from .models import AllianceContract, Carer, ConsortiumContract

router = Router(tags=["outcomes"])


class CarerIn(InputSchema):
    given_name: str = Field(min_length=1, max_length=100)
    family_name: str = Field(min_length=1, max_length=100)
    born_on: dt.date
    postcode: str = Field(min_length=1, max_length=8)
    email: str = Field("", max_length=254)
    cared_for: str = Field(min_length=1, max_length=200, description="Who the person cared for is to the carer")
    hours_a_week: Decimal = Field(ge=0, le=168, max_digits=4, decimal_places=1)
    lives_alone_with_cared_for: bool = False
    has_own_health_problems: bool = False
    cared_for_will_not_cooperate: bool = False
    emergency_response: bool = False
    registered_on: dt.date
    assessed_on: dt.date | None = None


class CarerOut(Schema):
    id: int
    reference: str
    given_name: str
    family_name: str
    born_on: dt.date
    postcode: str
    registered_by_id: int
    registered_on: dt.date
    assessed_on: dt.date | None
    hours_a_week: Decimal
    left_on: dt.date | None
    merged_into: str | None = Field(None, alias="merged_into.reference")


class ContractOut(Schema):
    id: int
    reference: str
    name: str
    consortium: str = Field(alias="consortium.name")
    lots: list[str]
    starts_on: dt.date
    ends_on: dt.date


class KpiFigure(Schema):
    code: str
    name: str
    definition: str
    figures: list[int | None] = Field(description="One a period, in order; null for a period not yet begun")


class KpisOut(Schema):
    start_year: int
    by: str
    periods: list[str]
    kpis: list[KpiFigure]


class ReturnIn(InputSchema):
    start_year: int
    quarter: int = Field(ge=1, le=4)
    figures: dict[str, int] | None = Field(None, description="KPI code to figure; leave out to send the "
                                                              "register's own figures")


class ReturnOut(Schema):
    quarter: int
    due_on: dt.date
    received_on: dt.date | None = Field(description="The day the first complete version arrived; null while none has")
    late: bool
    figures: dict[str, int]


class CostIn(InputSchema):
    direct_costs_pence: int = Field(ge=0, le=10 ** 12)
    note: str = Field("", max_length=300)


class PeriodOut(Schema):
    id: int
    label: str
    starts_on: dt.date
    ends_on: dt.date
    target_cost_pence: int
    settled: bool
    settlement: dict = Field(description="As settled; or as it stands, while it is not (empty while anything "
                                         "is missing)")
    missing: list[str]


@router.get("/carers", response={200: list[CarerOut], **ERRORS}, auth=granted("keep_carers_register"))
@paginate(Page)
def list_carers(request):
    """Your register: a member's own carers; the integrator's, the consortium's."""
    return visible(Carer.objects.select_related("merged_into"), request.user).order_by("pk")


@router.post("/carers", response={201: CarerOut, **ERRORS}, auth=granted("keep_carers_register"))
def register_carer(request, payload: CarerIn):
    """Register a carer. A carer you registered already is refused (422) with its register number."""
    consortium = register.consortium_of(request.user.organisation)
    if consortium is None:
        raise PermissionDenied("Your organisation is not a member of a consortium")
    carer = Carer(consortium=consortium, registered_by=request.user.organisation, **payload.dict())
    return Status(201, register.register(request.user, carer))


@router.get("/consortium-contracts", response={200: list[ContractOut], **ERRORS},
            auth=granted("view_consortium_contracts"))
def list_contracts(request):
    return list(visible(ConsortiumContract.objects.select_related("consortium"), request.user).distinct())


@router.get("/consortium-contracts/{id:contract_id}/kpis", response={200: KpisOut, **ERRORS},
            auth=granted("view_consortium_contracts"))
def contract_kpis(request, contract_id: int, start_year: int = Query(..., ge=2000, le=2100),
                  by: Literal["month", "quarter", "year"] = "quarter"):
    """The consortium's KPI figures for a financial year, by month, quarter or year: every
    member's together for the council and the integrator, a member's own for a member."""
    contract = get_visible_or_404(ConsortiumContract.objects.distinct(), request.user, pk=contract_id)
    members = contracts.members_seen_by(request.user, contract, kpis.year_periods(start_year)["year"][0])
    periods = kpis.year_periods(start_year)[by]
    figures = kpis.by_period(periods, members, clock.today())
    return {"start_year": start_year, "by": by, "periods": [p.label for p in periods],
            "kpis": [{"code": k.code, "name": k.name, "definition": k.definition,
                      "figures": [f[k.code]["all"] if f else None for f in figures]} for k in kpis.KPIS]}


@router.post("/consortium-contracts/{id:contract_id}/returns", response={201: ReturnOut, **ERRORS},
             auth=granted("send_quarterly_returns"))
def send_return(request, contract_id: int, payload: ReturnIn):
    """Send (or send again, until its payment is released) a quarter's performance return."""
    contract = get_visible_or_404(ConsortiumContract.objects.distinct(), request.user, pk=contract_id)
    year = get_visible_or_404(contract.years.all(), request.user, start_year=payload.start_year)
    sent = contracts.send_return(request.user, year, payload.quarter, payload.figures)
    return Status(201, {"quarter": sent.quarter, "due_on": sent.due_on, "received_on": sent.received_on,
                        "late": sent.late, "figures": sent.figures})


@router.get("/alliances/{id:alliance_id}/periods", response={200: list[PeriodOut], **ERRORS},
            auth=granted("view_alliances"))
def alliance_periods(request, alliance_id: int):
    """Each period of an alliance, with its settlement (as settled, or as it stands)."""
    contract = get_visible_or_404(AllianceContract.objects.distinct(), request.user, pk=alliance_id)
    return [_period_out(period) for period in contract.periods.all()]


def _period_out(period) -> dict:
    found = None if period.settled_at else alliances.working(period)
    return {"id": period.pk, "label": period.label, "starts_on": period.starts_on, "ends_on": period.ends_on,
            "target_cost_pence": period.target_cost_pence, "settled": bool(period.settled_at),
            "settlement": period.settlement if period.settled_at else (
                alliances.as_record(found.settlement, found.names) if found.settlement else {}),
            "missing": found.missing if found else []}


@router.put("/alliances/{id:alliance_id}/periods/{id:period_id}/costs", response={200: PeriodOut, **ERRORS},
            auth=granted("show_alliance_costs"))
def show_costs(request, alliance_id: int, period_id: int, payload: CostIn):
    """Show your organisation's actual direct costs for a period on the open book."""
    contract = get_visible_or_404(AllianceContract.objects.distinct(), request.user, pk=alliance_id)
    period = get_visible_or_404(contract.periods.all(), request.user, pk=period_id)
    partner = contract.partners.filter(organisation=request.user.organisation_id).first()
    if partner is None:
        raise PermissionDenied("Only a partner shows its own costs")
    alliances.record_cost(request.user, period, partner, payload.direct_costs_pence, payload.note)
    period.refresh_from_db()
    return _period_out(period)
