"""The data protection officer, in a real browser with axe on every page: finds a citizen who
asked for their data, places a legal hold and downloads everything held about them."""

import datetime as dt
import json
from pathlib import Path

import pytest

from caremarket.accounts.roles import Role
from caremarket.audit.models import AuditEvent
from caremarket.citizens.models import Citizen, RecordAccessCitizen
from caremarket.privacy.models import LegalHold
from caremarket.web.browser_testing import accessibility_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("committed_db")]


def test_the_data_protection_officer_exports_a_citizens_data(page, make_user, council, tmp_path):
    dpo = make_user(Role.DATA_PROTECTION_OFFICER, council, username="dpo@council.test", password="a long dpo password")
    citizen = Citizen.objects.create(reference="BCC-424242", given_name="Olumide", family_name="Adeyemi",
                                     date_of_birth=dt.date(1944, 8, 9), address="3 Holly Lane", postcode="B23 6AA")
    sign_in(page, dpo.username, "a long dpo password")
    assert page.get_by_role("heading", level=1).inner_text() == "Data protection officer dashboard"
    page.get_by_role("link", name="Data protection", exact=True).first.click()
    assert page.get_by_role("heading", name="Personal data held").is_visible()
    assert accessibility_violations(page) == []

    page.get_by_role("link", name="Answer a subject access request").click()
    page.get_by_label("A citizen (someone the council arranges care for)").check()
    page.get_by_role("button", name="Find them").click()
    assert page.get_by_text("Enter their record number, or their family name and date of birth").first.is_visible()
    assert accessibility_violations(page) == []
    page.get_by_label("Council record number or carers register number").fill("BCC-424242")
    page.get_by_role("button", name="Find them").click()
    assert accessibility_violations(page) == []
    page.get_by_role("link", name="BCC-424242: Olumide Adeyemi").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Olumide Adeyemi"
    assert accessibility_violations(page) == []

    page.get_by_label("Why the record must be kept").fill("Complaint to the Ombudsman, ref 26/1234")
    page.get_by_role("button", name="Place a legal hold").click()
    assert page.get_by_text("until the hold is lifted").is_visible()
    assert LegalHold.objects.get(citizen=citizen).reason == "Complaint to the Ombudsman, ref 26/1234"

    for button, suffix in (("Download the PDF", ".pdf"), ("Download the JSON file", ".json")):
        with page.expect_download() as downloading:
            page.get_by_role("link", name=button).click()
        saved = Path(tmp_path / f"export{suffix}")
        downloading.value.save_as(saved)
        assert downloading.value.suggested_filename == f"subject-access-BCC-424242{suffix}"
    assert saved.read_bytes() and json.loads(saved.read_text())["Person"]["Family name"] == "Adeyemi"
    assert (tmp_path / "export.pdf").read_bytes().startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="subject_access.exported", actor=dpo).count() == 2
    assert RecordAccessCitizen.objects.filter(citizen=citizen, access__person=dpo).count() >= 3
