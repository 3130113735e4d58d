import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from caremarket.events.models import Event
from caremarket.audit.models import AuditEvent
from caremarket.core import clock
from caremarket.outcomes import contracts, register
from caremarket.outcomes.models import Carer, CarerActivity, QuarterlyReturn
from caremarket.payments import runs
from caremarket.payments.models import PaymentDue, PaymentLine

from .conftest import at, new_carer

# The year's value is £100,000: a block share of £90,000 (four quarters of £22,500) and a
# performance share of £10,000. Quarter 1 ends on 30 June 2026; its return is due on 15 July.


@pytest.fixture
def a_carer_in_each_quarter(consortium):
    """Something to report: a return of noughts is a placeholder, not a return."""
    for month in (4, 7, 10):
        new_carer(consortium, consortium["north"], consortium["north_user"], given=f"Q{month}",
                  family=f"Carer{month}", registered_on=dt.date(2026, month, 10),
                  assessed_on=dt.date(2026, month, 11))


def send(consortium, number, day):
    with clock.frozen(at(day)):
        return contracts.send_return(consortium["integrator"], consortium["year"], number)


def test_a_quarter_cannot_be_returned_before_it_ends(consortium):
    with pytest.raises(ValidationError, match="Quarter 1 ends on 30 June 2026: send its return after that"):
        send(consortium, 1, dt.date(2026, 6, 30))
    assert not QuarterlyReturn.objects.exists()


def test_a_return_on_time_releases_the_whole_instalment_into_the_next_payment_run(a_carer_in_each_quarter, consortium, calendar):
    sent = send(consortium, 1, dt.date(2026, 7, 15))
    assert sent.due_on == dt.date(2026, 7, 15)
    with clock.frozen(at(dt.date(2026, 7, 20))):
        contracts.release_quarter(consortium["finance"], sent)
        run = runs.run_period(calendar[5], consortium["finance"])  # 22 July to 18 August
    line = run.lines.get(kind=PaymentLine.Kind.RESULTS)
    assert (line.organisation, line.amount_pence) == (consortium["lead"], 22_500_00)
    assert "arrived on time" in line.reason
    assert runs.line_reference(line) == "CARERS-1-2026-Q1"
    released = Event.objects.get(kind="return.released")
    assert (released.data["quarter"], released.data["amount_pence"]) == (1, 22_500_00)


def test_a_late_return_costs_its_penalty_for_each_month_or_part_month(a_carer_in_each_quarter, consortium):
    sent = send(consortium, 1, dt.date(2026, 8, 16))  # a month and a day late: two months
    with clock.frozen(at(dt.date(2026, 8, 17))):
        contracts.release_quarter(consortium["finance"], sent)
    due = PaymentDue.objects.get()
    assert due.amount_pence == 22_500_00 - 2 * 1_125_00
    assert "less £2,250.00 because its return was 2 months late" in due.reason


def test_a_quarter_without_its_return_is_held_and_a_closed_quarter_takes_no_return(a_carer_in_each_quarter, consortium):
    with clock.frozen(at(dt.date(2026, 10, 20))):
        standing = contracts.standing(consortium["year"])
    assert standing[0].sent is None and standing[0].payment.amount_pence == 0
    assert "is held until it does" in standing[0].payment.reason
    sent = send(consortium, 1, dt.date(2026, 7, 10))
    resent = send(consortium, 1, dt.date(2026, 7, 30))  # sent again: the first arrival counts
    assert resent.pk == sent.pk and resent.received_on == dt.date(2026, 7, 10)
    with clock.frozen(at(dt.date(2026, 8, 1))):
        contracts.release_quarter(consortium["finance"], sent)
        with pytest.raises(ValidationError, match="released already"):
            contracts.release_quarter(consortium["finance"], sent)
    with pytest.raises(ValidationError, match="Quarter 1 is closed"):
        send(consortium, 1, dt.date(2026, 8, 2))
    assert PaymentDue.objects.count() == 1


def test_the_return_sends_the_quarters_kpi_figures(consortium):
    new_carer(consortium, consortium["north"], consortium["north_user"], assessed_on=dt.date(2026, 5, 1))
    new_carer(consortium, consortium["south"], consortium["south_user"], given="Ali", family="Khan",
              born=dt.date(2012, 1, 1), assessed_on=dt.date(2026, 5, 1))
    sent = send(consortium, 1, dt.date(2026, 7, 1))
    assert (sent.figures["1"], sent.figures["1a"], sent.figures["8"]) == (2, 1, 0)


@pytest.mark.parametrize("assessed, paid, says", [
    (1, 0, "below the 50%"),  # a quarter of the target of 4
    (2, 5_000_00, "50% of the performance share"),
    (4, 10_000_00, "100%"),
    (6, 10_000_00, "100%"),  # above the target pays no more than the share
])
def test_the_performance_share_at_below_and_above_target(consortium, assessed, paid, says):
    for i in range(assessed):
        new_carer(consortium, consortium["north"], consortium["north_user"], given=f"Carer{i}", family=f"F{i}",
                  assessed_on=dt.date(2026, 6, 1))
    with clock.frozen(at(dt.date(2027, 3, 31))):
        with pytest.raises(ValidationError, match="after the year ends"):
            contracts.release_performance(consortium["finance"], consortium["year"])
    with clock.frozen(at(dt.date(2027, 4, 2))):
        year = contracts.release_performance(consortium["finance"], consortium["year"])
    assert year.performance_paid_pence == paid and says in year.performance_reason
    assert PaymentDue.objects.get().reference == "CARERS-1-2026-PERF"


