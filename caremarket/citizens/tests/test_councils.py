"""Two councils on one install: each council's citizens are its own, through every way in (the
list, a record, the header's search, the API, the client record system's batches)."""

import datetime as dt
import json

import pytest

from caremarket.accounts.permissions import for_council
from caremarket.accounts.roles import Role
from caremarket.citizens.models import Citizen, the_only_council
from caremarket.organisations.models import Organisation


def _citizen(council, given, family):
    return Citizen.objects.create(council=council, reference="CM0000001", given_name=given, family_name=family,
                                  date_of_birth=dt.date(1940, 1, 1), address="1 High Street", postcode="B23 6SD")


@pytest.fixture
def both(council, neighbour):
    return _citizen(council, "Ours", "Here"), _citizen(neighbour, "Theirs", "Elsewhere")


def test_each_councils_staff_see_only_its_citizens(both, council, neighbour, make_user, signed_in):
    ours, theirs = both
    worker = signed_in(make_user(Role.SOCIAL_WORKER, council, username="sw@ours.test"))
    listed = worker.get("/citizens/").content.decode()
    assert "Ours Here" in listed and "Elsewhere" not in listed
    assert worker.get(f"/citizens/{ours.pk}/").status_code == 200
    assert worker.get(f"/citizens/{theirs.pk}/").status_code == 404
    assert "Theirs" not in worker.get("/find/", {"q": "Elsewhere"}).content.decode()
    api = worker.get("/api/citizens").json()
    assert [c["reference"] for c in api["items"]] == ["CM0000001"] and api["count"] == 1
    assert worker.get(f"/api/citizens/{theirs.pk}").status_code == 404

    theirs_worker = signed_in(make_user(Role.SOCIAL_WORKER, neighbour, username="sw@theirs.test"))
    assert theirs_worker.get(f"/citizens/{theirs.pk}/").status_code == 200
    assert theirs_worker.get(f"/citizens/{ours.pk}/").status_code == 404


def test_a_client_record_system_sends_its_own_councils_people(both, council, neighbour, make_user, signed_in):
    ours, theirs = both
    sender = signed_in(make_user(Role.SOCIAL_WORKER, neighbour, username="crs@theirs.test"))
    person = {"person_id": "CM0000001", "given_name": "Theirs", "family_name": "Moved", "date_of_birth": "1940-01-01",
              "address": "2 New Road", "postcode": "B23 6SD"}
    answer = sender.post("/api/client-records/people", json.dumps({"people": [person]}),
                         content_type="application/json")
    assert answer.status_code == 200, answer.content
    ours.refresh_from_db(), theirs.refresh_from_db()
    assert (ours.family_name, theirs.family_name) == ("Here", "Moved")  # the same number, two people


def test_the_scoping_rule_gives_nothing_of_another_council_and_nothing_to_a_provider(both, council, make_user,
                                                                                     provider):
    ours, _ = both
    assert list(for_council(Citizen.objects.all(), make_user(Role.FINANCE_OFFICER, council))) == [ours]
    assert not for_council(Citizen.objects.all(), make_user(Role.PROVIDER_ADMIN, provider)).exists()


def test_one_council_need_not_be_said_and_two_must_be(council):
    second = Organisation.objects.create(kind=Organisation.Kind.COUNCIL, name="Sandwell Council")
    with pytest.raises(ValueError, match="Say which council this belongs to: this install runs several"):
        the_only_council()
    Organisation.objects.filter(pk=second.pk).update(kind=Organisation.Kind.PROVIDER)  # one council again
    assert the_only_council() == council.pk


def test_a_councils_data_protection_officer_finds_and_exports_only_its_citizens(both, council, make_user,
                                                                               signed_in):
    ours, theirs = both
    officer = signed_in(make_user(Role.DATA_PROTECTION_OFFICER, council, username="dpo@ours.test"))
    found = officer.get("/data-protection/find/", {"whom": "citizen", "reference": "CM0000001"}).content.decode()
    assert "Ours Here" in found and "Theirs" not in found
    assert officer.get(f"/data-protection/citizen/{theirs.pk}/subject-access.json").status_code == 404
    assert officer.get(f"/data-protection/citizen/{ours.pk}/subject-access.json").status_code == 200
