"""People and assessments in from the client record system: checked whole, stored as upserts on
the sender's keys, the same batch or file twice changing nothing, and a change to an assessment
care has been arranged from since waiting for a person."""

import datetime as dt
import json

import pytest
from django.core.management import CommandError, call_command
from hypothesis import given
from hypothesis import strategies as st

from caremarket.accounts.roles import Role
from caremarket.audit.models import AuditEvent
from caremarket.citizens import intake
from caremarket.citizens.client_records import nhs_number_problem
from caremarket.citizens.models import Assessment, Citizen, WaitingChange
from caremarket.core import clock
from caremarket.geography.models import Area
from caremarket.tendering.models import CareRequirement

VALID_NHS = "9434765919"
PEOPLE = [
    {"person_id": "P100", "given_name": "Ada", "family_name": "Lovelace", "date_of_birth": "1940-12-10",
     "nhs_number": VALID_NHS, "address": "1 Engine Row", "postcode": "b23 6sd", "ward": "", "social_worker": ""},
    {"person_id": "P101", "given_name": "Alan", "family_name": "Turing", "date_of_birth": "1942-06-23",
     "address": "2 Bletchley Road", "postcode": "B13 9AB"},
]
ASSESSMENTS = [
    {"assessment_id": "A-1", "person_id": "P100", "assessed_on": "2026-11-02", "service_type": "home-support",
     "need_groups": "older-people", "eligible_needs": "Help to wash and dress", "outcomes": "To stay at home",
     "weekly_hours": "10.5", "status": "awaiting_service"},
]


def _post(client, kind, rows, key=None):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post(f"/api/client-records/{kind}", json.dumps({kind: rows}), content_type="application/json",
                       **headers)


@pytest.fixture
def sender(make_user, council, signed_in):
    return signed_in(make_user(Role.SOCIAL_WORKER, council))


def test_a_valid_nhs_number_passes_and_a_miscopied_one_fails():
    assert nhs_number_problem(VALID_NHS) is None
    assert "check digit" in nhs_number_problem("9434765918")
    assert nhs_number_problem("943476591") == "must be 10 digits"


@given(st.lists(st.integers(0, 9), min_size=9, max_size=9), st.integers(0, 8), st.integers(1, 9))
def test_the_check_digit_catches_any_single_miscopied_digit(digits, place, shift):
    total = sum(d * w for d, w in zip(digits, range(10, 1, -1)))
    check = (11 - total % 11) % 11
    if check == 10:  # such numbers are never issued
        return
    number = "".join(map(str, digits)) + str(check)
    assert nhs_number_problem(number) is None
    wrong = list(number)
    wrong[place] = str((int(wrong[place]) + shift) % 10)
    assert nhs_number_problem("".join(wrong)) is not None


def test_the_same_batch_twice_changes_nothing_and_the_same_key_answers_the_same(sender):
    first = _post(sender, "people", PEOPLE, key="batch-1")
    assert first.status_code == 200 and first.json() == {"created": 2, "updated": 0, "unchanged": 0, "waiting": 0}
    ada = Citizen.objects.get(reference="P100")
    assert (ada.postcode, ada.nhs_number, ada.date_of_birth) == ("B23 6SD", VALID_NHS, dt.date(1940, 12, 10))
    events = AuditEvent.objects.count()
    assert _post(sender, "people", PEOPLE, key="batch-1").json() == first.json()  # remembered: nothing done
    again = _post(sender, "people", PEOPLE)  # without a key: the upserts find nothing to change
    assert again.json() == {"created": 0, "updated": 0, "unchanged": 2, "waiting": 0}
    assert AuditEvent.objects.count() == events and Citizen.objects.count() == 2
    reused = _post(sender, "people", PEOPLE[:1], key="batch-1")
    assert reused.status_code == 422 and "used for a different batch" in reused.json()["errors"][0]["message"]
    moved = _post(sender, "people", [{**PEOPLE[1], "postcode": "B1 1AA"}])
    assert moved.json()["updated"] == 1 and Citizen.objects.get(reference="P101").postcode == "B1 1AA"


