"""Benchmark: build the demo market in an empty database; prints one JSON line.

Run by ``python -m bench`` in a fresh process per measurement, so that peak memory is
this build's own.
"""

import argparse
import json
import os
import resource
import sys
import time


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, required=True)
    parser.add_argument("--councils", type=int, default=2, choices=[1, 2])
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caremarket.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from caremarket.demo.market import DemoMarket

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    counts = DemoMarket(scale=args.scale, councils=args.councils).build()
    seconds = time.perf_counter() - started
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    json.dump({"seconds": seconds, "peak_mib": peak_mib, "citizens": counts.citizens,
               "organisations": counts.organisations}, sys.stdout)


if __name__ == "__main__":
    main()
