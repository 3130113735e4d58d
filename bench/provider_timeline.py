"""Benchmark: the provider record's timeline for the provider with the most records, at a demo
market's size; prints one JSON line.

The page is asked for as the account manager, through the whole stack in process (URL,
permissions, every source's query, merge, page of 50, template); the median of several asks
is its server time. Beside it, the reference: the very SQL statements the page's timeline
sent, captured once and sent again straight to the database engine.

    python -m bench.provider_timeline --scale 10
"""

import json
import sys

from bench.measuring import bare, demo_market, median_seconds, signed_in


def main():
    scale = demo_market()
    from django.db import connection
    from django.db.models import Count
    from django.test.utils import CaptureQueriesContext

    from caremarket.accounts.models import User
    from caremarket.core import clock
    from caremarket.demo.names import demo_username
    from caremarket.management import timeline
    from caremarket.management.views import DEFAULT_WINDOW
    from caremarket.organisations.models import Organisation

    today = clock.today()
    # The provider with the longest year on its record: of the ten with the most packages, the
    # one whose timeline has the most entries.
    candidates = Organisation.objects.annotate(n=Count("care_packages")).order_by("-n")[:10]
    busiest = max(candidates, key=lambda o: len(timeline.timeline(o, today - DEFAULT_WINDOW, today).entries))
    client = signed_in(User.objects.get(username=demo_username("account.manager")))
    address = f"/providers/{busiest.pk}/"
    assert client.get(address).status_code == 200
    page_seconds = median_seconds(lambda: client.get(address))
    with CaptureQueriesContext(connection) as captured:
        entries = timeline.timeline(busiest, today - DEFAULT_WINDOW, today)
    statements = [query["sql"] for query in captured.captured_queries]
    json.dump({"scale": scale, "entries": len(entries.entries), "statements": len(statements),
               "page_ms": page_seconds * 1000, "engine_ms": median_seconds(bare(statements)) * 1000}, sys.stdout)


if __name__ == "__main__":
    main()
