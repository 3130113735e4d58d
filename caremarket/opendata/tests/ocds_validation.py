"""libcoveocds, the Open Contracting Partnership's own checker, against the OCDS 1.1.5 schema
shipped in opendata/ocds_schema (read from disk: no network)."""

import io
import zipfile
from functools import cache
from pathlib import Path

from libcoveocds.api import ocds_json_output
from libcoveocds.config import LibCoveOCDSConfig

SCHEMA = Path(__file__).resolve().parents[1] / "ocds_schema"


@cache
def _standard_zip() -> bytes:
    """The files laid out as the standard's own repository archive, which libcoveocds reads."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("standard-1__1__5/", "")
        for path in sorted(SCHEMA.rglob("*")):
            if path.suffix in (".json", ".csv"):
                archive.write(path, f"standard-1__1__5/schema/{path.relative_to(SCHEMA)}")
    return buffer.getvalue()


def problems(package: dict) -> dict:
    """What libcoveocds finds wrong or unexpected in a release package (empty when it is clean)."""
    config = LibCoveOCDSConfig({"standard_zip": _standard_zip(), "context": "api"})
    found = ocds_json_output(json_data=package, lib_cove_ocds_config=config, schema_version="1.1")
    wanted = ("validation_errors", "additional_fields", "additional_closed_codelist_values", "additional_checks",
              "deprecated_fields")
    return {name: found[name] for name in wanted if found.get(name)}
