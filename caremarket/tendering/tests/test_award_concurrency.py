"""Two commissioners press award at the same moment: PostgreSQL ends with one care package."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections

from caremarket.core import clock
from caremarket.packages.models import CarePackage
from caremarket.tendering import services

from .conftest import MONDAY_9AM, offer_from, raise_home_support


def test_many_simultaneous_awards_make_exactly_one_package(committed_db, citizen, broker, home_market):
    if connection.vendor != "postgresql":
        pytest.skip("needs a server database with concurrent connections")
    with clock.frozen(MONDAY_9AM):
        requirement = raise_home_support(citizen, broker)
        offer_from(requirement.tenders.get(), home_market["gold"])
    clock.set_time(MONDAY_9AM + dt.timedelta(hours=49))
    try:
        services.close_due_tenders()
        start, outcomes = threading.Barrier(8), []

        def press_award():
            try:
                start.wait()
                outcomes.append(services.award(requirement, broker).reference)
            except services.AlreadyAwarded as refused:
                outcomes.append(str(refused))
            finally:
                connections.close_all()

        threads = [threading.Thread(target=press_award) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        clock.set_time(None)
    assert CarePackage.objects.filter(requirement=requirement).count() == 1
    awarded = [o for o in outcomes if o.startswith("CP-")]
    assert len(awarded) == 1 and len(outcomes) == 8
    assert all("already awarded" in o for o in outcomes if o not in awarded)


@pytest.mark.django_db
def test_the_database_itself_refuses_a_second_package_for_a_requirement(citizen, broker, home_market):
    from django.db import IntegrityError, transaction

    with clock.frozen(MONDAY_9AM):
        requirement = raise_home_support(citizen, broker)
        offer_from(requirement.tenders.get(), home_market["gold"])
        clock.advance(dt.timedelta(hours=49))
        services.close_due_tenders()
        package = services.award(requirement, broker)
    package.pk, package.reference, package.offer = None, "CP-DUPLICATE", None
    with pytest.raises(IntegrityError), transaction.atomic():
        package.save()