def test_a_batch_with_bad_rows_is_refused_whole_with_each_field_named(sender):
    bad = [PEOPLE[0], {**PEOPLE[1], "date_of_birth": "1942-02-30", "nhs_number": "9434765918"},
           {**PEOPLE[0], "given_name": "Ada again"}, {"person_id": "P102", "given_name": "X", "family_name": "Y",
                                                      "date_of_birth": "2090-01-01", "address": "Z",
                                                      "postcode": "not a postcode", "ward": "E99999999"}]
    response = _post(sender, "people", bad)
    assert response.status_code == 422
    problems = {(e["field"], e["message"].split(":")[0]) for e in response.json()["errors"]}
    assert ("body.people.1.date_of_birth", "'1942-02-30' is not a real date written like 2026-11-23") in problems
    assert any(f == "body.people.1.nhs_number" for f, _ in problems)
    assert ("body.people.2.person_id", "is also on row 1") in problems
    assert {"body.people.3.date_of_birth", "body.people.3.postcode", "body.people.3.ward"} <= {f for f, _ in problems}
    assert not Citizen.objects.exists() and not AuditEvent.objects.exists()


def test_an_assessment_with_an_unknown_service_or_person_is_refused_and_nothing_is_stored(sender):
    _post(sender, "people", PEOPLE)
    response = _post(sender, "assessments", [{**ASSESSMENTS[0], "service_type": "space-travel"}])
    assert response.json()["errors"][0]["field"] == "body.assessments.0.service_type"
    orphan = _post(sender, "assessments", [{**ASSESSMENTS[0], "person_id": "P999"}])
    assert "send the person first" in orphan.json()["errors"][0]["message"]
    assert not Assessment.objects.exists()


def test_a_change_to_an_assessment_care_was_arranged_from_waits_for_a_person(sender, commissioner):
    _post(sender, "people", PEOPLE)
    assert _post(sender, "assessments", ASSESSMENTS).json()["created"] == 1
    assessment = Assessment.objects.get(source_id="A-1")
    assert assessment.weekly_hours == 10.5 and [g.code for g in assessment.need_groups.all()] == ["older-people"]
    assert _post(sender, "assessments", ASSESSMENTS).json()["unchanged"] == 1
    CareRequirement.objects.create(reference="CR-000001", assessment=assessment, citizen=assessment.citizen,
                                   service_type=assessment.service_type, area=Area.objects.get(code="north"),
                                   eligible_needs="x", outcomes="y", start_on=dt.date(2026, 12, 1),
                                   raised_by=commissioner, raised_at=clock.now())
    changed = {**ASSESSMENTS[0], "weekly_hours": "14"}
    assert _post(sender, "assessments", [changed]).json()["waiting"] == 1
    assert _post(sender, "assessments", [changed]).json()["waiting"] == 0  # the same change waits once
    assessment.refresh_from_db()
    assert assessment.weekly_hours == 10.5  # not written over what the council has done since
    waiting = WaitingChange.objects.get()
    intake.decide(waiting, commissioner, accept=True, reason="The review raised the hours")
    assessment.refresh_from_db()
    assert assessment.weekly_hours == 14
    assert AuditEvent.objects.filter(action="assessment.change_accepted").exists()


def test_a_provider_may_not_send_client_records(make_user, provider, signed_in):
    response = _post(signed_in(make_user(Role.PROVIDER_ADMIN, provider)), "people", PEOPLE)
    assert response.status_code == 403 and not Citizen.objects.exists()


