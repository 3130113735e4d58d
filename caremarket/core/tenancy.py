"""Which council the database connection works for: PostgreSQL's ``caremarket.council``
setting, which the row-level security policies on every council-owned table read
(organisations.councils). A request sets it for the person asking (accounts.middleware), a
task for the council it works for; empty is the system's own work, every council's rows.

Django runs each query in its own transaction unless told otherwise, so the setting is made
for the connection, and put back when the request or task ends, before the connection serves
anyone else. SQLite has no such setting: there the code's scoping rule is the only lock."""

from __future__ import annotations

import threading
from contextlib import contextmanager

from django.db import connection

SETTING = "caremarket.council"
_acting = threading.local()  # what this thread's work asked for, to put back after a nested piece


def current() -> int | None:
    return getattr(_acting, "council", None)


def use_council(council_id: int | None) -> None:
    """From now on this connection works for ``council_id`` (None: for every council)."""
    _acting.council = council_id
    if connection.vendor != "postgresql":
        return
    value = "" if council_id is None else str(int(council_id))
    if connection.connection is None:
        if not value:
            return  # a connection yet to be made starts with no council
        connection.ensure_connection()
    raw = connection.connection
    if getattr(raw, "caremarket_council", "") == value:
        return  # already so: a provider's request costs no query
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, %s, false)", [SETTING, value])
    # Inside a transaction the setting goes back if it rolls back: then it is not known.
    raw.caremarket_council = None if connection.in_atomic_block else value


def reset(to: int | None = None) -> None:
    """Back to ``to`` (every council's rows); a connection in a failed transaction is closed instead."""
    _acting.council = to
    if connection.vendor != "postgresql" or connection.connection is None:
        return
    try:
        use_council(to)
    except Exception:  # noqa: BLE001 -- a broken connection must not serve the next person with a stale setting
        connection.close()


@contextmanager
def acting_for(council_id: int | None):
    """Work for ``council_id`` inside, then as before."""
    before = current()
    use_council(council_id)
    try:
        yield
    finally:
        reset(before)
