"""The register and contract pages, as each person who uses them."""

import datetime as dt

import pytest

from caremarket.core import clock
from caremarket.outcomes import contracts
from caremarket.outcomes.models import Carer, CarerActivity, QuarterlyReturn, WellbeingAssessment
from caremarket.payments.models import PaymentDue

from .conftest import at, new_carer


@pytest.fixture
def today():
    with clock.frozen(at(dt.date(2026, 10, 20))):
        yield dt.date(2026, 10, 20)


def carer_form(**changes):
    form = {"given_name": "Priya", "family_name": "Shah", "born_on-day": "3", "born_on-month": "2",
            "born_on-year": "1961", "postcode": "B12 9QT", "email": "", "cared_for": "Her husband, after a stroke",
            "hours_a_week": "55", "lives_alone_with_cared_for": "True", "has_own_health_problems": "False",
            "cared_for_will_not_cooperate": "False", "emergency_response": "True", "registered_on-day": "1",
            "registered_on-month": "10", "registered_on-year": "2026"}
    return {**form, **changes}


def test_a_member_registers_a_carer_and_records_a_wellbeing_baseline(consortium, signed_in, today):
    client = signed_in(consortium["north_user"])
    response = client.post("/carers/register/", carer_form())
    carer = Carer.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/carers/{carer.pk}/"
    assert carer.registered_by == consortium["north"] and carer.consortium == consortium["group"]
    page = client.get(f"/carers/{carer.pk}/").content.decode()
    assert "Priya Shah" in page and "No wellbeing assessment yet" in page
    scores = {"time": "2", "control": "3", "social": "1", "emotional": "2", "accommodation": "4", "support": "3",
              "safety": "5", "relationships": "3"}
    response = client.post(f"/carers/{carer.pk}/wellbeing/", {"kind": "baseline", "assessed_on-day": "15",
                                                               "assessed_on-month": "10", "assessed_on-year": "2026",
                                                               **scores})
    assert response.status_code == 302
    assert WellbeingAssessment.objects.get().total == 23
    assert "Priya Shah" in client.get("/carers/?q=shah").content.decode()


@pytest.mark.parametrize("changes, says", [
    ({"hours_a_week": "169"}, "cannot be more than 168"),
    ({"hours_a_week": "-1"}, "cannot be less than 0"),
    ({"born_on-day": "31", "born_on-month": "2"}, "must be a real date"),
    ({"born_on-year": "2027"}, "Date of birth must be in the past"),
    ({"registered_on-year": "2027"}, "cannot be in the future"),
])
def test_bad_registrations_are_refused_with_the_field_and_store_nothing(consortium, signed_in, today, changes, says):
    response = signed_in(consortium["north_user"]).post("/carers/register/", carer_form(**changes))
    assert response.status_code == 200
    assert says in response.content.decode()
    assert not Carer.objects.exists()


def test_a_duplicate_registration_is_refused_with_the_record_it_repeats(consortium, signed_in, today):
    client = signed_in(consortium["north_user"])
    client.post("/carers/register/", carer_form())
    response = client.post("/carers/register/", carer_form(given_name="PRIYA", postcode="b129qt"))
    assert "You registered this carer already, as C" in response.content.decode()
    assert Carer.objects.count() == 1


def test_nobody_outside_the_member_and_its_integrator_opens_a_carer(consortium, signed_in, today):
    carer = new_carer(consortium, consortium["north"], consortium["north_user"], given="Xanthe")
    assert signed_in(consortium["integrator"]).get(f"/carers/{carer.pk}/").status_code == 200
    assert signed_in(consortium["south_user"]).get(f"/carers/{carer.pk}/").status_code == 404
    assert "Xanthe" not in signed_in(consortium["south_user"]).get("/carers/").content.decode()
    for council in ("commissioner", "finance"):
        client = signed_in(consortium[council])
        assert client.get(f"/carers/{carer.pk}/").status_code == 403
        assert client.get("/carers/").status_code == 403


def test_the_integrator_merges_a_duplicate_after_a_check_page(consortium, signed_in, today):
    first = new_carer(consortium, consortium["north"], consortium["north_user"])
    second = new_carer(consortium, consortium["south"], consortium["south_user"], given="Jo",
                       registered_on=dt.date(2026, 5, 1))
    client = signed_in(consortium["integrator"])
    assert "Check and merge" in client.get("/carers/duplicates/").content.decode()
    check = client.get(f"/carers/duplicates/merge/?kept={first.pk}&merged={second.pk}")
    assert f"Merge {second.reference} into {first.reference}" in check.content.decode()
    assert Carer.objects.get(pk=second.pk).merged_into is None  # the check page changes nothing
    assert client.post("/carers/duplicates/merge/", {"kept": first.pk, "merged": second.pk}).status_code == 302
    assert Carer.objects.get(pk=second.pk).merged_into == first
    assert signed_in(consortium["north_user"]).get("/carers/duplicates/").status_code == 403


