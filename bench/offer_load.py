"""Benchmark: a provider's system under load, through gunicorn on 127.0.0.1; prints one JSON line.

The demo market is built in a fresh database and served by gunicorn (two workers, DEBUG off).
Clients (1, 4 and 16 at once, each a thread with its own connection) call the API as the demo
home-support provider for a few seconds each: making or changing its offer
(``PUT /api/tendering/opportunities/{id}/offer``, each client on one of the tenders the
provider is asked to) and reading its opportunities (``GET /api/tendering/opportunities``).
Requests a second and the 50th, 95th and 99th percentile times are reported.

    python -m bench.offer_load --seconds 8
"""

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = (1, 4, 16)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare() -> tuple[str, list[dict]]:
    """The demo market, a token for the provider's system and the offers it will make."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caremarket.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from caremarket.accounts.models import ApiToken, User
    from caremarket.core import clock
    from caremarket.demo.market import DemoMarket
    from caremarket.demo.names import demo_username
    from caremarket.tendering.models import Invitation

    call_command("migrate", verbosity=0)
    DemoMarket(scale=1).build()
    admin = User.objects.get(username=demo_username("provider.admin"))
    _, key = ApiToken.issue(admin, "load benchmark")
    invited = (Invitation.objects.filter(organisation=admin.organisation, tender__status="open",
                                         tender__closes_at__gt=clock.now())
               .select_related("tender__requirement").order_by("tender_id"))
    location = admin.organisation.locations.filter(registration="registered").first()
    offers = [{"tender_id": i.tender_id, "body": {
        "location_id": location.pk, "confirms_needs": True, "outcomes_response": "Named carers",
        "start_on": i.tender.requirement.start_on.isoformat()}} for i in invited]
    assert offers, "the demo provider is asked to no open tender"
    return key, offers


def load(base: str, key: str, clients: int, seconds: float, request) -> dict:
    """``clients`` threads calling ``request(session, client)`` for ``seconds``."""
    times, failures, barrier = [], [], threading.Barrier(clients + 1)
    stop = time.perf_counter() + seconds + 3600  # set properly once every client is ready

    def client(n):
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {key}"
        mine = []
        barrier.wait()
        while time.perf_counter() < deadline[0]:
            started = time.perf_counter()
            response = request(session, n)
            mine.append(time.perf_counter() - started)
            if response.status_code != 200:
                failures.append(f"{response.status_code} {response.text[:200]}")
        times.extend(mine)

    deadline = [stop]
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    deadline[0] = time.perf_counter() + seconds
    barrier.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    assert not failures, failures[:3]
    times.sort()

    def percentile(p):
        return times[min(len(times) - 1, int(len(times) * p / 100))] * 1000

    return {"requests": len(times), "per_second": len(times) / elapsed, "p50_ms": statistics.median(times) * 1000,
            "p95_ms": percentile(95), "p99_ms": percentile(99)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    key, offers = prepare()
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "caremarket.wsgi", "--workers", str(args.workers), "--bind",
         f"127.0.0.1:{port}", "--log-level", "warning"], cwd=ROOT,
        env={**os.environ, "DJANGO_DEBUG": "0", "DJANGO_ALLOWED_HOSTS": "127.0.0.1"})
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):  # until gunicorn answers
            try:
                requests.get(f"{base}/api/openapi.json", timeout=10)
                break
            except requests.RequestException:
                time.sleep(0.2)

        def put_offer(session, n):
            offer = offers[n % len(offers)]
            return session.put(f"{base}/api/tendering/opportunities/{offer['tender_id']}/offer",
                               json=offer["body"] | {"outcomes_response": f"Named carers {time.monotonic()}"})

        def list_opportunities(session, n):
            return session.get(f"{base}/api/tendering/opportunities")

        results = {"tenders": len(offers), "workers": args.workers}
        for name, request in (("offer_put", put_offer), ("opportunities_get", list_opportunities)):
            load(base, key, 1, 1, request)  # warm each worker's copies
            results[name] = {clients: load(base, key, clients, args.seconds, request) for clients in CLIENTS}
    finally:
        server.terminate()
        server.wait(timeout=10)
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
