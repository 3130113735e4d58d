"""Benchmark: the quarter's Client Level Data return at a demo market's size; prints one JSON line.

The last whole quarter's file, written as the download streams it (every row built through the
code mapping and checked against the specification), median of 3. Beside it, in the same run,
the reference: the very SQL statements it sent, captured once and sent again straight to the
engine.

    python -m bench.national_return --scale 10
"""

import json
import os
import sys

from bench.measuring import bare, demo_market, median_seconds, reads


def main():
    scale = demo_market()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from caremarket.core import clock, csv_out
    from caremarket.national_return import build
    from caremarket.national_return.specification import Quarter

    quarter = Quarter.of(clock.today()).previous()
    counted = {}

    def write():
        found = build.Return(quarter)
        with open(os.devnull, "w", newline="") as sink:
            writer = csv_out.writer(sink)
            for row in build.rows(quarter, found):
                writer.writerow(row)
        counted.update(sent=found.sent, held=found.not_sent)

    seconds = median_seconds(write, asks=3)
    with CaptureQueriesContext(connection) as captured:
        write()
    statements = reads(captured)
    json.dump({"scale": scale, "quarter": quarter.label, "rows": counted["sent"], "held": counted["held"],
               "seconds": seconds, "statements": len(statements),
               "engine_seconds": median_seconds(bare(statements), asks=3)}, sys.stdout)


if __name__ == "__main__":
    main()
