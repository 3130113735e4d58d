"""Settling an alliance: the three situations of gain-share and pain-share, worked through,
and the money adding up whatever the terms, KPIs and costs."""

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caremarket.outcomes.alliance import Kpi, Partner, Terms, TermsError, kpi_score, settle

# £1,000,000 of direct costs targeted; £120,000 of overheads and margin at risk on the KPIs.
TERMS = Terms(target_cost_pence=100_000_000,
              partners=(Partner("Acorn Care", D("0.5"), 6_000_000), Partner("Birch Trust", D("0.3"), 3_600_000),
                        Partner("Cedar Housing", D("0.2"), 2_400_000)),
              kpi_threshold=D("0.7"), gain_share=D("0.5"), pain_share=D("0.5"))


def kpis(quality, safety, experience, outcomes):
    return [Kpi("Quality", D("0.4"), D(quality)), Kpi("Safety", D("0.3"), D(safety)),
            Kpi("Service users' experience", D("0.2"), D(experience)), Kpi("Outcomes", D("0.1"), D(outcomes))]


def paid(settlement):
    return {line.partner: line.total_pence for line in settlement.lines}


def test_an_under_run_with_good_kpis_is_shared_as_gain():
    s = settle(TERMS, kpis(1, 1, 1, 1), {"Acorn Care": 48_000_000, "Birch Trust": 28_000_000,
                                         "Cedar Housing": 19_000_000})
    assert (s.under_run_pence, s.pool_before_pence, s.gain_pence, s.pain_pence) == (5_000_000, 12_000_000,
                                                                                    2_500_000, 0)
    # Each keeps its direct costs, and its share of £120,000 earned plus half the £50,000 under-run.
    assert paid(s) == {"Acorn Care": 55_250_000, "Birch Trust": 32_350_000, "Cedar Housing": 21_900_000}
    assert s.commissioner_pays_pence == 109_500_000  # £25,000 less than target and allowances
    assert "keeps 50% of the under-run: £25,000.00" in " ".join(s.reasons)


def test_an_over_run_with_good_kpis_erodes_the_margin():
    s = settle(TERMS, kpis(1, 1, "0.9", "0.8"), {"Acorn Care": 54_000_000, "Birch Trust": 32_400_000,
                                                 "Cedar Housing": 21_600_000})
    assert s.kpi_score == D("0.96") and s.under_run_pence == -8_000_000
    assert (s.pool_before_pence, s.gain_pence, s.pain_pence, s.pool_pence) == (11_520_000, 0, 4_000_000, 7_520_000)
    assert paid(s) == {"Acorn Care": 57_760_000, "Birch Trust": 34_656_000, "Cedar Housing": 23_104_000}


def test_poor_kpis_earn_no_overheads_no_margin_and_no_gain():
    s = settle(TERMS, kpis("0.5", "0.5", "0.5", "0.5"), {"Acorn Care": 48_000_000, "Birch Trust": 28_000_000,
                                                         "Cedar Housing": 19_000_000})
    assert (s.pool_before_pence, s.gain_pence, s.pool_pence) == (0, 0, 0)
    assert paid(s) == {"Acorn Care": 48_000_000, "Birch Trust": 28_000_000, "Cedar Housing": 19_000_000}
    assert "below the threshold" in " ".join(s.reasons)


def test_an_over_run_beyond_the_pool_costs_the_alliance_its_overheads_and_margin_and_no_more():
    s = settle(TERMS, kpis(1, 1, 1, 1), {"Acorn Care": 80_000_000, "Birch Trust": 40_000_000,
                                         "Cedar Housing": 30_000_000})  # £500,000 over
    assert (s.pain_pence, s.pool_pence) == (12_000_000, 0)
    assert paid(s) == {"Acorn Care": 80_000_000, "Birch Trust": 40_000_000, "Cedar Housing": 30_000_000}


@pytest.mark.parametrize("terms, problem", [
    (Terms(1, (Partner("A", D("0.6"), 0), Partner("B", D("0.6"), 0)), D("0.5"), D("0.5"), D("0.5")), "add up to 1"),
    (Terms(1, (Partner("A", D(1), 0),), D("0.5"), D("1.5"), D("0.5")), "gain share must be from 0 to 1"),
    (Terms(-1, (Partner("A", D(1), 0),), D("0.5"), D("0.5"), D("0.5")), "target cost cannot be negative"),
])
def test_terms_that_cannot_be_settled_say_why(terms, problem):
    with pytest.raises(TermsError, match=problem):
        settle(terms, kpis(1, 1, 1, 1), {p.name: 0 for p in terms.partners})


def test_kpi_weights_must_add_up_and_every_partner_shows_its_costs():
    with pytest.raises(TermsError, match="weights must add up to 1"):
        kpi_score([Kpi("Quality", D("0.5"), D(1))])
    with pytest.raises(TermsError, match="actual direct costs"):
        settle(TERMS, kpis(1, 1, 1, 1), {"Acorn Care": 1})


PENCE = st.integers(0, 10**10)
FRACTION = st.integers(0, 100).map(lambda n: D(n) / 100)


@st.composite
def alliances(draw):
    count = draw(st.integers(1, 6))
    raw = draw(st.lists(st.integers(1, 100), min_size=count, max_size=count))
    shares = [D(n) / sum(raw) for n in raw]
    shares[-1] = 1 - sum(shares[:-1])  # exactly 1 in all
    partners = tuple(Partner(f"P{i}", share, draw(PENCE)) for i, share in enumerate(shares))
    terms = Terms(draw(PENCE), partners, draw(FRACTION), draw(FRACTION), draw(FRACTION))
    weights = draw(st.lists(st.integers(1, 10), min_size=1, max_size=5))
    scored = [Kpi(f"K{i}", D(w) / sum(weights), draw(FRACTION)) for i, w in enumerate(weights)]
    scored[-1] = Kpi(scored[-1].name, 1 - sum(k.weight for k in scored[:-1]), scored[-1].score)
    return terms, scored, {p.name: draw(PENCE) for p in partners}


@given(alliances())
def test_the_money_always_adds_up(alliance):
    terms, scored, costs = alliance
    s = settle(terms, scored, costs)
    assert sum(line.pool_pence for line in s.lines) == s.pool_pence >= 0
    assert s.commissioner_pays_pence == s.actual_cost_pence + s.pool_pence == sum(costs.values()) + s.pool_pence
    assert all(line.total_pence >= line.direct_costs_pence == costs[line.partner] for line in s.lines)
    assert s.pool_pence == s.pool_before_pence + s.gain_pence - s.pain_pence
    if s.kpi_score < terms.kpi_threshold:
        assert s.pool_pence == 0
    if s.under_run_pence >= 0:  # on or under target, never more than the target and the allowances
        assert s.commissioner_pays_pence <= terms.target_cost_pence + sum(p.allowance_pence for p in terms.partners)
