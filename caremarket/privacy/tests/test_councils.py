"""Each council keeps its own retention schedule: its citizens go by its own periods, its data
protection officer sees and changes its own, and what no council owns alone (copies of e-mails)
is kept for the longest period any council sets."""

import datetime as dt

from caremarket.accounts.models import SentEmail
from caremarket.accounts.roles import Role
from caremarket.citizens.models import Assessment, Citizen
from caremarket.core import clock
from caremarket.privacy import retention
from caremarket.privacy.models import RetentionRule
from caremarket.reference.models import ServiceType


def _assessed_long_ago(council, reference):
    citizen = Citizen.objects.create(council=council, reference=reference, given_name="Old", family_name="Record",
                                     date_of_birth=dt.date(1930, 1, 1), address="1 Road", postcode="B1 1AA")
    Assessment.objects.create(citizen=citizen, assessed_on=dt.date(2010, 1, 1), eligible_needs="Help",
                              outcomes="Home", service_type=ServiceType.objects.get(code="home-support"))
    return citizen


def test_each_council_keeps_its_citizens_by_its_own_schedule(council, neighbour, make_user, signed_in):
    assert RetentionRule.objects.filter(council=neighbour).count() == RetentionRule.objects.filter(
        council=council).count() > 0  # a council set up later starts from the first council's schedule
    ours, theirs = _assessed_long_ago(council, "CM0000001"), _assessed_long_ago(neighbour, "SW0000001")
    dpo = signed_in(make_user(Role.DATA_PROTECTION_OFFICER, council, username="dpo@council.test"))
    response = dpo.post("/data-protection/retention/citizen/", {
        "years": "30", "months": "0", "legal_reason": "Historic abuse inquiry", "source": "Inquiry direction"})
    assert response.status_code == 302
    assert RetentionRule.objects.get(council=neighbour, kind="citizen").years == 8  # theirs unchanged
    SentEmail.objects.create(to_address="someone@example.test", subject="Old", body="Old",
                             sent_at=dt.datetime(2020, 1, 1, tzinfo=clock.LONDON))
    RetentionRule.objects.filter(council=neighbour, kind="email").update(years=10)
    for owner in (council, neighbour):
        retention.apply(today=dt.date(2026, 12, 1), council_id=owner.pk)
    ours.refresh_from_db()
    theirs.refresh_from_db()
    assert ours.anonymised_on is None and ours.family_name == "Record"  # kept thirty years by its council
    assert theirs.anonymised_on == dt.date(2026, 12, 1)  # eight years by its own
    assert SentEmail.objects.filter(subject="Old").exists()  # ten years: the longest any council keeps it
    assert "30 years" in dpo.get("/data-protection/").content.decode()
    their_dpo = signed_in(make_user(Role.DATA_PROTECTION_OFFICER, neighbour, username="dpo@neighbour.test"))
    assert "30 years" not in their_dpo.get("/data-protection/").content.decode()
