"""Benchmark: 100,000 events delivered to a local receiver by background workers; prints one
JSON line.

One subscriber, its webhook a real receiver on 127.0.0.1 in its own process (the tests' receiver:
it checks each signature with the standardwebhooks verifier, drops repeats by id and logs each
event). The events are 20,000 packages' five each, written as the outbox writes them. The figure
is events delivered a second, from the workers' start to the last delivery, with ``--workers``
processes each running the delivery task until nothing is left. Beside it, in the same run, the
reference: the same number of signed POSTs sent straight to the receiver over one kept-alive
connection, no database at all.

    python -m bench.event_delivery --events 100000 --workers 2
"""

import argparse
import datetime as dt
import http.client
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RECEIVER = ROOT / "caremarket" / "events" / "tests" / "receiver.py"
WORKER = ("import django; django.setup()\n"
          "from caremarket.events import delivery\n"
          "while delivery.deliver_due():\n"
          "    pass\n")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caremarket.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from caremarket.core import clock
    from caremarket.core.bulk import create_all
    from caremarket.core.local_processes import free_port, running
    from caremarket.events.delivery import headers_for, lane_of
    from caremarket.events.messages import payload
    from caremarket.events.models import Delivery, Event, Subscriber
    from caremarket.events.subscribers import new_secret

    call_command("migrate", verbosity=0)
    port, secret = free_port(), new_secret()
    with tempfile.TemporaryDirectory() as folder, running(
            [sys.executable, str(RECEIVER), str(port), secret, str(Path(folder) / "log.jsonl")], port):
        subscriber = Subscriber.objects.create(name="Bench", url=f"http://127.0.0.1:{port}/events", secret=secret,
                                               kinds=["package.changed"])
        now = clock.now() - dt.timedelta(seconds=1)
        with transaction.atomic():
            events = create_all(Event, [Event(
                kind="package.changed", subject=f"package CP-{i % (args.events // 5):06d}", occurred_at=now,
                data={"package": f"CP-{i % (args.events // 5):06d}", "weekly_price_pence": 45000 + i},
                citizen={"person_id": f"P{i % (args.events // 5):07d}"}) for i in range(args.events)])
            create_all(Delivery, [Delivery(event=e, subscriber=subscriber, subject=e.subject,
                                           lane=lane_of(e.subject), next_attempt_at=now) for e in events])
        started = time.perf_counter()
        workers = [subprocess.Popen([sys.executable, "-c", WORKER], cwd=ROOT) for _ in range(args.workers)]
        for worker in workers:
            worker.wait()
        workers_seconds = time.perf_counter() - started
        delivered = Delivery.objects.filter(status=Delivery.Status.DELIVERED).count()
        assert delivered == args.events, f"{delivered:,} of {args.events:,} delivered"

        # The reference: the same POSTs, signed, one connection, no database.
        bodies = [json.dumps(payload(e, personal_data=False), separators=(",", ":"), sort_keys=True).encode()
                  for e in Event.objects.order_by("pk")[:args.events]]
        connection = http.client.HTTPConnection("127.0.0.1", port)
        started = time.perf_counter()
        for body in bodies:
            connection.request("POST", "/events", body=body,
                               headers=headers_for(subscriber, json.loads(body)["id"], body, clock.now()))
            connection.getresponse().read()
        bare_seconds = time.perf_counter() - started
    json.dump({"events": args.events, "workers": args.workers, "seconds": workers_seconds,
               "bare_seconds": bare_seconds}, sys.stdout)


if __name__ == "__main__":
    main()
