"""The care package moved into its own app by renaming tables, never copying rows: a database
that held packages, their changes, funding and a hand-back's link migrates with all of them
intact, and the package's old audit history still reads as its own."""

import datetime as dt
from decimal import Decimal

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("tendering", "0004_eligibility_at_every_step"), ("payments", "0004_upload_error_count"),
          ("citizens", "0006_a_council_for_every_citizen")]  # before assessments had a council
AT = timezone.make_aware(dt.datetime(2026, 10, 1, 9, 0))


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    applied = [target for target in targets if target[1] is not None]  # (app, None): none of its migrations
    return MigrationExecutor(connection).loader.project_state(applied).apps


def _latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


LATER = {"outcomes", "privacy"}  # apps made after the move, on top of payments: not there yet


def _before_the_move():
    """Every other app as it is now; tendering and payments as they were; no packages app, nor
    the apps made later on top of them."""
    moved = {app for app, _ in BEFORE} | {"packages"} | LATER
    return BEFORE + [(app, None) for app in sorted(LATER)] + [
        (app, name) for app, name in _latest() if app not in moved]


def _market_before_the_move(old):
    """Two packages (one handed back and re-placed), a change and funding, as stored before."""
    User, Organisation = old.get_model("accounts", "User"), old.get_model("organisations", "Organisation")
    council = Organisation.objects.create(kind="council", name="Birmingham City Council")
    broker = User.objects.create(username="broker@council.test", role="broker", organisation=council)
    provider = Organisation.objects.create(kind="provider", name="Elmfield House")
    home = old.get_model("organisations", "CareLocation").objects.create(
        organisation=provider, cqc_location_id="1-400000001", name="Elmfield House")
    citizen = old.get_model("citizens", "Citizen").objects.create(
        reference="BC1", given_name="Ada", family_name="Lovelace", date_of_birth=dt.date(1940, 1, 1),
        address="1 High Street", postcode="B1 1AA")
    service = old.get_model("reference", "ServiceType").objects.get(code="residential-care")
    area = old.get_model("geography", "Area").objects.get(code="north")
    assessment = old.get_model("citizens", "Assessment").objects.create(
        citizen=citizen, assessed_on=dt.date(2026, 9, 1), service_type=service, eligible_needs="24-hour care",
        outcomes="To live safely")
    Requirement, Package = old.get_model("tendering", "CareRequirement"), old.get_model("tendering", "CarePackage")
    packages = []
    for number, replaces in ((1, None), (2, "first")):
        requirement = Requirement.objects.create(
            reference=f"CR-00000{number}", assessment=assessment, citizen=citizen, service_type=service, area=area,
            eligible_needs="24-hour care", outcomes="To live safely", start_on=dt.date(2026, 10, 1),
            raised_by=broker, raised_at=AT, replaces=packages[0] if replaces else None)
        packages.append(Package.objects.create(
            reference=f"CP-00000{number}", requirement=requirement, organisation=provider, location=home,
            route="micro_tender", weekly_price_pence=82500, start_on=dt.date(2026, 10, 1), awarded_by=broker,
            awarded_at=AT))
    old.get_model("payments", "PackageChange").objects.create(
        package=packages[0], kind="end", effective_from=dt.date(2026, 10, 20), end_cause="handed_back",
        reason="Handed back", status="approved", requested_by=broker, requested_at=AT)
    old.get_model("payments", "PackageFunding").objects.create(
        package=packages[1], nhs_percent=Decimal("50.00"), nhs_funder="NHS Birmingham and Solihull")
    old.get_model("audit", "AuditEvent").objects.create(
        sequence=999_001, occurred_at=AT, actor_label="broker", action="care_package.awarded",
        object_type="tendering.carepackage", object_id=str(packages[0].pk), object_label="CP-000001",
        hash="a" * 64, previous_hash="b" * 64)
    return [package.pk for package in packages]


def test_packages_changes_and_funding_survive_the_move_with_their_links(committed_db):
    latest = _latest()
    try:
        ids = _market_before_the_move(_migrate(_before_the_move()))
        new = _migrate(latest)
    finally:
        _migrate(latest)
    Package = new.get_model("packages", "CarePackage")
    first, second = (Package.objects.get(pk=pk) for pk in ids)
    assert (first.reference, second.reference) == ("CP-000001", "CP-000002")
    assert new.get_model("tendering", "CareRequirement").objects.get(reference="CR-000002").replaces_id == first.pk
    change = new.get_model("packages", "PackageChange").objects.get()
    assert (change.package_id, change.end_cause, change.status) == (first.pk, "handed_back", "approved")
    assert new.get_model("packages", "PackageFunding").objects.get().package_id == second.pk
    # Each row became its citizen's council's in place (issue 30): the assessment, requirements and packages.
    council = new.get_model("citizens", "Citizen").objects.get().council_id
    assert {first.council_id, second.council_id, change.council_id} == {council}
    assert set(new.get_model("tendering", "CareRequirement").objects.values_list("council", flat=True)) == {council}
    assert new.get_model("citizens", "Assessment").objects.get().council_id == council
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
    assert {"packages_carepackage", "packages_packagechange", "packages_packagefunding"} <= tables
    assert not tables & {"tendering_carepackage", "payments_packagechange", "payments_packagefunding"}

    from caremarket.audit.trail import history
    from caremarket.packages.models import CarePackage

    assert [event.action for event in history(CarePackage.objects.get(pk=first.pk))] == ["care_package.awarded"]
