"""Benchmark: rank a tender with 200 offers, and place a hand-back of 2,000 home-support
packages across 100 providers (batch allocator and greedy, one by one); prints one JSON line.

The rules are pure, so no database is needed. Areas and their borders are Birmingham's
(caremarket/geography/data/areas.csv); offers, packages and providers are seeded.
"""

import csv
import json
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def borders() -> dict[str, frozenset[str]]:
    with open(ROOT / "caremarket" / "geography" / "data" / "areas.csv", newline="") as f:
        return {row["code"]: frozenset(row["borders"].split()) for row in csv.DictReader(f)}


def ranking(rng) -> dict:
    from caremarket.quality.ratings import Rating
    from caremarket.tendering.evaluation import Offer, prospectus_2012, strategy_2018

    ratings = [Rating.GOLD, Rating.SILVER, Rating.SILVER, Rating.BRONZE, None]
    offers = [Offer(reference=str(i), provider=f"Provider {i}", price_pence=rng.randint(15_000, 40_000),
                    rating=rng.choice(ratings), suspended=rng.random() < 0.03,
                    feedback_score=Decimal(rng.randint(50, 100)), in_preferred_location=rng.random() < 0.4,
                    submitted_order=i) for i in range(200)]
    timings = {}
    for name, rule in [("prospectus_2012", prospectus_2012),
                       ("strategy_2018_home", lambda o: strategy_2018(o, setting="home")),
                       ("strategy_2018_bed_based", lambda o: strategy_2018(o, setting="bed_based"))]:
        runs = []
        for _ in range(50):
            started = time.perf_counter()
            rule(offers)
            runs.append(time.perf_counter() - started)
        timings[name] = statistics.median(runs) * 1000
    return timings


def hand_back(rng) -> dict:
    from caremarket.quality.ratings import Rating
    from caremarket.tendering.allocation import Package, Provider, allocate

    areas = borders()
    codes = sorted(areas)
    packages = [Package(f"P{i:04d}", rng.choice(codes), Decimal(rng.choice(["3.5", "5", "7", "10.5", "14", "21"])))
                for i in range(2000)]
    providers = []
    for i in range(100):
        lots = rng.choice([1, 1, 2, 3])
        providers.append(Provider(f"V{i:03d}", frozenset(rng.sample(codes, lots)),
                                  Decimal(rng.choice([100, 150, 250, 300, 400])),
                                  rng.choice([Rating.GOLD, Rating.SILVER, Rating.SILVER, Rating.BRONZE, None]),
                                  max(lots, 3 if lots > 1 else 1)))
    started = time.perf_counter()
    batch, greedy = allocate(packages, providers, areas)
    seconds = time.perf_counter() - started
    hours = sum(p.weekly_hours for p in packages)
    return {"seconds": seconds, "hours": str(hours), "capacity": str(sum(p.spare_hours for p in providers)),
            **{f"{a.method}_{k}": getattr(a, k) for a in (batch, greedy)
               for k in ("placed", "in_area", "quality_points", "score")}}


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caremarket.settings")
    import django

    django.setup()
    rng = random.Random(2018)
    json.dump({"ranking_ms": ranking(rng), "hand_back": hand_back(rng)}, sys.stdout, default=str)


if __name__ == "__main__":
    main()
