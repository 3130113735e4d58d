"""Inserting many rows fast, for the few places that take in hundreds of thousands at once
(the CQC register, a period's call-monitoring visits): PostgreSQL's COPY, or one prepared
INSERT run over every row on SQLite. No model object is built for each row."""

from __future__ import annotations

from django.db import connection

SQLITE_BATCH = 5_000


def insert_rows(model, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Insert ``rows`` (values in ``columns`` order, as the database stores them) into ``model``'s table."""
    if not rows:
        return
    quote = connection.ops.quote_name
    table, names = quote(model._meta.db_table), ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"
            for start in range(0, len(rows), SQLITE_BATCH):
                cursor.executemany(sql, rows[start:start + SQLITE_BATCH])
