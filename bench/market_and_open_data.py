"""Benchmark: the market dashboard and the year's open contracting data, at a demo market's
size with a year of tenders; prints one JSON line.

The dashboard is asked for as a commissioner through the whole stack in process (URL,
permissions, every chart's queries, specifications, tables, template); the median of several
asks is its server time. Beside it, the reference: the very SQL statements the page sent,
captured once and sent again straight to the database engine.

The open contracting data is the whole financial year's release package, written as the
download streams it; beside it, the statements that export sent, sent bare.

    python -m bench.market_and_open_data --scale 10
"""

import json
import os
import sys

from bench.measuring import bare, demo_market, median_seconds, reads, signed_in

ASKS = 5


def main():
    scale = demo_market()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from caremarket.accounts.models import User
    from caremarket.core import clock
    from caremarket.demo.names import demo_username
    from caremarket.opendata import publishing
    from caremarket.periods.calendar import financial_year_bounds, financial_year_of
    from caremarket.tendering.models import Tender

    client = signed_in(User.objects.get(username=demo_username("commissioner")))
    assert client.get("/market/").status_code == 200
    page_seconds = median_seconds(lambda: client.get("/market/"), ASKS)
    with CaptureQueriesContext(connection) as captured:
        client.get("/market/")
    page_statements = reads(captured)  # the session, the person and every chart's

    window = publishing.Window(*financial_year_bounds(financial_year_of(clock.today())))
    written = {}

    def export():
        size = releases = 0
        with open(os.devnull, "w") as sink:
            for piece in publishing.release_package(window, uri="https://example.test/ocds.json"):
                sink.write(piece)
                size += len(piece)
                releases += piece.startswith(("{\"ocid\"", ",{\"ocid\""))
        written.update(bytes=size, releases=releases)

    export_seconds = median_seconds(export, asks=3)
    with CaptureQueriesContext(connection) as captured:
        export()
    export_statements = reads(captured)
    json.dump({
        "scale": scale, "tenders": Tender.objects.filter(opens_at__gte=window.start()).count(),
        "page_ms": page_seconds * 1000, "page_statements": len(page_statements),
        "page_engine_ms": median_seconds(bare(page_statements), ASKS) * 1000,
        "processes": publishing.count(window), "releases": written["releases"], "mb": written["bytes"] / 1e6,
        "export_seconds": export_seconds, "export_statements": len(export_statements),
        "export_engine_seconds": median_seconds(bare(export_statements), asks=3),
    }, sys.stdout)


if __name__ == "__main__":
    main()