def test_the_council_sees_figures_but_not_the_records_behind_them(consortium, signed_in, today):
    new_carer(consortium, consortium["north"], consortium["north_user"], given="Xanthe",
              assessed_on=dt.date(2026, 5, 1))
    contract = consortium["contract"]
    client = signed_in(consortium["commissioner"])
    page = client.get(f"/consortium-contracts/{contract.pk}/kpis/?year=2026&by=quarter").content.decode()
    assert "Active carers registered and assessed" in page and "Xanthe" not in page
    assert client.get(f"/consortium-contracts/{contract.pk}/kpis/1/?year=2026&by=quarter&period=0").status_code == 403
    member = signed_in(consortium["north_user"])
    records = member.get(f"/consortium-contracts/{contract.pk}/kpis/1/?year=2026&by=quarter&period=0")
    assert "Xanthe" in records.content.decode()
    assert "Xanthe" not in signed_in(consortium["south_user"]).get(
        f"/consortium-contracts/{contract.pk}/kpis/1/?year=2026&by=quarter&period=0").content.decode()


def test_the_integrator_sends_a_return_and_finance_releases_it_after_a_check_page(consortium, signed_in, today):
    new_carer(consortium, consortium["north"], consortium["north_user"], registered_on=dt.date(2026, 8, 1),
              assessed_on=dt.date(2026, 8, 2))  # the quarter has something to report
    contract = consortium["contract"]
    integrator = signed_in(consortium["integrator"])
    response = integrator.post(f"/consortium-contracts/{contract.pk}/2026/quarter-2/return/", {"send": "figures"})
    assert response.status_code == 302
    sent = QuarterlyReturn.objects.get()
    assert sent.received_on == dt.date(2026, 10, 20) and sent.due_on == dt.date(2026, 10, 15)
    finance = signed_in(consortium["finance"])
    assert "Late" in finance.get(f"/consortium-contracts/{contract.pk}/").content.decode()
    check = finance.get(f"/consortium-contracts/{contract.pk}/2026/quarter-2/release/").content.decode()
    assert "less £1,125.00 because its return was 1 month late" in check
    assert not PaymentDue.objects.exists()
    assert finance.post(f"/consortium-contracts/{contract.pk}/2026/quarter-2/release/").status_code == 302
    assert PaymentDue.objects.get().amount_pence == 22_500_00 - 1_125_00
    assert signed_in(consortium["north_user"]).post(
        f"/consortium-contracts/{contract.pk}/2026/quarter-3/return/", {"send": "figures"}).status_code == 403


@pytest.mark.parametrize("content, says", [
    (b"kpi,figure\n1,10\n", "No figure for KPI 1a, 2"),
    (b"kpi,figure\n1,ten\n", "Row 2: the figure for KPI 1 must be a whole number"),
    ("kpi,figure\n1,1²\n".encode(), "Row 2: the figure for KPI 1 must be a whole number"),
    ("kpi,figure\n1,٣\n".encode(), "Row 2: the figure for KPI 1 must be a whole number"),
    (b"kpi,figure\n6,1\n", "Row 2: 6 is not a KPI"),
    (b"kpi,figure\n1,1\n1,2\n", "Row 3: KPI 1 is given twice"),
    (b"figure,kpi\n", "Row 1: the header must be kpi,figure"),
    (b"\xff\xfe\x00", "not a CSV file in UTF-8"),
])
def test_a_bad_return_file_is_refused_row_by_row_and_nothing_is_sent(consortium, signed_in, today, content, says):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = signed_in(consortium["integrator"]).post(
        f"/consortium-contracts/{consortium['contract'].pk}/2026/quarter-2/return/",
        {"file": SimpleUploadedFile("return.csv", content, content_type="text/csv")})
    assert response.status_code == 200
    assert says in response.content.decode()
    assert not QuarterlyReturn.objects.exists()


def test_a_return_file_with_every_kpi_is_sent(consortium, signed_in, today):
    from django.core.files.uploadedfile import SimpleUploadedFile

    rows = "kpi,figure\n" + "".join(f"KPI {code},{n}\n" for n, code in enumerate(["1", "1a", "2", "3", "4", "5", "7",
                                                                                    "8", "9", "10", "11"]))
    response = signed_in(consortium["integrator"]).post(
        f"/consortium-contracts/{consortium['contract'].pk}/2026/quarter-2/return/",
        {"file": SimpleUploadedFile("return.csv", rows.encode(), content_type="text/csv")})
    assert response.status_code == 302
    assert QuarterlyReturn.objects.get().figures["11"] == 10


