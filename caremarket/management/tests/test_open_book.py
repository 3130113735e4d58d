"""Open-book cost-of-care returns: completeness, costs a unit of care, the comparison with the
fee and with similar providers (never named), and a malformed return refused with nothing stored."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caremarket.accounts.roles import Role
from caremarket.management import open_book
from caremarket.management.models import CostOfCareReturn
from caremarket.organisations.models import Organisation
from caremarket.reference.models import ServiceType

COMPLETE = open_book.Figures(staff_costs_pence=130_000_000, on_costs_pence=31_000_000, overheads_pence=42_000_000,
                             surplus_pence=7_000_000, units_delivered=Decimal(100_000))


def test_a_complete_return_costs_each_hour_in_whole_pence():
    assert open_book.problems(COMPLETE, bed_based=False) == {}
    assert open_book.unit_costs(COMPLETE) == open_book.UnitCosts(staff=1300, on_costs=310, overheads=420, surplus=70,
                                                                 price=2100)


def test_what_is_missing_or_impossible_is_named_field_by_field():
    empty = open_book.Figures(None, None, None, None, None)
    assert set(open_book.problems(empty, bed_based=True)) == {
        "staff_costs_pence", "on_costs_pence", "overheads_pence", "surplus_pence", "units_delivered",
        "occupancy_percent", "beds"}
    wrong = open_book.Figures(-1, 10, 10, -10**13, Decimal(0), Decimal(101), 0)
    assert open_book.problems(wrong, bed_based=True) == {
        "staff_costs_pence": "Care staff pay must be between £0 and £100 billion",
        "surplus_pence": "Surplus must be less than £100 billion either way",
        "units_delivered": "Care delivered must be at least 1 (an hour, or a bed-week)",
        "occupancy_percent": "Occupancy must be between 0% and 100%",
        "beds": "Registered beds must be a whole number more than 0"}
    tiny = open_book.Figures(100, 10, 10, 5, Decimal("0.004"))  # stored to the hundredth, it was 0.00
    assert open_book.problems(tiny, bed_based=False) == {
        "units_delivered": "Care delivered must be at least 1 (an hour, or a bed-week)"}
    home_support_with_beds = open_book.Figures(100, 10, 10, 5, Decimal(10), Decimal(90), 30)
    assert set(open_book.problems(home_support_with_beds, bed_based=False)) == {"occupancy_percent", "beds"}
    too_deep = open_book.Figures(100, 0, 0, -101, Decimal(1))
    assert open_book.problems(too_deep, bed_based=False) == {
        "surplus_pence": "A deficit cannot be larger than the year's costs (income would be below £0)"}


def test_peers_are_shown_only_as_bands_of_their_quartiles_and_only_when_there_are_five():
    assert open_book.spread([2000, 2100, 2300, 2600], 50) is None
    B = open_book.Band
    # Five peers: nearest-rank quartiles are the 2nd, 3rd and 4th figures, each shown as its 50p band.
    assert open_book.spread([2000, 2149, 2310, 2600, 2775], 50) == open_book.Spread(B(2100, 2150), B(2300, 2350),
                                                                                    B(2600, 2650), 5)
    own = open_book.unit_costs(COMPLETE)
    peers = [open_book.UnitCosts(1400, 300, 400, 50, 2150), open_book.UnitCosts(1450, 320, 410, 60, 2240),
             open_book.UnitCosts(1500, 330, 450, 80, 2360), open_book.UnitCosts(1420, 310, 420, 55, 2205),
             open_book.UnitCosts(1480, 325, 440, 70, 2315)]
    compared = open_book.compare(own, peers, fee_pence=2250, unit="an hour")
    assert [(line.label, line.position) for line in compared.lines] == [
        ("Care staff pay", "Below most similar providers"), ("On-costs", "Like most similar providers"),
        ("Overheads", "Like most similar providers"), ("Surplus", "Like most similar providers"),
        ("Costs and surplus together", "Below most similar providers")]
    assert compared.fee_said == "Costs and surplus come to £21.00 an hour, £1.50 less than the council's fee of £22.50"
    alone = open_book.compare(own, peers[:4], fee_pence=None, unit="an hour")
    assert alone.lines[0].peers is None and alone.lines[0].position.startswith("Fewer than 5")


@given(st.lists(st.integers(-5_000, 200_000), min_size=open_book.PEERS_NEEDED, max_size=12),
       st.sampled_from(sorted(open_book.BAND_PENCE.values())), st.data())
def test_no_peers_figure_can_be_worked_back_from_what_is_shown(figures, band_pence, data):
    """Whatever a peer's figure, a figure a penny away (one way or the other) shows exactly the
    same, so what is shown never pins any peer's figure down."""
    shown = open_book.spread(figures, band_pence)
    peer = data.draw(st.integers(0, len(figures) - 1))
    alike = [open_book.spread(figures[:peer] + [figures[peer] + step] + figures[peer + 1:], band_pence) == shown
             for step in (-1, 1)]
    assert any(alike)
    assert all(band.high - band.low == band_pence for band in shown.bands)


def test_size_bands():
    assert open_book.size_band(bed_based=True, beds=20, size_class=None) == "Care homes of up to 20 beds"
    assert open_book.size_band(bed_based=True, beds=51, size_class=None) == "Care homes of more than 50 beds"
    assert open_book.size_band(bed_based=False, beds=None, size_class="medium") == "Medium providers"


@given(st.integers(0, 10**11), st.integers(0, 10**10), st.integers(0, 10**10), st.integers(-10**9, 10**10),
       st.decimals(min_value=1, max_value=10**7, places=2))
