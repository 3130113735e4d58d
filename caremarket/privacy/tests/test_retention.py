"""The retention schedule over years of generated records: exactly what the schedule says goes,
on both databases, with the money and the audit trail as they were."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db.models import Sum

from caremarket.accounts.models import SentEmail
from caremarket.audit.trail import seal, verify
from caremarket.citizens.models import Citizen, RecordAccess
from caremarket.core import clock
from caremarket.events.models import Event
from caremarket.outcomes.models import Carer
from caremarket.payments.models import PaymentLine, Visit
from caremarket.privacy import retention
from caremarket.privacy.models import LegalHold, RetentionRule, RetentionRun
from caremarket.privacy.retention_rules import cut_off, has_passed, last_service


def _citizens_due(as_of: dt.date) -> set[str]:
    """What the pure rule says, from each citizen's facts, independently of the database query."""
    due = set()
    for citizen in Citizen.objects.all():
        ends = [r.package.end_on for r in citizen.requirements.select_related("package")]
        last = last_service(ends, [a.assessed_on for a in citizen.assessments.all()])
        if has_passed(last, as_of, 8):
            due.add(citizen.reference)
    return due


def _money() -> tuple:
    return (PaymentLine.objects.aggregate(total=Sum("amount_pence"))["total"],
            Visit.objects.aggregate(total=Sum("amount_pence"))["total"], PaymentLine.objects.count(),
            Visit.objects.count())


def _whole_database() -> str:
    out = io.StringIO()
    call_command("dumpdata", "--natural-foreign", stdout=out)
    return out.getvalue()


def test_over_the_years_exactly_what_has_passed_its_period_goes_and_the_books_still_add_up(years_of_records):
    money = _money()
    looks = {a.pk: clock.local(a.at).date() for a in RecordAccess.objects.all()}
    emails = {e.pk: (clock.local(e.sent_at).date(), e.to_address) for e in SentEmail.objects.all()}
    seen_anonymised = set()
    for as_of in (dt.date(2030, 3, 31), dt.date(2033, 6, 30), dt.date(2036, 12, 31), dt.date(2042, 1, 1)):
        expected = _citizens_due(as_of)
        run = retention.apply(today=as_of)

        anonymised = set(Citizen.objects.filter(anonymised_on__isnull=False).values_list("reference", flat=True))
        assert anonymised == expected | seen_anonymised
        assert run.removed["citizen"] == len(anonymised - seen_anonymised)
        seen_anonymised = anonymised
        carers_gone = set(Carer.objects.filter(anonymised_on__isnull=False).values_list("reference", flat=True))
        assert carers_gone == {c.reference for c in years_of_records["carers"].values()
                               if has_passed(c.left_on, as_of, 6)}
        assert set(RecordAccess.objects.values_list("pk", flat=True)) == {
            pk for pk, day in looks.items() if not has_passed(day, as_of, 8)}
        addresses_gone = {f"carer{c.split('-')[1].lstrip('0')}@example.test" for c in carers_gone}
        assert set(SentEmail.objects.values_list("pk", flat=True)) == {  # and those to a carer anonymised
            pk for pk, (day, to) in emails.items() if not has_passed(day, as_of, 2) and to not in addresses_gone}
        cut = cut_off(as_of, 0, 3)
        assert not Event.objects.filter(citizen__isnull=False, occurred_at__date__lte=cut).exists()

        assert _money() == money  # every payment line and visit, to the penny
        seal()
        assert verify() == []

    assert Citizen.objects.filter(anonymised_on__isnull=True).count() == 6  # their care is still open
    everything = _whole_database()
    for citizen in Citizen.objects.filter(anonymised_on__isnull=False):
        number = int(citizen.reference.split("-")[1])
        for marker in (f"Given{number}x", f"Family{number}x", f"Marker Road{number}x", f"Needs{number}x",
                       f"Prefers{number}x", f"Query{number}x", f"{number:010d}"):
            assert marker not in everything, marker
    for carer in Carer.objects.filter(anonymised_on__isnull=False):
        number = int(carer.reference.split("-")[1])
        for marker in (f"Carer{number}x", f"Surname{number}x", f"Mother{number}x", f"carer{number}@example.test"):
            assert marker not in everything, marker


