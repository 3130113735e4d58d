"""A micro-tender as OCDS releases: a worked example, the amounts exact, and nothing about the
person cared for."""

import datetime as dt
import json
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from caremarket.opendata import ocds

from .ocds_validation import problems

AT = dt.datetime(2026, 6, 1, 9, tzinfo=dt.UTC)
PUBLICATION = ocds.Publication("ocds-abc123", ocds.Party("ocds-abc123-org-1", "Borsetshire Council"),
                               "ocds-abc123-framework-1", "Adult social care framework")
ACORN = ocds.Party("ocds-abc123-org-7", "Acorn Home Care", "01234567")


def _process(**changes) -> ocds.Process:
    rounds = [ocds.Round(1, AT, AT + dt.timedelta(days=2), "closed", AT + dt.timedelta(days=2), 0),
              ocds.Round(2, AT + dt.timedelta(days=2), AT + dt.timedelta(days=4), "closed",
                         AT + dt.timedelta(days=4), 3)]
    award = ocds.Award("CP-000042", AT + dt.timedelta(days=5), ACORN, 23_625, 2_250, Decimal("10.5"),
                       dt.date(2026, 6, 10), None)
    return ocds.Process(**{"reference": "CR-000042", "service_type": "Home support", "bed_based": False,
                           "area": "North", "weekly_hours": Decimal("10.5"), "status": "awarded", "rounds": rounds,
                           "award": award, "changes": []} | changes)


def test_a_retendered_awarded_and_ended_process_as_releases():
    ended = ocds.Change(9, "end", ocds.change_label("Ended", "death", "The citizen died"), AT + dt.timedelta(days=60),
                        dt.date(2026, 8, 1), "death")
    releases = ocds.releases(PUBLICATION, _process(changes=[ended]))
    assert [r["tag"] for r in releases] == [["tender"], ["tenderUpdate"], ["award", "contract"],
                                            ["contractTermination"]]
    assert {r["ocid"] for r in releases} == {"ocds-abc123-CR-000042"}
    assert len({r["id"] for r in releases}) == 4
    assert [r["tender"]["numberOfTenderers"] for r in releases[:2]] == [0, 3]
    award = releases[2]["awards"][0]
    assert award["value"] == {"amount": 236.25, "currency": "GBP"}
    assert award["items"][0]["unit"] == {"name": "Hours a week", "value": {"amount": 22.5, "currency": "GBP"}}
    assert releases[2]["relatedProcesses"][0]["identifier"] == "ocds-abc123-framework-1"
    contract = releases[3]["contracts"][0]
    assert contract["status"] == "terminated" and contract["period"]["endDate"] == "2026-08-01T00:00:00Z"
    assert contract["amendments"] == [{"id": "9", "date": "2026-07-31T09:00:00Z", "rationale": "Ended"}]
    package = {"uri": "https://example.test/ocds.json", "version": "1.1", "publishedDate": "2026-11-30T00:00:00Z",
               "publisher": {"name": "Borsetshire Council"}, "license": ocds.OGL, "releases": releases}
    assert problems(package) == {}


def test_only_a_hand_back_says_why_a_package_ended():
    assert ocds.change_label("Ended", "handed_back", "Handed back by the provider") == \
        "Ended: Handed back by the provider"
    for cause, label in (("death", "The citizen died"), ("moved", "The citizen moved"), ("", "")):
        assert ocds.change_label("Ended", cause, label) == "Ended"


def test_an_unmet_tender_and_a_cancelled_one_say_so():
    unmet = ocds.releases(PUBLICATION, _process(award=None, status="no_offers"))
    assert unmet[-1]["tag"] == ["tenderUpdate"] and unmet[-1]["tender"]["status"] == "unsuccessful"
    cancelled = ocds.releases(PUBLICATION, _process(award=None, status="cancelled"))
    assert cancelled[-1]["tag"] == ["tenderCancellation"] and cancelled[-1]["tender"]["status"] == "cancelled"


def test_a_checker_finds_a_release_that_breaks_the_standard():
    broken = ocds.releases(PUBLICATION, _process())
    broken[0]["tender"]["status"] = "open for business"
    broken[1]["tender"]["value"] = {"amount": "lots"}
    package = {"uri": "https://example.test/ocds.json", "version": "1.1", "publishedDate": "2026-11-30T00:00:00Z",
               "publisher": {"name": "Borsetshire Council"}, "releases": broken}
    found = problems(package)
    assert [e["path"] for e in found["validation_errors"]] == ["releases/1/tender/value/amount"]
    assert list(found["additional_closed_codelist_values"]) == ["releases/tender/status"]


@given(st.integers(min_value=0, max_value=10**12))
def test_amounts_are_the_exact_pounds_and_pence(pence):
    written = json.dumps(ocds.amount(pence)["amount"])
    assert Decimal(written) == Decimal(pence) / 100
