"""The care package list as people use it all day: paged with counts, filtered, searched,
sorted and downloaded, never cut off; a provider finds only its own, and never by a name."""

import csv
import io
import re

import pytest

from caremarket.accounts.roles import Role
from caremarket.citizens.models import RecordAccess
from caremarket.payments.tests.conftest import care_home  # noqa: F401 (fixture)
from caremarket.tendering.tests.conftest import approved_provider, broker, citizen  # noqa: F401 (fixtures)

from .conftest import make_package


@pytest.fixture
def sixty_packages(citizen, care_home, broker):  # noqa: F811
    made = [make_package(citizen, care_home, broker, weekly_price_pence=80000 + n * 100, reference=f"CR-{n:06d}")
            for n in range(1, 61)]
    made[0].status = "ended"
    made[0].save()
    return made


@pytest.fixture
def finance(make_user, council):
    return make_user(Role.FINANCE_OFFICER, council, username="finance@council.test")


def test_every_package_is_reachable_fifty_to_a_page_with_counts(sixty_packages, finance, signed_in):
    client = signed_in(finance)
    first = client.get("/care-packages/").content.decode()
    assert "Showing <b>1</b> to <b>50</b> of <b>60</b> care packages" in first
    assert len(re.findall(r'href="/care-packages/\d+/"', first)) == 50
    second = client.get("/care-packages/?page=2").content.decode()
    assert "Showing <b>51</b> to <b>60</b> of <b>60</b>" in second
    assert "Showing <b>51</b> to <b>60</b>" in client.get("/care-packages/?page=99").content.decode()


def test_filters_search_and_sort_narrow_the_list(sixty_packages, finance, signed_in):
    client = signed_in(finance)
    assert "of <b>1</b> care packages" in client.get("/care-packages/?status=ended").content.decode()
    assert "of <b>59</b> care packages" in client.get("/care-packages/?status=active").content.decode()
    found = client.get("/care-packages/?q=cp-000007").content.decode()
    assert "of <b>1</b> care packages" in found and "CP-000007" in found
    by_name = client.get("/care-packages/?q=Quigglesworth").content.decode()
    assert "of <b>60</b> care packages" in by_name
    dearest = client.get("/care-packages/?sort=-price").content.decode()
    assert dearest.index("CP-000060") < dearest.index("CP-000059")
    assert 'aria-sort="descending"' in dearest


def test_a_wrong_filter_is_named_and_the_list_still_answers(sixty_packages, finance, signed_in):
    page = signed_in(finance).get("/care-packages/?area=99999999&status=nonsense&sort=password")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Select a valid choice" in text and "of <b>60</b> care packages" in text


def test_the_download_holds_exactly_what_is_filtered_and_no_names(sixty_packages, finance, signed_in):
    response = signed_in(finance).get("/care-packages/?status=active&format=csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:3] == ["Package", "Requirement", "Provider"]
    assert len(rows) == 1 + 59 and "CP-000001" not in {row[0] for row in rows}
    assert "Quigglesworth" not in str(rows)


def test_a_provider_finds_only_its_own_and_never_by_a_citizens_name(sixty_packages, make_user, signed_in):
    other = approved_provider("Acorn Home Care", "1-500000001", make_user=make_user)
    client = signed_in(make_user(Role.PROVIDER_ADMIN, other, username="acorn@provider.test"))
    assert "of <b>" not in client.get("/care-packages/").content.decode()
    own = signed_in(make_user(Role.PROVIDER_ADMIN, sixty_packages[0].organisation, username="elm@provider.test"))
    page = own.get("/care-packages/?q=Quigglesworth").content.decode()
    assert "No care packages match" in page and "CP-0000" not in page
    assert "of <b>60</b> care packages" in own.get("/care-packages/").content.decode()


def test_the_council_looking_at_the_list_is_logged_for_the_citizens_shown(sixty_packages, finance, signed_in):
    signed_in(finance).get("/care-packages/")
    access = RecordAccess.objects.get(person=finance)
    assert access.kind == RecordAccess.Kind.LIST and access.shown.count() == 1  # one citizen, sixty packages
