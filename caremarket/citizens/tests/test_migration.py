"""An install from before councils were tenants becomes its one council's, in place: every citizen
its council's (or, with no council recorded, a council made from the install's name), no row
copied, and the audit trail still verifying."""

import datetime as dt

from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor

from caremarket.audit.trail import record, seal, verify

BEFORE = [("citizens", "0004_citizen_anonymised_on")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


def _latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def _citizens_from_before():
    """Three citizens made as the install before stored them, then migrated: (their ids, the apps now)."""
    latest = _latest()
    try:
        Citizen = _migrate(BEFORE).get_model("citizens", "Citizen")
        ids = [Citizen.objects.create(reference=f"CM{n}", given_name="Ada", family_name=f"Lovelace{n}",
                                      date_of_birth=dt.date(1940, 1, 1), address="1 High Street",
                                      postcode="B1 1AA").pk for n in range(3)]
        return ids, _migrate(latest)
    finally:
        _migrate(latest)


def test_every_citizen_becomes_its_councils_and_the_audit_trail_still_verifies(committed_db, council):
    with transaction.atomic():
        record("before", "organisation.checked", council, reason="an event from before")
    seal()
    ids, new = _citizens_from_before()
    Citizen = new.get_model("citizens", "Citizen")
    assert set(Citizen.objects.filter(pk__in=ids).values_list("council_id", flat=True)) == {council.pk}
    assert verify() == []


def test_an_install_with_citizens_and_no_council_recorded_gets_one_named_as_it_is(committed_db, settings):
    settings.COUNCIL_NAME = "Anytown Borough Council"
    ids, new = _citizens_from_before()
    citizens = new.get_model("citizens", "Citizen").objects.filter(pk__in=ids).select_related("council")
    assert {(c.council.name, c.council.kind) for c in citizens} == {("Anytown Borough Council", "council")}