def test_the_same_nightly_files_twice_change_nothing(tmp_path, council, capsys):
    people = tmp_path / "people.csv"
    people.write_text("person_id,given_name,family_name,date_of_birth,nhs_number,address,postcode\n"
                      f"P100,Ada,Lovelace,1940-12-10,{VALID_NHS},1 Engine Row,B23 6SD\n")
    assessments = tmp_path / "assessments.jsonl"
    assessments.write_text(json.dumps(ASSESSMENTS[0]) + "\n")
    call_command("receive_client_records", people=str(people), assessments=str(assessments))
    assert "1 created" in capsys.readouterr().out
    events = AuditEvent.objects.count()
    call_command("receive_client_records", people=str(people), assessments=str(assessments))
    assert "0 created, 0 updated, 1 unchanged" in capsys.readouterr().out
    assert AuditEvent.objects.count() == events and Assessment.objects.count() == 1


def test_a_bad_file_is_refused_with_its_rows_named_and_nothing_is_stored(tmp_path, db):
    people = tmp_path / "people.csv"
    people.write_text("person_id,given_name,family_name,date_of_birth,address,postcode\n"
                      "P100,Ada,Lovelace,10/12/1940,1 Engine Row,B23 6SD\n")
    with pytest.raises(CommandError, match="Row 1, date_of_birth: '10/12/1940' is not a real date"):
        call_command("receive_client_records", people=str(people))
    headless = tmp_path / "assessments.csv"
    headless.write_text("id,name\n1,x\n")
    with pytest.raises(CommandError, match="no 'assessment_id' column"):
        call_command("receive_client_records", assessments=str(headless))
    assert not Citizen.objects.exists()


def test_a_file_of_millions_of_rows_is_refused_without_reading_it_all(db):
    read = 0

    def ten_million_lines():
        nonlocal read
        yield b"person_id,given_name\n"
        for n in range(10_000_000):
            read += 1
            yield f"P{n},Someone\n".encode()

    rows = intake.rows_from_file(ten_million_lines(), "people.csv", "person_id")
    assert len(rows) == intake.MOST_ROWS + 1 and read == intake.MOST_ROWS + 1
    with pytest.raises(intake.BatchRefused) as refused:
        intake.receive_people(rows, "client record system")
    assert "a batch holds at most 100,000 people" in str(refused.value.problems[0])


def test_a_person_checks_a_waiting_change_in_words_and_decides_it(sender, make_user, council, signed_in,
                                                                  commissioner):
    _post(sender, "people", PEOPLE)
    _post(sender, "assessments", ASSESSMENTS)
    assessment = Assessment.objects.get(source_id="A-1")
    CareRequirement.objects.create(reference="CR-000001", assessment=assessment, citizen=assessment.citizen,
                                   service_type=assessment.service_type, area=Area.objects.get(code="north"),
                                   eligible_needs="x", outcomes="y", start_on=dt.date(2026, 12, 1),
                                   raised_by=commissioner, raised_at=clock.now())
    _post(sender, "assessments", [{**ASSESSMENTS[0], "weekly_budget": "1250.00", "need_groups": "dementia"}])
    broker = signed_in(make_user(Role.BROKERAGE_OFFICER, council))
    assert "1 change from the client record system is waiting for a decision" in broker.get("/").content.decode()
    waiting = WaitingChange.objects.get()
    page = broker.get(f"/citizens/changes-waiting/{waiting.pk}/").content.decode()
    assert "Weekly budget" in page and "£1,250.00" in page and "Dementia" in page and "CR-000001" in page
    assert "pence" not in page and "need_group_ids" not in page
    refused = broker.post(f"/citizens/changes-waiting/{waiting.pk}/", {"decision": "reject"}).content.decode()
    assert 'href="#id_reason"' in refused
    done = broker.post(f"/citizens/changes-waiting/{waiting.pk}/", {"decision": "reject", "reason": "Sent in error"})
    assert done.status_code == 302
    waiting.refresh_from_db()
    assert waiting.accepted is False and Assessment.objects.get(pk=assessment.pk).weekly_budget_pence is None
    provider = signed_in(make_user(Role.PROVIDER_ADMIN, council.__class__.objects.create(kind="provider", name="P")))
    assert provider.get(f"/citizens/changes-waiting/{waiting.pk}/").status_code == 403
