"""The client record system says a citizen died, or closes their assessment: their care's end
is proposed as a package change, which a person approves before it takes effect."""

import datetime as dt

from caremarket.accounts.roles import Role
from caremarket.events.models import Event
from caremarket.packages import from_client_records
from caremarket.packages.models import PackageChange
from caremarket.packages.services import decide_change
from caremarket.payments.tests.conftest import care_home  # noqa: F401 (fixture)
from caremarket.tendering.tests.conftest import broker, citizen  # noqa: F401 (fixtures)

from .conftest import make_package


def test_a_death_proposes_the_end_once_and_a_person_approves_it(citizen, care_home, broker, make_user,  # noqa: F811
                                                                  council):
    package = make_package(citizen, care_home, broker)
    assert from_client_records.propose_ends() == []  # nobody has died
    citizen.died_on = dt.date(2026, 11, 20)
    citizen.save()
    [change] = from_client_records.propose_ends()
    assert (change.kind, change.end_cause, change.effective_from, change.status) == (
        "end", "death", dt.date(2026, 11, 20), "proposed")
    assert change.requester == "The client record system" and "died on 20 November 2026" in change.reason
    assert from_client_records.propose_ends() == []  # asked once, however often it runs
    package.refresh_from_db()
    assert package.end_on is None  # nothing ends until a person approves
    decide_change(change, make_user(Role.FINANCE_OFFICER, council), approve=True)
    package.refresh_from_db()
    assert package.end_on is not None and PackageChange.objects.count() == 1
    ended = Event.objects.get(kind="package.ended")  # the council's other systems hear of it
    assert ended.data["change"]["end_cause"] == "death" and ended.citizen["person_id"] == citizen.reference
    assert citizen.family_name not in str(ended.data)  # a name only where personal data may go


def test_a_closed_assessment_proposes_the_end_as_no_longer_needed(citizen, care_home, broker):  # noqa: F811
    package = make_package(citizen, care_home, broker)
    assessment = package.requirement.assessment
    assessment.status = "closed"
    assessment.save()
    [change] = from_client_records.propose_ends()
    assert change.end_cause == "no_longer_needed" and "closed the assessment" in change.reason
