"""What the page benchmarks share: a demo market to measure on, the median of several asks, and
the reference beside a figure (the SQL statements the work sent, captured once and sent
straight to the engine)."""

import argparse
import os
import statistics
import time

ASKS = 7


def median_seconds(work, asks: int = ASKS) -> float:
    times = []
    for _ in range(asks):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def reads(captured) -> list[str]:
    """The queries a piece of work sent (PostgreSQL's server-side cursors, which ``.iterator()``
    opens, as the plain queries they wrap; no transaction or cursor housekeeping)."""
    statements = [q["sql"] for q in captured.captured_queries]
    statements = [sql.split(" FOR ", 1)[1] if sql.startswith("DECLARE") else sql for sql in statements]
    return [sql for sql in statements if sql.lstrip().upper().startswith(("SELECT", "WITH"))]


def bare(statements):
    """The statements sent straight to the engine, each result read in full."""
    from django.db import connection

    def send():
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
                cursor.fetchall()
    return send


def demo_market(default_scale: int = 10) -> int:
    """Set Django up on the benchmark's empty database, migrate it and build the demo market at
    ``--scale``; returns the scale."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=default_scale)
    scale = parser.parse_args().scale
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caremarket.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from caremarket.demo.market import DemoMarket

    call_command("migrate", verbosity=0)
    DemoMarket(scale=scale).build()
    return scale


def signed_in(user):
    """A test client signed in as the person, second factor given (as after accounts.two_factor)."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client(raise_request_exception=True)
    client.force_login(user)
    app = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="Authenticator app", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = app.persistent_id
    session.save()
    return client
