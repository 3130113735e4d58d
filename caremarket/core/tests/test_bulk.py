"""Loading in bulk without the ORM's per-value work: what goes in comes back the same."""

from decimal import Decimal

from caremarket.core import clock
from caremarket.core.bulk import create_all, insert_into, rows_where_in
from caremarket.organisations.models import Organisation


def test_created_objects_get_ids_and_read_back_as_they_were_made(db):
    Organisation.objects.create(kind=Organisation.Kind.PROVIDER, name="Already here")
    made = create_all(Organisation, [
        Organisation(kind=Organisation.Kind.PROVIDER, name=f"Provider {n}", address="1 High Street\nBirmingham",
                     council_funded_weekly_hours=Decimal("12.50"), is_out_of_city=n % 2 == 0) for n in range(3)])
    assert len({o.pk for o in made}) == 3 and all(o.pk for o in made)
    for organisation in made:
        stored = Organisation.objects.get(pk=organisation.pk)
        assert (stored.name, stored.address, stored.council_funded_weekly_hours, stored.is_out_of_city) == (
            organisation.name, organisation.address, Decimal("12.50"), organisation.is_out_of_city)
    later = Organisation.objects.create(kind=Organisation.Kind.PROVIDER, name="Made afterwards")
    assert later.pk > max(o.pk for o in made)  # the database's own numbering carries on after them


def test_rows_go_into_a_temporary_table_and_are_found_by_key(db):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE bulk_probe (n integer, said text, on_day date)", [])
    insert_into("bulk_probe", ("n", "said", "on_day"), [(n, f"row {n}", clock.today()) for n in range(5)])
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), min(said), max(n) FROM bulk_probe", [])
        assert cursor.fetchone() == (5, "row 0", 4)
        cursor.execute("DROP TABLE bulk_probe", [])
    assert rows_where_in(Organisation, ("name",), "name", ["nobody"]) == []