def test_members_see_their_own_statement_and_the_integrator_everyones(consortium, signed_in, today):
    CarerActivity.objects.create(member=consortium["north"], kind="group", name="Tuesday group", attending=6,
                                 happened_on=dt.date(2026, 7, 7), recorded_by=consortium["north_user"])
    url = f"/consortium-contracts/{consortium['contract'].pk}/statements/?year=2026&quarter=2"
    mine = signed_in(consortium["north_user"]).get(url).content.decode()
    assert "North Carers Centre" in mine and "South Young Carers" not in mine and "£40.00" in mine
    everyone = signed_in(consortium["integrator"]).get(url).content.decode()
    assert "North Carers Centre" in everyone and "South Young Carers" in everyone
    assert signed_in(consortium["commissioner"]).get(url).status_code == 403
    assert signed_in(consortium["outsider_user"]).get(url).status_code == 404


def test_every_page_opens_for_the_people_who_use_it(consortium, signed_in, today):
    carer = new_carer(consortium, consortium["north"], consortium["north_user"], assessed_on=dt.date(2026, 5, 1))
    contract = consortium["contract"]
    with clock.frozen(at(dt.date(2026, 7, 20))):
        contracts.send_return(consortium["integrator"], consortium["year"], 1)
    pages = {
        "north_user": ["/carers/", "/carers/register/", f"/carers/{carer.pk}/", f"/carers/{carer.pk}/change/",
                       f"/carers/{carer.pk}/wellbeing/", "/carers/activity/", "/consortium-contracts/",
                       f"/consortium-contracts/{contract.pk}/", f"/consortium-contracts/{contract.pk}/kpis/?by=month",
                       f"/consortium-contracts/{contract.pk}/statements/", "/carers/?young=on&status=left",
                       "/carers/?format=csv"],
        "integrator": ["/carers/", "/carers/duplicates/", f"/consortium-contracts/{contract.pk}/",
                       f"/consortium-contracts/{contract.pk}/2026/quarter-2/return/",
                       f"/consortium-contracts/{contract.pk}/kpis/8/?by=month&period=3"],
        "finance": ["/consortium-contracts/", f"/consortium-contracts/{contract.pk}/",
                    f"/consortium-contracts/{contract.pk}/2026/quarter-1/release/",
                    f"/consortium-contracts/{contract.pk}/kpis/?by=year"],
    }
    for who, urls in pages.items():
        client = signed_in(consortium[who])
        for url in urls:
            assert client.get(url).status_code == 200, (who, url)


def test_the_home_page_says_what_the_contract_needs_of_each_person(consortium, signed_in, today):
    new_carer(consortium, consortium["north"], consortium["north_user"], registered_on=dt.date(2026, 8, 1))
    new_carer(consortium, consortium["north"], consortium["north_user"], given="Amy", family="Early",
              registered_on=dt.date(2026, 5, 1), assessed_on=dt.date(2026, 5, 2))
    with clock.frozen(at(dt.date(2026, 7, 10))):
        contracts.send_return(consortium["integrator"], consortium["year"], 1)
    integrator = signed_in(consortium["integrator"]).get("/").content.decode()
    assert "Quarter 2 2026/27 return for Carers support is overdue" in integrator
    finance = signed_in(consortium["finance"]).get("/").content.decode()
    assert "1 quarterly return is in and waiting for its payment to be released" in finance
    member = signed_in(consortium["north_user"]).get("/").content.decode()
    assert "1 carer is waiting for their needs to be assessed" in member and "registered 80 days ago" in member


