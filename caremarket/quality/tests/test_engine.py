"""The rating engine, rule by rule with the strategy's own cases, then its invariants."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caremarket.quality.engine import (
    FOCUSSED, FULL, ImprovementPlanCompleted, Inspection, PqasSubmission, RatingInputs, anniversary, decide,
    pqas_due_on,
)
from caremarket.quality.ratings import Rating, Source, UnknownRating, translate

D = dt.date
TODAY = D(2026, 11, 23)


def full(source, outcome, on):
    return Inspection(Source(source), FULL, outcome, on)


def focussed(source, outcome, on):
    return Inspection(Source(source), FOCUSSED, outcome, on)


def rate(*inspections, pqas=(), due=None, plans=(), out_of_city=False, as_of=TODAY):
    return decide(RatingInputs(as_of, tuple(inspections), tuple(pqas), due, tuple(plans), out_of_city))


def test_a_pqas_is_due_a_year_after_the_last_one():
    base = full("council", "Silver", D(2025, 1, 1))
    assert rate(base, pqas=[PqasSubmission(D(2025, 11, 24), Rating.SILVER)], due=D(2025, 6, 1)).rating == Rating.SILVER
    late = rate(base, pqas=[PqasSubmission(D(2025, 11, 22), Rating.SILVER)], due=D(2025, 6, 1))
    assert late.rating == Rating.INADEQUATE and "PQAS due by 22 November 2026" in late.breaches[0]


def test_a_pqas_is_due_on_the_anniversary_and_29_february_falls_due_on_28_february():
    base = full("council", "Silver", D(2023, 6, 1))
    leap = [PqasSubmission(D(2024, 2, 29), Rating.SILVER)]
    assert pqas_due_on(RatingInputs(D(2024, 3, 1), (base,), tuple(leap))) == D(2025, 2, 28)
    assert rate(base, pqas=leap, as_of=D(2025, 2, 28)).rating == Rating.SILVER
    overdue = rate(base, pqas=leap, as_of=D(2025, 3, 1))
    assert overdue.rating == Rating.INADEQUATE and overdue.breaches == [
        "PQAS due by 28 February 2025 was not submitted (breach of contract)"]
    assert overdue.since == D(2025, 3, 1)  # Inadequate from the day after it was due
    assert anniversary(D(2026, 11, 30)) == D(2027, 11, 30)  # the same day a year on, not 365 days


def test_a_focussed_cqc_re_inspection_lifts_the_cqc_inadequate_hold():
    cqc_inadequate = full("cqc", "Inadequate", D(2026, 2, 1))
    held = rate(cqc_inadequate)
    assert held.rating == Rating.INADEQUATE and held.suspended
    lifted = rate(cqc_inadequate, focussed("cqc", "Good", D(2026, 9, 1)))
    assert lifted.rating == Rating.SILVER and not lifted.suspended
    assert "Up to Silver: the CQC re-inspected and lifted its Inadequate rating" in " ".join(lifted.explanation)
    assert lifted.since == D(2026, 9, 1)
    # A comprehensive re-inspection lifts it too, and Gold comes only from a full inspection.
    assert rate(cqc_inadequate, full("cqc", "Outstanding", D(2026, 9, 1))).rating == Rating.GOLD
    assert rate(cqc_inadequate, focussed("cqc", "Outstanding", D(2026, 9, 1))).rating == Rating.SILVER
    # Another body's focussed inspection does not lift the CQC's hold.
    assert rate(cqc_inadequate, focussed("council", "Silver", D(2026, 9, 1))).rating == Rating.INADEQUATE


def test_a_rating_takes_effect_on_the_date_of_the_evidence_that_gave_it():
    assert rate(full("council", "Gold", D(2026, 9, 1))).since == D(2026, 9, 1)
    moved_down = rate(full("cqc", "Good", D(2026, 1, 10)), focussed("council", "Bronze", D(2026, 8, 1)))
    assert moved_down.since == D(2026, 8, 1)


# --- Table 2 -------------------------------------------------------------------------------

@pytest.mark.parametrize("source, outcome, rating", [
    ("cqc", "Outstanding", Rating.GOLD), ("cqc", "Good", Rating.SILVER),
    ("cqc", "Requires improvement", Rating.BRONZE), ("cqc", "Inadequate", Rating.INADEQUATE),
    ("council", "Gold", Rating.GOLD), ("council", "Silver", Rating.SILVER),
    ("council", "Bronze", Rating.BRONZE), ("council", "Inadequate", Rating.INADEQUATE),
    ("nhs", "Bright Green", Rating.GOLD), ("nhs", "Green", Rating.SILVER),
    ("nhs", "Amber", Rating.BRONZE), ("nhs", "Red", Rating.INADEQUATE),
])
def test_the_most_recent_full_inspection_sets_the_rating_by_table_2(source, outcome, rating):
    decision = rate(full("cqc", "Good", D(2024, 1, 1)), full(source, outcome, D(2026, 6, 1)))
    assert decision.rating == rating
    assert decision.explanation[0].startswith(f"{rating.label} from the most recent full inspection")


@pytest.mark.parametrize("word", ["No published rating", "Inspected but not rated", "Insufficient evidence to rate",
                                  "Not Rated"])
def test_the_cqcs_words_for_no_rating_are_not_a_rating(word):
    assert translate(Source.CQC, word) is None
    assert rate(full("cqc", word, D(2026, 1, 1))).rating is None
    assert rate(full("council", "Silver", D(2025, 1, 1)), full("cqc", word, D(2026, 1, 1))).rating == Rating.SILVER


def test_a_word_no_body_uses_is_refused():
    with pytest.raises(UnknownRating, match="'Excellent' is not a CQC rating"):
        translate(Source.CQC, "Excellent")
    with pytest.raises(UnknownRating, match="not a NHS rating"):
        translate(Source.NHS, "Gold")


def test_without_a_full_inspection_an_inspection_is_required_before_award():
    decision = rate(focussed("council", "Silver", D(2026, 1, 1)))
    assert decision.rating is None and decision.label == "Not yet rated"
    assert "must inspect before a package is awarded" in decision.explanation[0]


# --- Adjusting the rating between full inspections (rules 1-8) ------------------------------

def test_rule_1_a_pqas_showing_a_fall_moves_the_rating_down_in_year():
    decision = rate(full("council", "Silver", D(2026, 1, 10)), pqas=[PqasSubmission(D(2026, 6, 1), Rating.BRONZE)])
    assert decision.rating == Rating.BRONZE
    assert "Down to Bronze: the PQAS of 01 June 2026" in decision.explanation[1]


def test_rule_2_reported_improvements_count_only_once_an_inspection_verifies_them():
    base = full("council", "Bronze", D(2026, 1, 10))
    pqas = PqasSubmission(D(2026, 5, 1), Rating.SILVER)
    assert rate(base, pqas=[pqas]).rating == Rating.BRONZE
    verified = rate(base, focussed("council", "Silver", D(2026, 7, 1)), pqas=[pqas])
    assert verified.rating == Rating.SILVER
    assert "verified the improvements reported" in " ".join(verified.explanation)


def test_rule_2_an_inspection_before_the_improvements_were_reported_verifies_nothing():
    decision = rate(full("council", "Bronze", D(2026, 1, 10)), focussed("council", "Silver", D(2026, 3, 1)),
                    pqas=[PqasSubmission(D(2026, 5, 1), Rating.SILVER)])
    assert decision.rating == Rating.BRONZE


def test_rule_3_gold_only_at_a_full_annual_inspection():
    base = full("council", "Silver", D(2026, 1, 10))
    decision = rate(base, focussed("council", "Gold", D(2026, 7, 1)),
                    pqas=[PqasSubmission(D(2026, 5, 1), Rating.GOLD)])
    assert decision.rating == Rating.SILVER
    assert "Gold is given only at a full annual inspection" in " ".join(decision.explanation)
    assert rate(base, full("council", "Gold", D(2026, 10, 1))).rating == Rating.GOLD


def test_rule_4_a_falsified_pqas_is_a_breach_and_is_not_relied_on():
    decision = rate(full("council", "Silver", D(2026, 1, 10)),
                    pqas=[PqasSubmission(D(2026, 5, 1), Rating.BRONZE, falsified=True)])
    assert decision.rating == Rating.SILVER
    assert decision.breaches == ["PQAS of 01 May 2026 was significantly falsified (breach of contract)"]


def test_rule_5_a_pqas_not_submitted_makes_the_rating_inadequate_and_is_a_breach():
    base = full("cqc", "Outstanding", D(2025, 9, 1))
    overdue = rate(base, due=D(2026, 9, 1))
    assert overdue.rating == Rating.INADEQUATE and overdue.suspended
    assert overdue.breaches == ["PQAS due by 01 September 2026 was not submitted (breach of contract)"]
    on_time = rate(base, pqas=[PqasSubmission(D(2026, 8, 20), Rating.GOLD)], due=D(2026, 9, 1))
    assert on_time.rating == Rating.GOLD and on_time.breaches == []  # the next is due by 20 August 2027
    assert rate(base, due=D(2026, 12, 1)).rating == Rating.GOLD  # not due yet


def test_rule_6_a_cqc_inadequate_holds_until_the_cqc_lifts_it():
    cqc_inadequate = full("cqc", "Inadequate", D(2026, 2, 1))
    council_silver = full("council", "Silver", D(2026, 6, 1))
    held = rate(cqc_inadequate, council_silver)
    assert held.rating == Rating.INADEQUATE and held.suspended
    assert "stays Inadequate until the CQC lifts it" in " ".join(held.explanation)
    lifted = rate(cqc_inadequate, council_silver, focussed("cqc", "Requires improvement", D(2026, 9, 1)))
    assert lifted.rating == Rating.BRONZE and not lifted.suspended


def test_rule_6_a_cqc_finding_the_same_day_as_its_inadequate_does_not_lift_it():
    # Found by hypothesis: of two CQC findings on one day, the more cautious stands.
    day = D(2023, 1, 1)
    held = rate(full("cqc", "Inadequate", day), focussed("cqc", "Good", day))
    assert held.rating == Rating.INADEQUATE and held.suspended


def test_rule_7_a_focussed_inspection_moves_the_rating_down():
    decision = rate(full("cqc", "Good", D(2026, 1, 10)), focussed("council", "Bronze", D(2026, 8, 1)))
    assert decision.rating == Rating.BRONZE and decision.improvement_plan_required


def test_inadequate_suspends_and_a_completed_improvement_plan_gives_bronze_and_lifts_it():
    base = full("council", "Inadequate", D(2026, 2, 1))
    assert rate(base).suspended
    decision = rate(base, plans=[ImprovementPlanCompleted(D(2026, 8, 1))])
    assert decision.rating == Rating.BRONZE and not decision.suspended
    assert decision.improvement_plan_required  # Bronze still needs one


def test_out_of_city_providers_are_rated_on_their_cqc_rating():
    cqc, council = full("cqc", "Good", D(2025, 1, 1)), full("council", "Bronze", D(2026, 1, 1))
    assert rate(cqc, council).rating == Rating.BRONZE
    decision = rate(cqc, council, out_of_city=True)
    assert decision.rating == Rating.SILVER and "out-of-city" in decision.explanation[0]


def test_nothing_after_the_day_of_the_decision_counts():
    decision = rate(full("council", "Silver", D(2026, 1, 1)), focussed("council", "Inadequate", D(2027, 1, 1)))
    assert decision.rating == Rating.SILVER


# --- Invariants ----------------------------------------------------------------------------

OUTCOMES = {Source.CQC: ["Outstanding", "Good", "Requires improvement", "Inadequate", "No published rating"],
            Source.COUNCIL: ["Gold", "Silver", "Bronze", "Inadequate"],
            Source.NHS: ["Bright Green", "Green", "Amber", "Red"]}
days = st.dates(min_value=D(2023, 1, 1), max_value=TODAY)
inspections = st.sampled_from(list(Source)).flatmap(lambda source: st.builds(
    Inspection, st.just(source), st.sampled_from([FULL, FOCUSSED]), st.sampled_from(OUTCOMES[source]), days))
pqas = st.builds(PqasSubmission, days, st.sampled_from(list(Rating)), st.booleans())
inputs = st.builds(
    RatingInputs, st.just(TODAY), st.lists(inspections, max_size=6).map(tuple), st.lists(pqas, max_size=3).map(tuple),
    st.one_of(st.none(), days), st.lists(st.builds(ImprovementPlanCompleted, days), max_size=2).map(tuple),
    st.booleans(),
)


@given(inputs)
def test_every_decision_is_explained_and_suspension_means_inadequate(case):
    decision = decide(case)
    assert decision.explanation
    assert decision.suspended == (decision.rating == Rating.INADEQUATE)


@given(inputs)
def test_gold_comes_only_from_a_full_inspection_that_gave_gold(case):
    decision = decide(case)
    if decision.rating == Rating.GOLD:
        assert decision.based_on.kind == FULL and decision.based_on.rating == Rating.GOLD


@given(inputs)
def test_a_current_cqc_inadequate_always_means_inadequate(case):
    rated = [i for i in case.inspections if i.source == Source.CQC and i.rating]
    latest_day = max((i.on for i in rated), default=None)
    if any(i.on == latest_day and i.rating == Rating.INADEQUATE for i in rated):
        assert decide(case).rating == Rating.INADEQUATE


@given(inputs, pqas)
def test_a_pqas_never_raises_a_rating_by_itself(case, extra):
    if case.pqas_first_due_on is not None or case.pqas:
        return  # a PQAS also moves when the next is due, which can end a breach: rule 5 above
    before = decide(case).rating
    after = decide(RatingInputs(case.as_of, case.inspections, case.pqas + (extra,), case.pqas_first_due_on,
                                case.improvement_plans_completed, case.out_of_city)).rating
    if before is not None and extra.submitted_on < max((i.on for i in case.inspections), default=D(1, 1, 1)):
        return  # a statement before a verifying inspection may be what it verifies
    assert after is None or before is None or after <= before


@given(inputs)
def test_the_order_evidence_arrives_in_does_not_matter(case):
    shuffled = RatingInputs(case.as_of, tuple(reversed(case.inspections)), tuple(reversed(case.pqas)),
                            case.pqas_first_due_on, tuple(reversed(case.improvement_plans_completed)), case.out_of_city)
    assert decide(shuffled).rating == decide(case).rating
