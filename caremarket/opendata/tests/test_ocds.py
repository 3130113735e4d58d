"""A micro-tender as OCDS releases: a worked example, the amounts exact, and nothing about the
person cared for."""

import dataclasses
import datetime as dt
import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caremarket.opendata import ocds

from .ocds_validation import problems

AT = dt.datetime(2026, 6, 1, 9, tzinfo=dt.UTC)
PUBLICATION = ocds.Publication("ocds-abc123", ocds.Party("ocds-abc123-org-1", "Borsetshire Council",
                                                         street_address="Council House, Felpersham", postcode="FE1 1AA",
                                                         identifier=("GB-LAE", "BOR")),
                               "ocds-abc123-framework-1", "Adult social care framework")
ACORN = ocds.Party("ocds-abc123-org-7", "Acorn Home Care", "01234567", "1-101010101", "1 Mill Lane, Felpersham",
                   "FE2 2BB")


def _process(**changes) -> ocds.Process:
    rounds = [ocds.Round(1, AT, AT + dt.timedelta(days=2), "closed", AT + dt.timedelta(days=2), 0),
              ocds.Round(2, AT + dt.timedelta(days=2), AT + dt.timedelta(days=4), "closed",
                         AT + dt.timedelta(days=4), 3)]
    award = ocds.Award("CP-000042", AT + dt.timedelta(days=5), ACORN, 23_625, 2_250, Decimal("10.5"),
                       dt.date(2026, 6, 10), None)
    return ocds.Process(**{"reference": "CR-000042", "service_type": "Home support", "bed_based": False,
                           "area": "North", "weekly_hours": Decimal("10.5"), "status": "awarded", "rounds": rounds,
                           "award": award, "changes": [], "fixed_weekly_pence": 23_625} | changes)


def test_a_retendered_awarded_and_ended_process_as_releases():
    ended = ocds.Change(9, "end", ocds.change_label("Ended", "death", "The citizen died"), AT + dt.timedelta(days=60),
                        dt.date(2026, 8, 1), "death")
    releases = ocds.releases(PUBLICATION, _process(changes=[ended]))
    assert [r["tag"] for r in releases] == [["tender"], ["tenderUpdate"], ["award", "contract"],
                                            ["contractTermination"]]
    assert {r["ocid"] for r in releases} == {"ocds-abc123-CR-000042"}
    assert len({r["id"] for r in releases}) == 4
    assert {r["language"] for r in releases} == {"en"}
    assert [r["tender"]["numberOfTenderers"] for r in releases[:2]] == [0, 3]
    # Dates by month; 10.5 hours a week in its band; values for the first year, rounded up to £10,000.
    assert [r["date"] for r in releases] == ["2026-06-01T00:00:00Z"] * 3 + ["2026-07-01T00:00:00Z"]
    tender = releases[0]["tender"]
    assert tender["title"] == "Home support in North, 10 to under 15 hours a week"
    assert "called off the framework by micro-tender" in tender["description"]
    assert tender["value"] == {"amount": 20000, "currency": "GBP"}  # 52 weeks of £236.25 is £12,285
    assert tender["tenderPeriod"] == {"startDate": "2026-06-01T00:00:00Z", "endDate": "2026-06-30T00:00:00Z"}
    award = releases[2]["awards"][0]
    assert award["value"] == {"amount": 20000, "currency": "GBP"}
    assert award["items"][0]["description"] == "Home support in North, 10 to under 15 hours a week"
    assert award["contractPeriod"] == {"startDate": "2026-06-01T00:00:00Z"}
    assert releases[2]["relatedProcesses"][0]["identifier"] == "ocds-abc123-framework-1"
    buyer, supplier = releases[2]["parties"]
    assert buyer["identifier"] == {"scheme": "GB-LAE", "id": "BOR", "legalName": "Borsetshire Council"}
    assert supplier["roles"] == ["supplier", "payee"]
    assert supplier["identifier"] == {"scheme": "GB-COH", "id": "01234567", "legalName": "Acorn Home Care"}
    assert supplier["additionalIdentifiers"] == [{"scheme": "GB-CQC", "id": "1-101010101",
                                                  "legalName": "Acorn Home Care"}]
    assert supplier["address"] == {"countryName": "United Kingdom", "streetAddress": "1 Mill Lane, Felpersham",
                                   "postalCode": "FE2 2BB"}
    contract = releases[3]["contracts"][0]
    assert contract["status"] == "terminated"
    assert contract["period"] == {"startDate": "2026-06-01T00:00:00Z", "endDate": "2026-08-31T00:00:00Z"}
    assert contract["value"] == {"amount": 10000, "currency": "GBP"}  # 53 days at £236.25 a week: £1,788.75
    assert contract["amendments"] == [{"id": "9", "date": "2026-07-01T00:00:00Z", "rationale": "Ended",
                                       "amendsReleaseID": "CR-000042-award", "releaseID": "CR-000042-change-9"}]
    package = {"uri": "https://example.test/ocds.json", "version": "1.1", "publishedDate": "2026-11-30T00:00:00Z",
               "publisher": {"name": "Borsetshire Council"}, "license": ocds.OGL, "releases": releases}
    assert problems(package) == {}