def test_the_api_registers_carers_sends_returns_and_gives_figures_never_names_to_the_council(consortium, signed_in,
                                                                                              today):
    member = signed_in(consortium["north_user"])
    body = {"given_name": "Priya", "family_name": "Shah", "born_on": "1961-02-03", "postcode": "B12 9QT",
            "cared_for": "Husband", "hours_a_week": "55", "registered_on": "2026-10-01", "assessed_on": "2026-10-02"}
    response = member.post("/api/outcomes/carers", body, content_type="application/json")
    assert response.status_code == 201 and response.json()["reference"].startswith("C")
    twice = member.post("/api/outcomes/carers", body, content_type="application/json")
    assert twice.status_code == 422 and "You registered this carer already" in twice.json()["errors"][0]["message"]
    bad = member.post("/api/outcomes/carers", {**body, "hours_a_week": "169", "born_on": "1961-02-30"},
                      content_type="application/json")
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} == {"body.hours_a_week", "body.born_on"}
    broken = member.post("/api/outcomes/carers", {**body, "given_name": "Pri\nya", "family_name": "Shah\r"},
                         content_type="application/json")  # refused as the page refuses them
    assert broken.status_code == 422
    assert {e["field"] for e in broken.json()["errors"]} == {"body.given_name", "body.family_name"}
    assert [c["given_name"] for c in member.get("/api/outcomes/carers").json()["items"]] == ["Priya"]
    assert signed_in(consortium["commissioner"]).get("/api/outcomes/carers").status_code == 403

    contract = consortium["contract"].pk
    figures = signed_in(consortium["commissioner"]).get(
        f"/api/outcomes/consortium-contracts/{contract}/kpis?start_year=2026&by=quarter").json()
    assert figures["periods"] == ["Quarter 1", "Quarter 2", "Quarter 3", "Quarter 4"]
    assert figures["kpis"][0]["figures"] == [0, 0, 1, None] and "Priya" not in str(figures)

    integrator = signed_in(consortium["integrator"])
    partial = integrator.post(f"/api/outcomes/consortium-contracts/{contract}/returns",
                              {"start_year": 2026, "quarter": 2, "figures": {"1": 4}}, content_type="application/json")
    assert partial.status_code == 422 and partial.json()["errors"][0]["field"] == "body.figures"
    from caremarket.outcomes import kpis
    huge = integrator.post(f"/api/outcomes/consortium-contracts/{contract}/returns",
                           {"start_year": 2026, "quarter": 2, "figures": {code: 10**40 for code in kpis.BY_CODE}},
                           content_type="application/json")
    assert huge.status_code == 422 and "a whole number from 0 to 999,999,999" in huge.json()["errors"][0]["message"]
    sent = integrator.post(f"/api/outcomes/consortium-contracts/{contract}/returns",
                           {"start_year": 2026, "quarter": 2}, content_type="application/json")
    assert sent.status_code == 201 and sent.json()["late"] is True
    assert member.post(f"/api/outcomes/consortium-contracts/{contract}/returns",
                       {"start_year": 2026, "quarter": 2}, content_type="application/json").status_code == 403


def test_the_kpi_page_shows_the_cohorts_change_in_wellbeing(consortium, signed_in, today):
    from caremarket.outcomes import register

    scores = {key: 3 for key in ("time", "control", "social", "emotional", "accommodation", "support", "safety",
                                 "relationships")}
    user = consortium["north_user"]
    for i, later in enumerate((4, 2, None)):
        carer = new_carer(consortium, consortium["north"], user, given=f"C{i}", family=f"F{i}")
        register.assess_wellbeing(user, carer, "baseline", dt.date(2026, 5, 1), scores)
        if later:
            register.assess_wellbeing(user, carer, "follow_up", dt.date(2026, 9, 1), {**scores, "time": later})
    page = signed_in(consortium["commissioner"]).get(
        f"/consortium-contracts/{consortium['contract'].pk}/kpis/?year=2026").content.decode()
    assert "3 had a baseline wellbeing assessment, 2 a follow-up in the year, and 1 improved" in page
    assert "the mean change was +0.0 points" in page


def test_a_return_file_too_large_is_refused_by_its_size_before_it_is_read(consortium, signed_in, today):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from caremarket.outcomes.contracts import RETURN_FILE_MOST_BYTES
    from caremarket.outcomes.forms import ReturnFileForm

    class Unreadable(SimpleUploadedFile):
        def read(self, *args):
            raise AssertionError("read before its size was checked")

        __iter__ = chunks = read

    huge = Unreadable("return.csv", b"", content_type="text/csv")
    huge.size = 2 * 1024 ** 3
    form = ReturnFileForm(files={"file": huge})
    assert not form.is_valid() and form.errors["file"] == ["The file is 2,048.0 MB: the largest taken is 98 KB"]
    page = signed_in(consortium["integrator"]).post(
        f"/consortium-contracts/{consortium['contract'].pk}/2026/quarter-2/return/",
        {"file": SimpleUploadedFile("return.csv", b"kpi,figure\n" + b"1,1\n" * RETURN_FILE_MOST_BYTES,
                                    content_type="text/csv")}).content.decode()
    assert "The file is 391 KB: the largest taken is 98 KB" in page
    assert not QuarterlyReturn.objects.exists()
