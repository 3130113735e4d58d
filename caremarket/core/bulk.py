"""Reading and inserting many rows fast, for the few places that take in hundreds of
thousands at once (the CQC register, a period's call-monitoring visits). No model object is
built for each row: at that scale the ORM's per-value work costs more than the rest."""

from __future__ import annotations

from django.db import connection

SQLITE_BATCH = 5_000
SQLITE_MOST_PARAMETERS = 30_000  # SQLite takes at most 32,766 in one statement


def insert_rows(model, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Insert ``rows`` (values in ``columns`` order, as the database stores them) into ``model``'s table."""
    if rows:
        insert_into(model._meta.db_table, columns, rows)


def insert_into(table: str, columns: tuple[str, ...], rows) -> None:
    """Insert ``rows`` (an iterable of tuples in ``columns`` order) into ``table``, which may be temporary."""
    quote = connection.ops.quote_name
    table, names = quote(table), ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            rows = list(rows)
            sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"
            for start in range(0, len(rows), SQLITE_BATCH):
                cursor.executemany(sql, rows[start:start + SQLITE_BATCH])


def rows_where_in(model, columns: tuple[str, ...], key: str, values: list, **equal) -> list[tuple]:
    """``columns`` of ``model``'s rows whose ``key`` is one of ``values`` (and each of ``equal``'s
    columns has its value). PostgreSQL takes the values as one array parameter, which plans far
    faster than thousands; SQLite takes them in chunks under its parameter limit."""
    quote = connection.ops.quote_name
    select = (f"SELECT {', '.join(quote(c) for c in columns)} FROM {quote(model._meta.db_table)} WHERE "
              + "".join(f"{quote(c)} = %s AND " for c in equal))
    fixed = list(equal.values())
    found = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"{select}{quote(key)} = ANY(%s)", [*fixed, list(values)])
            return cursor.fetchall()
        step = SQLITE_MOST_PARAMETERS - len(fixed)
        for start in range(0, len(values), step):
            chunk = values[start:start + step]
            cursor.execute(f"{select}{quote(key)} IN ({', '.join(['%s'] * len(chunk))})", [*fixed, *chunk])
            found.extend(cursor.fetchall())
    return found


def create_all(model, objects: list) -> list:
    """Insert new ``objects`` of ``model`` as bulk_create does, with far less work for each value:
    the ids are taken in one block and the rows sent with COPY (PostgreSQL) or executemany
    (SQLite), with no SQL built for each value and plain values passed as they are. For
    loading in bulk (the demo market): no signals and no save(); the objects must not have ids.
    A council's record takes its parent's council, as its save() would (organisations.councils)."""
    if not objects:
        return objects
    for obj in objects:
        if getattr(obj, "council_from", None) and obj.council_id is None:
            obj.council_id = obj.council_of_parent()
    meta, quote = model._meta, connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                           [meta.db_table, meta.pk.column, len(objects)])
            ids = [row[0] for row in cursor.fetchall()]
        else:  # SQLite has one writer at a time: the ids after the largest are free until this commits
            cursor.execute(f"SELECT coalesce(max({quote(meta.pk.column)}), 0) FROM {quote(meta.db_table)}", [])
            first = cursor.fetchone()[0] + 1
            ids = range(first, first + len(objects))
    for obj, pk in zip(objects, ids):
        obj.pk = pk
        obj._state.adding, obj._state.db = False, connection.alias
    readers = [_reader(f) for f in meta.concrete_fields]
    insert_into(meta.db_table, tuple(f.column for f in meta.concrete_fields),
                [tuple(read(obj) for read in readers) for obj in objects])
    return objects


_AS_THEY_ARE = {"AutoField", "BigAutoField", "BigIntegerField", "BooleanField", "ForeignKey", "IntegerField",
                "OneToOneField", "PositiveIntegerField", "PositiveSmallIntegerField", "SmallIntegerField"}
_AS_TEXT = {"CharField", "EmailField", "SlugField", "TextField"}
# psycopg adapts these itself; SQLite needs Django's conversion (ISO text, naive UTC).
_AS_THEY_ARE_ON_POSTGRESQL = {"DateField", "DateTimeField", "DecimalField"}


def _reader(field):
    """How a field's value is taken from an object for the database: as it is where the driver
    takes it, as text for text (a choice is a str subclass), else Django's own conversion."""
    kind, name = field.get_internal_type(), field.attname
    automatic = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    if kind in _AS_THEY_ARE or (kind in _AS_THEY_ARE_ON_POSTGRESQL and connection.vendor == "postgresql"
                                and not automatic):
        return lambda obj: getattr(obj, name)
    if kind in _AS_TEXT:
        return lambda obj: value if (value := getattr(obj, name)) is None or type(value) is str else str(value)
    return lambda obj: field.get_db_prep_save(field.pre_save(obj, True), connection)
