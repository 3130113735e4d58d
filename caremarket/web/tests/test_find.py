"""The header's search: a reference goes straight to its record; a name lists what matches,
grouped by kind; a provider finds only its own records and never a citizen."""

import pytest

from caremarket.accounts.roles import Role
from caremarket.citizens.models import RecordAccess
from caremarket.packages.tests.conftest import make_package
from caremarket.payments.tests.conftest import care_home  # noqa: F401
from caremarket.tendering.tests.conftest import broker, citizen  # noqa: F401


@pytest.fixture
def package(citizen, care_home, broker):  # noqa: F811
    return make_package(citizen, care_home, broker)


def test_a_reference_goes_straight_to_its_record(package, broker, signed_in):  # noqa: F811
    client = signed_in(broker)
    assert client.get(f"/find/?q={package.reference.lower()}")["Location"] == f"/care-packages/{package.pk}/"
    assert client.get(f"/find/?q={package.requirement.reference}")["Location"] == \
        f"/brokerage/{package.requirement_id}/"


def test_a_name_lists_citizens_and_organisations_and_the_look_is_logged(package, broker, signed_in):  # noqa: F811
    from caremarket.citizens.models import Citizen

    client = signed_in(broker)
    assert client.get("/find/?q=Quigglesworth")["Location"].startswith("/citizens/")  # one match: straight there
    assert client.get("/find/?q=Elmfield")["Location"] == f"/organisations/{package.organisation_id}/"
    Citizen.objects.create(reference="BCC-000002", given_name="Ada", family_name="Quigglesworth",
                           date_of_birth="1950-01-01", address="2 Larkspur Crescent", postcode="B23 6AA")
    page = client.get("/find/?q=quigglesworth").content.decode()
    assert "Zebedee Quigglesworth" in page and "Ada Quigglesworth" in page
    assert "Nothing you can see matches" in client.get("/find/?q=Nobody-at-all").content.decode()
    assert RecordAccess.objects.filter(person=broker).exists()


def test_a_provider_finds_its_own_package_but_never_a_citizen(package, make_user, signed_in):
    client = signed_in(make_user(Role.PROVIDER_ADMIN, package.organisation, username="elm@provider.test"))
    assert client.get(f"/find/?q={package.reference}")["Location"] == f"/care-packages/{package.pk}/"
    page = client.get("/find/?q=Quigglesworth").content.decode()
    assert "Nothing you can see matches" in page and "BCC-778899" not in page
