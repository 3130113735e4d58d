"""Benchmark: what PostgreSQL's row-level security costs; prints one JSON line.

On the demo market, three pieces of work are asked for through the whole stack in process,
each as the person who does it: the provider's system making or changing its offer
(``PUT /api/tendering/opportunities/{id}/offer``), reading its opportunities, and finance's
package list, which works under the council's setting. Each is timed as the service's ordinary
role, which obeys the policies on every council-owned table, and as the superuser, which passes
them, in alternating rounds so that the machine's drift falls on both alike; the ratio is the
cost. PostgreSQL only: SQLite has no such policies.

    DATABASE_URL=postgres://… python -m bench.row_level_security --scale 1
"""

import json
import statistics
import sys

from bench.measuring import demo_market, median_seconds, signed_in

ROLE = "caremarket_bench_service"
ROUNDS = 9
PACKAGES = "/care-packages/?status=active&service_type=1&sort=-price"


def main():
    scale = demo_market(default_scale=1)
    from django.db import connection

    if connection.vendor != "postgresql":
        json.dump({"skipped": "row-level security is PostgreSQL's"}, sys.stdout)
        return
    work = _work()
    with connection.cursor() as cursor:
        cursor.execute(f"DO $$ BEGIN CREATE ROLE {ROLE} NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$")
        cursor.execute(f"GRANT ALL ON ALL TABLES IN SCHEMA public TO {ROLE}")
        cursor.execute(f"GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO {ROLE}")

    def as_role(statement):
        with connection.cursor() as cursor:
            cursor.execute(statement)

    results = {}
    for name, ask in work.items():
        ask()  # warm
        off, on = [], []
        for _ in range(ROUNDS):
            as_role("RESET ROLE")
            off.append(median_seconds(ask, asks=3))
            as_role(f"SET ROLE {ROLE}")
            on.append(median_seconds(ask, asks=3))
        as_role("RESET ROLE")
        off_ms, on_ms = statistics.median(off) * 1000, statistics.median(on) * 1000
        results[name] = {"without_ms": off_ms, "with_ms": on_ms, "ratio": on_ms / off_ms}
    json.dump({"scale": scale, "work": results}, sys.stdout)


def _work() -> dict:
    from django.test import Client

    from caremarket.accounts.models import ApiToken, User
    from caremarket.core import clock
    from caremarket.demo.names import demo_username
    from caremarket.tendering.models import Invitation

    admin = User.objects.get(username=demo_username("provider.admin"))
    _, key = ApiToken.issue(admin, "row-level security benchmark")
    api = Client(headers={"Authorization": f"Bearer {key}"}, raise_request_exception=True)
    invitation = (Invitation.objects.filter(organisation=admin.organisation, tender__status="open",
                                            tender__closes_at__gt=clock.now())
                  .select_related("tender__requirement").order_by("tender_id").first())
    assert invitation, "the demo provider is asked to no open tender"
    location = admin.organisation.locations.filter(registration="registered").first()
    offer = {"location_id": location.pk, "confirms_needs": True, "outcomes_response": "Named carers",
             "start_on": invitation.tender.requirement.start_on.isoformat()}
    finance = signed_in(User.objects.get(username=demo_username("finance")))
    changes = iter(range(10**9))

    def checked(response):
        assert response.status_code == 200, response.content[:300]

    return {
        "offer_put": lambda: checked(api.put(
            f"/api/tendering/opportunities/{invitation.tender_id}/offer",
            offer | {"outcomes_response": f"Named carers, version {next(changes)}"}, content_type="application/json")),
        "opportunities_get": lambda: checked(api.get("/api/tendering/opportunities")),
        "finance_packages": lambda: checked(finance.get(PACKAGES)),
    }


if __name__ == "__main__":
    main()