def test_a_member_is_paid_its_block_its_sessions_by_band_and_once_for_each_new_carer(consortium):
    north, south = consortium["north"], consortium["south"]
    new_carer(consortium, north, consortium["north_user"], registered_on=dt.date(2026, 4, 10))
    new_carer(consortium, north, consortium["north_user"], given="Sam", family="Jones", registered_on=dt.date(2026, 5, 1))
    # South registers Joanne Smith again, later, and the integrator merges the two: north registered
    # her first, so north is paid for her, once.
    again = new_carer(consortium, south, consortium["south_user"], given="Jo", registered_on=dt.date(2026, 5, 20))
    register.merge(consortium["integrator"], Carer.objects.get(given_name="Joanne"), again)
    for attending in (3, 7):
        CarerActivity.objects.create(member=north, kind="group", name="Tuesday group", attending=attending,
                                     happened_on=dt.date(2026, 6, 2), recorded_by=consortium["north_user"])
    quarter = contracts.quarter(consortium["year"], 1)
    statement = contracts.member_statement(consortium["agreements"][north], quarter)
    assert [p.amount_pence for p in statement] == [5_000_00, 20_00 + 40_00, 2 * 30_00]
    assert "2 new carers registered, £30.00 each" in statement[2].reason
    assert [p.amount_pence for p in contracts.member_statement(consortium["agreements"][south], quarter)] == [5_000_00]


def test_a_placeholder_of_noughts_sent_on_time_does_not_make_the_real_return_on_time(consortium, signed_in):
    from caremarket.outcomes import kpis

    noughts = dict.fromkeys(kpis.BY_CODE, 0)
    real = dict.fromkeys(kpis.BY_CODE, 7)
    with clock.frozen(at(dt.date(2026, 7, 10))):
        placeholder = contracts.send_return(consortium["integrator"], consortium["year"], 1, noughts)
    assert placeholder.received_on is None  # not a complete return: the quarter's payment is still held
    with clock.frozen(at(dt.date(2026, 9, 20))):  # two months and five days late: three months
        sent = contracts.send_return(consortium["integrator"], consortium["year"], 1, real)
    with clock.frozen(at(dt.date(2026, 9, 30))):  # corrected: the complete return's day still counts
        sent = contracts.send_return(consortium["integrator"], consortium["year"], 1, {**real, "1": 8})
    assert sent.pk == placeholder.pk and sent.received_on == dt.date(2026, 9, 20) and sent.figures["1"] == 8
    assert [(v.number, v.complete, v.received_on) for v in sent.versions.all()] == [
        (1, False, dt.date(2026, 7, 10)), (2, True, dt.date(2026, 9, 20)), (3, True, dt.date(2026, 9, 30))]
    with clock.frozen(at(dt.date(2026, 10, 1))):
        check = signed_in(consortium["finance"]).get(
            f"/consortium-contracts/{consortium['contract'].pk}/2026/quarter-1/release/").content.decode()
        assert "the first complete return arrived on 20 September 2026" in check
        assert [c for c in ("No: every figure nought", "its arrival day", "its figures") if c in check] == [
            "No: every figure nought", "its arrival day", "its figures"]
        contracts.release_quarter(consortium["finance"], sent)
    assert PaymentDue.objects.get().amount_pence == 22_500_00 - 3 * 1_125_00


def test_a_member_that_leaves_still_counts_for_the_quarters_and_the_year_it_was_a_member(consortium, signed_in):
    from caremarket.organisations.models import ConsortiumMembership

    for member, user, month in ((consortium["north"], consortium["north_user"], 5),
                                (consortium["south"], consortium["south_user"], 5),
                                (consortium["south"], consortium["south_user"], 11)):
        new_carer(consortium, member, user, given=f"{member.name[:5]}{month}", family="Carer",
                  registered_on=dt.date(2026, month, 1), assessed_on=dt.date(2026, month, 2))
    q1 = send(consortium, 1, dt.date(2026, 7, 10))
    membership = ConsortiumMembership.objects.get(member=consortium["south"])
    with pytest.raises(ValidationError, match="cannot leave before it joined"):
        contracts.leave(consortium["integrator"], membership, dt.date(2026, 3, 1))
    with clock.frozen(at(dt.date(2026, 10, 5))):
        contracts.leave(consortium["integrator"], membership, dt.date(2026, 9, 30))
    assert contracts.members_of(consortium["contract"], contracts.quarter(consortium["year"], 1)) == sorted(
        [consortium["lead"].pk, consortium["north"].pk, consortium["south"].pk])
    with clock.frozen(at(dt.date(2027, 1, 10))):
        assert contracts.quarter_figures(consortium["year"], 1)["1"] == 2  # Q1 as it was: both members
        assert q1.figures["1"] == 2 and QuarterlyReturn.objects.get(pk=q1.pk).figures == q1.figures
        assert contracts.quarter_figures(consortium["year"], 3)["1"] == 1  # north's; not south's November carer
        assert consortium["south"].pk not in contracts.members_of(consortium["contract"])
    assert AuditEvent.objects.filter(action="consortium_membership.left").count() == 1
