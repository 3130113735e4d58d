"""Placing a large hand-back of home-support packages all at once (domain guide §3).

When a provider leaves the market, its packages are re-offered to providers in the same
area under the usual quality rules, then to providers in the areas next to it. Done one
package at a time, early packages can take the capacity later ones needed; the batch
allocator places them all together, as an integer programme solved by OR-Tools CP-SAT.

The rules, in order of priority:
1. place as many packages as possible;
2. keep citizens in their own area (a provider approved there) before a neighbouring one;
3. prefer better-rated providers (Gold 4, Silver 3, Bronze 2, not yet rated 1 point a package).

Hard limits: a provider takes no more hours than its stated spare capacity, serves
citizens only in or next to its approved areas, and holds no more areas than its lot limit.

Packages with the same area and hours are interchangeable, so the solver decides how
many of each kind each provider takes; that keeps the model small for thousands of packages.
The greedy one-by-one placement is computed too, given to the solver as its starting
point, and kept if the solver does not beat it: the batch result is never worse.

Pure: the caller gathers packages and providers (tendering.handbacks).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from caremarket.quality.ratings import Rating

PLACED, IN_AREA = 1000, 100
RATING_POINTS = {Rating.GOLD: 4, Rating.SILVER: 3, Rating.BRONZE: 2, None: 1}
SOLVER_SECONDS = 3.0


@dataclass(frozen=True)
class Package:
    reference: str
    area: str
    weekly_hours: Decimal


@dataclass(frozen=True)
class Provider:
    reference: str
    areas: frozenset[str]  # areas it is approved for
    spare_hours: Decimal  # home-support hours a week it says it can take on
    rating: Rating | None
    max_areas: int  # its lot limit: the most areas it may serve


@dataclass
class Allocation:
    method: str
    placements: dict[str, str]  # package reference → provider reference
    unplaced: dict[str, str]  # package reference → why
    score: int = 0
    in_area: int = 0
    quality_points: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def placed(self) -> int:
        return len(self.placements)


def _hundredths(hours: Decimal) -> int:
    return int((hours * 100).to_integral_value())


def _eligible(package: Package, provider: Provider, borders: dict[str, frozenset[str]]) -> bool | None:
    """True: in its own area; False: next to it; None: too far."""
    if package.area in provider.areas:
        return True
    if provider.areas & borders.get(package.area, frozenset()):
        return False
    return None


def _worth(local: bool, provider: Provider) -> int:
    return PLACED + (IN_AREA if local else 0) + RATING_POINTS[provider.rating]


def _summarise(method, placements, packages, providers, borders, notes=()) -> Allocation:
    by_ref = {p.reference: p for p in providers}
    result = Allocation(method, placements, {}, notes=list(notes))
    for package in packages:
        chosen = placements.get(package.reference)
        if chosen is None:
            result.unplaced[package.reference] = (
                f"No provider in or next to {package.area} has {package.weekly_hours} spare hours a week "
                "within its lot limit")
            continue
        local = _eligible(package, by_ref[chosen], borders)
        result.score += _worth(local, by_ref[chosen])
        result.in_area += bool(local)
        result.quality_points += RATING_POINTS[by_ref[chosen].rating]
    return result


def greedy(packages: list[Package], providers: list[Provider], borders: dict[str, frozenset[str]]) -> Allocation:
    """One by one, in the order given: each package to the best provider that still has room."""
    spare = {p.reference: _hundredths(p.spare_hours) for p in providers}
    areas = {p.reference: set(p.areas) for p in providers}
    placements = {}
    for package in packages:
        hours = _hundredths(package.weekly_hours)
        best = None
        for provider in providers:
            local = _eligible(package, provider, borders)
            if local is None or spare[provider.reference] < hours:
                continue
            if package.area not in areas[provider.reference] and len(areas[provider.reference]) >= provider.max_areas:
                continue
            key = (_worth(local, provider), spare[provider.reference], provider.reference)
            if best is None or key > best[0]:
                best = (key, provider)
        if best:
            chosen = best[1].reference
            placements[package.reference] = chosen
            spare[chosen] -= hours
            areas[chosen].add(package.area)
    return _summarise("greedy", placements, packages, providers, borders)


def allocate(packages: list[Package], providers: list[Provider], borders: dict[str, frozenset[str]], *,
             seconds: float = SOLVER_SECONDS) -> tuple[Allocation, Allocation]:
    """The batch allocation and, for comparison, the greedy one. Returns (chosen, greedy)."""
    from ortools.sat.python import cp_model  # imported here: only hand-backs need the solver

    baseline = greedy(packages, providers, borders)
    kinds: dict[tuple[str, int], list[Package]] = defaultdict(list)
    for package in packages:
        kinds[(package.area, _hundredths(package.weekly_hours))].append(package)

    model = cp_model.CpModel()
    take = {}  # (kind, provider) → how many packages of that kind it takes
    for kind, members in kinds.items():
        area, hours = kind
        for provider in providers:
            local = _eligible(members[0], provider, borders)
            if local is not None and hours <= _hundredths(provider.spare_hours):
                take[kind, provider.reference] = (model.new_int_var(0, len(members), ""), local, provider)
    for kind, members in kinds.items():
        model.add(sum(v for (k, _), (v, _, _) in take.items() if k == kind) <= len(members))
    for provider in providers:
        mine = [(k, v) for (k, ref), (v, _, _) in take.items() if ref == provider.reference]
        if not mine:
            continue
        model.add(sum(k[1] * v for k, v in mine) <= _hundredths(provider.spare_hours))
        new_areas = {k[0] for k, _ in mine} - provider.areas
        room = max(provider.max_areas - len(provider.areas), 0)
        if new_areas:
            uses = {a: model.new_bool_var("") for a in new_areas}
            for k, v in mine:
                if k[0] in uses:
                    model.add(v <= len(kinds[k]) * uses[k[0]])
            model.add(sum(uses.values()) <= room)
    model.maximize(sum(v * _worth(local, provider) for v, local, provider in take.values()))

    # Start from the greedy placement.
    greedy_counts = defaultdict(int)
    for package in packages:
        if package.reference in baseline.placements:
            greedy_counts[(package.area, _hundredths(package.weekly_hours)),
                          baseline.placements[package.reference]] += 1
    for key, (v, _, _) in take.items():
        model.add_hint(v, greedy_counts.get(key, 0))

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = 2
    solver.parameters.random_seed = 1  # the same hand-back places the same way every time
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE) or solver.objective_value <= baseline.score:
        baseline.notes.append("The solver found nothing better than placing one by one, so that placement is used")
        return baseline, baseline

    placements = {}
    for kind, members in kinds.items():
        queue = list(members)
        for provider in sorted(providers, key=lambda p: p.reference):
            entry = take.get((kind, provider.reference))
            for _ in range(solver.value(entry[0]) if entry else 0):
                placements[queue.pop(0).reference] = provider.reference
    proven = "the best possible" if status == cp_model.OPTIMAL else "the best found in the time allowed"
    chosen = _summarise("batch", placements, packages, providers, borders,
                        notes=[f"Placed together by the CP-SAT solver ({proven})"])
    return chosen, baseline
