"""Made-up CQC files in the CQC's own layout, for tests, benchmarks and demonstrations."""

from __future__ import annotations

import csv
import datetime as dt
import random

SERVICE_TYPES = ["Domiciliary care service", "Care home service with nursing", "Care home service without nursing",
                 "Supported living service", "Extra Care housing services", "Shared Lives"]
USER_BANDS = ["Dementia", "Learning disabilities or autistic spectrum disorder", "Mental Health", "Older People",
              "Physical Disability", "Sensory Impairment", "Younger Adults"]
LOCATIONS_HEADER = [
    "Location ID", "Location HSCA start date", "Dormant (Y/N)", "Care home?", "Location Name", "Location ODS Code",
    "Location Telephone Number", "Registered manager", "Location Web Address", "Care homes beds",
    "Location Type/Sector", "Location Inspection Directorate", "Location Primary Inspection Category",
    "Location Latest Overall Rating", "Publication Date", "Inherited Rating (Y/N)", "Location Region",
    "Location NHS Region", "Location Local Authority", "Location ONSPD CCG Code", "Location ONSPD CCG",
    "Location Commissioning CCG Code", "Location Commissioning CCG", "Location Street Address",
    "Location Address Line 2", "Location City", "Location County", "Location Postal Code", "Location PAF ID",
    "Location UPRN ID", "Location Latitude", "Location Longitude", "Location Parliamentary Constituency",
    "Brand ID", "Brand Name", "Provider Companies House Number", "Provider Charity Number", "Provider ID",
    "Provider Name", "Provider HSCA start date", "Provider Type/Sector", "Provider Inspection Directorate",
    "Provider Primary Inspection Category", "Provider Ownership Type", "Provider Telephone Number",
    "Provider Web Address", "Provider Street Address", "Provider Address Line 2", "Provider City",
    "Provider County", "Provider Postal Code", "Provider PAF ID", "Provider UPRN ID", "Provider Local Authority",
    "Provider Region", "Provider NHS Region", "Provider Latitude", "Provider Longitude",
    "Provider Parliamentary Constituency", "Provider Nominated Individual Name", "Provider Main Partner Name",
    "Regulated activity - Personal care",
    "Regulated activity - Accommodation for persons who require nursing or personal care",
    "Regulated activity - Nursing care",
] + [f"Service type - {s}" for s in SERVICE_TYPES] + [f"Service user band - {b}" for b in USER_BANDS]
RATINGS = ["Outstanding", "Good", "Good", "Good", "Requires improvement", "Inadequate", "", "Not Rated"]


def location_row(number: int, r: random.Random, *, location_id=None, provider_id=None, rating=None,
                 local_authority=None) -> dict:
    care_home = r.random() < 0.4
    nursing = care_home and r.random() < 0.4
    chosen = rating if rating is not None else r.choice(RATINGS)
    row = dict.fromkeys(LOCATIONS_HEADER, "")
    row.update({
        "Location ID": location_id or f"1-{1_000_000_000 + number}",
        "Location HSCA start date": (dt.date(2011, 1, 1) + dt.timedelta(days=r.randint(0, 5000))).strftime("%d/%m/%Y"),
        "Dormant (Y/N)": "N", "Care home?": "Y" if care_home else "N",
        "Location Name": f"Location {number}", "Care homes beds": str(r.randint(10, 90)) if care_home else "",
        "Location Type/Sector": "Social Care Org", "Location Inspection Directorate": "Adult social care",
        "Location Primary Inspection Category": "Residential social care" if care_home else
        "Community based adult social care services",
        "Location Latest Overall Rating": chosen,
        "Publication Date": (dt.date(2019, 1, 1) + dt.timedelta(days=r.randint(0, 2500))).strftime("%d/%m/%Y")
        if chosen not in ("", "Not Rated") else "",
        "Location Region": "West Midlands", "Location Local Authority": local_authority or r.choice(
            ["Birmingham", "Solihull", "Sandwell", "Walsall", "Coventry", "Dudley"]),
        "Location Street Address": f"{r.randint(1, 300)} High Street", "Location City": "Birmingham",
        "Location Postal Code": f"B{r.randint(1, 76)} {r.randint(1, 9)}AB", "Brand ID": "-", "Brand Name": "-",
        "Provider ID": provider_id or f"1-{2_000_000_000 + number // 3}", "Provider Name": f"Provider {number // 3}",
        "Regulated activity - Personal care": "Y",
        "Service type - Care home service with nursing": "Y" if nursing else "",
        "Service type - Care home service without nursing": "Y" if care_home and not nursing else "",
        "Service type - Domiciliary care service": "" if care_home else "Y",
        "Service user band - Older People": "Y",
    })
    return row


def write_locations_csv(path, rows: int, *, seed: int = 1, extra: list[dict] = (), bad: dict[int, dict] = None):
    """A locations file of ``rows`` made-up rows, then ``extra`` rows; ``bad`` overrides cells
    of the given (1-based data) rows to make them unreadable."""
    r = random.Random(seed)
    bad = bad or {}
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=LOCATIONS_HEADER)
        writer.writeheader()
        for number in range(1, rows + 1):
            row = location_row(number, r)
            row.update(bad.get(number, {}))
            writer.writerow(row)
        for row in extra:
            writer.writerow(row)
