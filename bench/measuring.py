"""What the page benchmarks share: the median of several asks, and the reference beside a
figure (the SQL statements the work sent, captured once and sent straight to the engine)."""

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