def test_a_package_is_valued_at_its_first_year_or_to_its_end():
    assert ocds.first_year_pence(23_625, dt.date(2026, 6, 10), None) == 1_228_500  # 52 weeks
    assert ocds.first_year_pence(23_625, dt.date(2026, 6, 10), dt.date(2026, 6, 16)) == 23_625  # one week
    assert ocds.first_year_pence(23_625, dt.date(2026, 6, 10), dt.date(2030, 1, 1)) == 1_228_500
    assert ocds.first_year_pence(70_000, dt.date(2026, 6, 10), dt.date(2026, 6, 10)) == 10_000  # one day


@pytest.mark.parametrize("hours, band", [
    ("0.25", "under 5 hours a week"), ("4.99", "under 5 hours a week"), ("5", "5 to under 10 hours a week"),
    ("14.75", "10 to under 15 hours a week"), ("29.5", "20 to under 30 hours a week"),
    ("30", "30 hours a week or more"), ("168", "30 hours a week or more")])
def test_hours_are_published_in_bands(hours, band):
    assert ocds.hours_band(Decimal(hours)) == band


def test_a_suspension_never_says_why():
    suspended = ocds.Change(3, "suspension", "Suspended", AT + dt.timedelta(days=20), dt.date(2026, 7, 1))
    amended = ocds.releases(PUBLICATION, _process(changes=[suspended]))[-1]
    assert amended["contracts"][0]["amendments"][0]["rationale"] == "Suspended"


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
def test_amounts_are_published_up_to_the_next_ten_thousand_pounds(pence):
    written = Decimal(json.dumps(ocds.amount(pence)["amount"]))
    assert written * 100 % ocds.VALUE_STEP_PENCE == 0
    assert Decimal(pence) / 100 <= written < Decimal(pence + ocds.VALUE_STEP_PENCE) / 100
    assert (written == 0) == (pence == 0)


# --- k-anonymity -------------------------------------------------------------------------------

SERVICES = [("Home support", False), ("Residential care", True)]


@st.composite
def markets(draw):
    """Processes a council might tender in a few months: few services and areas, so some share."""
    found = []
    for number in range(draw(st.integers(1, 40))):
        service, bed_based = draw(st.sampled_from(SERVICES))
        hours = None if bed_based else Decimal(draw(st.integers(1, 160))) / 4
        opens = dt.datetime(2026, draw(st.integers(4, 6)), draw(st.integers(1, 28)), 9, tzinfo=dt.UTC)
        rounds = [ocds.Round(1, opens, opens + dt.timedelta(days=2), "closed", opens + dt.timedelta(days=2),
                             draw(st.integers(0, 3)))]
        award = None
        if draw(st.booleans()):
            weekly = draw(st.sampled_from([23_625, 30_000, 80_000, 95_000]))
            award = ocds.Award(f"CP-{number}", opens + dt.timedelta(days=3), ACORN, weekly, None, hours,
                               (opens + dt.timedelta(days=draw(st.integers(4, 10)))).date(), None)
        found.append(ocds.Process(f"CR-{number}", service, bed_based, draw(st.sampled_from(["North", "South"])),
                                  hours, "awarded" if award else "no_offers", rounds, award))
    return found


@given(markets(), st.integers(1, 5))
def test_no_published_combination_of_facts_is_shared_by_fewer_than_k_processes(market, k):
    every = [[(r, ocds.facts(r)) for r in ocds.releases(PUBLICATION, process)] for process in market]
    counts = ocds.sharing([f for _, f in found] for found in every)
    sharers: dict[str, set] = {}
    for process, found in zip(market, every):
        for release, found_facts in found:
            if ocds.may_publish(release, counts, k):
                sharers.setdefault(found_facts, set()).add(process.reference)
    assert all(len(processes) >= k for processes in sharers.values())
    held = sum(1 for found in every for _, f in found if f not in sharers)
    assert held == sum(1 for found in every for _, f in found if counts[f] < k)


def test_a_release_waits_until_k_processes_share_its_facts():
    """Nine people with the same care in the same month: held back; a tenth: all ten published.
    A different hours band, month or area is a different set of facts."""
    def alike(number, **changes):  # their own references: identifiers are not facts about anyone's care
        award = dataclasses.replace(_process().award, reference=f"CP-{number}")
        return _process(reference=f"CR-{number}", award=award, **changes)

    nine = [alike(n) for n in range(9)]
    counts = ocds.sharing([ocds.facts(r) for r in ocds.releases(PUBLICATION, p)] for p in nine)
    award = ocds.releases(PUBLICATION, nine[0])[2]
    assert not ocds.may_publish(award, counts, 10)
    counts = ocds.sharing([ocds.facts(r) for r in ocds.releases(PUBLICATION, p)] for p in nine + [alike(9)])
    assert ocds.may_publish(award, counts, 10)
    other = ocds.releases(PUBLICATION, alike(10, area="South"))[2]
    assert ocds.facts(other) != ocds.facts(award) and not ocds.may_publish(other, counts, 10)
    # The supplier and identifiers are not facts about the person: another provider shares them.
    willow = ocds.Party("ocds-abc123-org-9", "Willow Care", "07654321")
    elsewhere = _process(reference="CR-77", award=dataclasses.replace(nine[0].award, reference="CP-77",
                                                                      supplier=willow))
    assert ocds.facts(ocds.releases(PUBLICATION, elsewhere)[2]) == ocds.facts(award)