def test_the_parts_of_a_unit_add_up_to_its_price_within_a_penny_each(staff, on_costs, overheads, surplus, units):
    figures = open_book.Figures(staff, on_costs, overheads, surplus, units)
    if open_book.problems(figures, bed_based=False):
        return
    each = open_book.unit_costs(figures)
    assert abs(each.staff + each.on_costs + each.overheads + each.surplus - each.price) <= 2


@pytest.fixture
def providers(council, make_user):  # returns go to the council
    made = []
    for name in ("Acorn Home Care", "Beech Care", "Cedar Care", "Damson Care", "Elm Care", "Fir Care"):
        organisation = Organisation.objects.create(kind=Organisation.Kind.PROVIDER, name=name)
        made.append((organisation, make_user(Role.PROVIDER_ADMIN, organisation)))
    return made


def _send(client, service="home-support", **figures):
    chosen = f"service_type={ServiceType.objects.get(code=service).pk}&start_year=2025"
    return client.post(f"/cost-of-care/send/?{chosen}", {
        "staff_costs_pence": "1300000", "on_costs_pence": "310000", "overheads_pence": "420000",
        "surplus_pence": "70000", "units_delivered": "100000"} | figures)


def test_the_service_and_year_come_first_and_home_support_is_asked_only_for_its_own_figures(providers, signed_in):
    acorn = signed_in(providers[0][1])
    first = acorn.get("/cost-of-care/send/").content.decode()
    assert "Continue" in first and "Care staff pay" not in first
    assert "2025/26" in first and "2026/27" not in first  # only years that have ended
    refused = acorn.get("/cost-of-care/send/?service_type=&start_year=2026").content.decode()
    assert "Choose the service the return is for" in refused and "Select a valid choice" in refused
    home_support = ServiceType.objects.get(code="home-support").pk
    page = acorn.get(f"/cost-of-care/send/?service_type={home_support}&start_year=2025").content.decode()
    assert "Hours of care delivered" in page and "Registered beds" not in page and "Occupancy" not in page
    care_home = ServiceType.objects.get(code="residential-care").pk
    page = acorn.get(f"/cost-of-care/send/?service_type={care_home}&start_year=2025").content.decode()
    assert "Bed-weeks filled" in page and "Registered beds" in page and "Occupancy" in page


def test_a_provider_sends_its_return_and_sees_it_beside_its_peers_unnamed(providers, signed_in, commissioner):
    for (organisation, person), staff in zip(providers[1:], ("1400000", "1430000", "1450000", "1470000", "1500000")):
        assert _send(signed_in(person), staff_costs_pence=staff).status_code == 302
    acorn = signed_in(providers[0][1])
    refused = _send(acorn, staff_costs_pence="lots", units_delivered="0")
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "&#x27;lots&#x27; is not an amount of money" in page and "Care delivered must be at least 1" in page
    assert not CostOfCareReturn.objects.filter(organisation=providers[0][0]).exists()
    sent = _send(acorn)
    found = CostOfCareReturn.objects.get(organisation=providers[0][0])
    assert sent["Location"] == f"/cost-of-care/{found.pk}/"
    page = acorn.get(sent["Location"]).content.decode()
    assert "£13.00" in page and "£14.50 to £15.00" in page  # its own staff pay an hour, and the peers' median band
    assert "£14.30" not in page and "£14.70" not in page  # no peer's own figure
    assert "Below most similar providers" in page
    assert not any(name in page for name in ("Beech", "Cedar", "Damson", "Elm", "Fir"))
    assert _send(acorn, staff_costs_pence="1350000").status_code == 302  # sent again: replaces the first
    assert CostOfCareReturn.objects.get(organisation=providers[0][0]).staff_costs_pence == 135_000_000
    council_list = signed_in(commissioner).get("/cost-of-care/").content.decode()
    assert all(name in council_list for name in ("Acorn", "Beech", "Cedar", "Damson", "Elm", "Fir"))
    assert signed_in(providers[1][1]).get(f"/cost-of-care/{found.pk}/").status_code == 404


@pytest.mark.parametrize("field, odd", [("units_delivered", "٣٠٠٠"), ("staff_costs_pence", "1300000²"),
                                        ("units_delivered", "1²")])
def test_figures_in_other_scripts_digits_are_refused_by_name_not_a_server_error(providers, signed_in, field, odd):
    acorn = signed_in(providers[0][1])
    refused = _send(acorn, **{field: odd})
    assert refused.status_code == 200 and "There is a problem" in refused.content.decode()
    assert not CostOfCareReturn.objects.exists()


def test_a_return_for_a_year_not_yet_ended_is_refused():
    assert open_book.year_problem("2026/27", dt.date(2027, 3, 31), dt.date(2027, 3, 31)) == (
        "The 2026/27 financial year ends on 31 March 2027: send its return after that")
    assert open_book.year_problem("2026/27", dt.date(2027, 3, 31), dt.date(2027, 4, 1)) is None


def test_the_service_refuses_this_years_return_and_stores_nothing(providers, council):
    from django.core.exceptions import ValidationError

    from caremarket.core import clock
    from caremarket.management import open_book_returns

    figures = open_book.Figures(1_300_000_00, 310_000_00, 420_000_00, 70_000_00, Decimal(100_000))
    with clock.frozen(dt.datetime(2026, 12, 6, 12, tzinfo=clock.LONDON)), pytest.raises(ValidationError) as refused:
        open_book_returns.send(providers[0][0], council, ServiceType.objects.get(code="home-support"), 2026, figures,
                               providers[0][1])
    assert "ends on 31 March 2027" in refused.value.message_dict["start_year"][0]
    assert not CostOfCareReturn.objects.exists()