def test_an_anonymised_citizen_keeps_what_statistics_need_and_nothing_that_names_them(years_of_records):
    retention.apply(today=dt.date(2042, 1, 1))
    citizen = Citizen.objects.filter(anonymised_on__isnull=False).first()
    assert (citizen.given_name, citizen.family_name, citizen.nhs_number, citizen.address) == (
        "Anonymised", "record", "", "")
    assert citizen.date_of_birth.month == citizen.date_of_birth.day == 1 and citizen.postcode == "B23"
    assert citizen.requirements.get().package.visits.get().amount_pence > 0  # the money, as it was


def test_a_dry_run_counts_what_would_go_and_changes_nothing(years_of_records):
    before = _whole_database()
    dry = retention.apply(today=dt.date(2036, 12, 31), dry_run=True)
    assert _whole_database().count("Anonymised") == before.count("Anonymised")
    assert Citizen.objects.filter(anonymised_on__isnull=False).count() == 0
    real = retention.apply(today=dt.date(2036, 12, 31))
    assert real.removed == dry.removed and sum(real.removed.values()) > 0


def test_a_second_run_changes_nothing_the_first_got_right(years_of_records):
    retention.apply(today=dt.date(2036, 12, 31))
    after_first = _whole_database()
    again = retention.apply(today=dt.date(2036, 12, 31))
    assert set(again.removed.values()) == {0}
    assert _whole_database().count("Anonymised") == after_first.count("Anonymised")


def test_a_legal_hold_keeps_a_citizen_and_a_carer_until_it_is_lifted(years_of_records, broker):
    due = sorted(_citizens_due(dt.date(2042, 1, 1)))[0]
    citizen = Citizen.objects.get(reference=due)
    carer = Carer.objects.filter(left_on__isnull=False).first()
    holds = [LegalHold.objects.create(citizen=citizen, reason="Claim 2041/77", placed_by=broker, placed_at=clock.now()),
             LegalHold.objects.create(carer=carer, reason="Inquiry", placed_by=broker, placed_at=clock.now())]
    run = retention.apply(today=dt.date(2042, 1, 1))
    assert run.held == {"citizen": 1, "carer": 1, "access_log": 0, "email": 0, "event_details": 0}
    citizen.refresh_from_db(), carer.refresh_from_db()
    assert citizen.given_name == f"Given{int(due.split('-')[1])}x" and carer.anonymised_on is None
    LegalHold.objects.filter(pk__in=[h.pk for h in holds]).update(lifted_at=clock.now(), lifted_by=broker)
    retention.apply(today=dt.date(2042, 1, 1))
    citizen.refresh_from_db(), carer.refresh_from_db()
    assert citizen.anonymised_on and carer.anonymised_on


def test_the_council_changes_a_period_and_the_next_run_follows_it(years_of_records):
    RetentionRule.objects.filter(kind="citizen").update(years=50)
    assert retention.apply(today=dt.date(2042, 1, 1)).removed["citizen"] == 0
    RetentionRule.objects.filter(kind="citizen").update(years=1)
    assert retention.apply(today=dt.date(2042, 1, 1)).removed["citizen"] == 18


def test_the_command_shows_progress_and_refuses_a_date_that_is_not_one(years_of_records):
    out = io.StringIO()
    call_command("apply_retention", "--dry-run", "--as-of", "2036-12-31", stdout=out)
    assert "A citizen's record:" in out.getvalue() and "would go" in out.getvalue()
    assert RetentionRun.objects.get().dry_run
    with pytest.raises(Exception, match="--as-of: '31/12/2036' is not a date written YYYY-MM-DD"):
        call_command("apply_retention", "--as-of", "31/12/2036")


def test_an_anonymised_citizens_record_says_so_and_shows_only_the_year_of_birth(years_of_records, signed_in, broker):
    retention.apply(today=dt.date(2042, 1, 1))
    citizen = Citizen.objects.filter(anonymised_on__isnull=False).first()
    page = signed_in(broker).get(f"/citizens/{citizen.pk}/").content.decode()
    assert "Anonymised on 1 January 2042 under the retention schedule" in page
    assert f"Born in {citizen.date_of_birth.year}" in page
    assert f"1 January {citizen.date_of_birth.year}" not in page
