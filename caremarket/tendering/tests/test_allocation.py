"""The hand-back allocator: worked examples and properties that hold for any hand-back."""

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caremarket.quality.ratings import Rating
from caremarket.tendering.allocation import Package, Provider, allocate, greedy

BORDERS = {"north": frozenset({"east", "west"}), "east": frozenset({"north", "west"}),
           "west": frozenset({"north", "east"}), "south": frozenset()}


def test_greedy_strands_a_package_the_batch_places():
    # Greedy gives the first small package to the Gold provider, leaving no room for the big one.
    packages = [Package("small", "north", Decimal(5)), Package("big", "north", Decimal(20))]
    providers = [Provider("gold", frozenset({"north"}), Decimal(20), Rating.GOLD, 1),
                 Provider("silver", frozenset({"north"}), Decimal(5), Rating.SILVER, 1)]
    one_by_one = greedy(packages, providers, BORDERS)
    assert one_by_one.placements == {"small": "gold"} and "big" in one_by_one.unplaced
    batch, baseline = allocate(packages, providers, BORDERS, seconds=2)
    assert batch.placements == {"small": "silver", "big": "gold"}
    assert batch.score > baseline.score


def test_citizens_stay_in_their_area_before_going_next_door():
    packages = [Package("p1", "north", Decimal(10))]
    providers = [Provider("gold-east", frozenset({"east"}), Decimal(50), Rating.GOLD, 3),
                 Provider("bronze-north", frozenset({"north"}), Decimal(50), Rating.BRONZE, 1)]
    batch, _ = allocate(packages, providers, BORDERS, seconds=2)
    assert batch.placements == {"p1": "bronze-north"}


def test_a_package_too_far_away_or_too_big_is_listed_with_why():
    packages = [Package("far", "south", Decimal(5)), Package("huge", "north", Decimal(90))]
    providers = [Provider("north", frozenset({"north"}), Decimal(50), Rating.SILVER, 1)]
    batch, _ = allocate(packages, providers, BORDERS, seconds=2)
    assert batch.placements == {}
    assert batch.unplaced["far"] == ("No provider in or next to south has 5 spare hours a week within its lot "
                                     "limit")


def test_a_provider_at_its_lot_limit_takes_nobody_from_another_area():
    packages = [Package("p1", "east", Decimal(5))]
    providers = [Provider("small", frozenset({"north"}), Decimal(50), Rating.GOLD, 1)]
    batch, _ = allocate(packages, providers, BORDERS, seconds=2)
    assert batch.placed == 0


hours = st.sampled_from([Decimal(h) for h in ("3.5", "5", "7", "10.5", "14", "21")])
areas = st.sampled_from(sorted(BORDERS))
package_lists = st.lists(st.tuples(areas, hours), min_size=1, max_size=25)
provider_lists = st.lists(st.tuples(st.frozensets(areas, min_size=1, max_size=2), st.integers(0, 60),
                                    st.sampled_from([Rating.GOLD, Rating.SILVER, Rating.BRONZE, None]),
                                    st.integers(1, 3)), min_size=1, max_size=8)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(package_lists, provider_lists)
def test_any_hand_back_respects_capacity_area_and_lot_limits_and_beats_or_equals_greedy(package_specs,
                                                                                        provider_specs):
    packages = [Package(f"pkg{i}", area, h) for i, (area, h) in enumerate(package_specs)]
    providers = [Provider(f"prov{i}", approved, Decimal(spare), rating, max(limit, len(approved)))
                 for i, (approved, spare, rating, limit) in enumerate(provider_specs)]
    batch, baseline = allocate(packages, providers, BORDERS, seconds=1)
    assert batch.score >= baseline.score
    assert batch.placed + len(batch.unplaced) == len(packages)
    by_ref = {p.reference: p for p in providers}
    load = {p.reference: Decimal(0) for p in providers}
    served = {p.reference: set(p.areas) for p in providers}
    for package in packages:
        chosen = batch.placements.get(package.reference)
        if chosen is None:
            continue
        provider = by_ref[chosen]
        assert package.area in provider.areas or provider.areas & BORDERS[package.area]
        load[chosen] += package.weekly_hours
        served[chosen].add(package.area)
    for provider in providers:
        assert load[provider.reference] <= provider.spare_hours
        assert len(served[provider.reference]) <= provider.max_areas
