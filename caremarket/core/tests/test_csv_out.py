"""Every CSV the service writes neutralises text a spreadsheet would run as a formula."""

import csv
import io
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from caremarket.core import csv_out


def written(row) -> list[str]:
    out = io.StringIO()
    csv_out.writer(out).writerow(row)
    return next(csv.reader(io.StringIO(out.getvalue())))


def test_formula_text_is_prefixed_and_numbers_are_left_alone():
    assert written(['=HYPERLINK("http://x","y")', "+1", "-2", "@SUM(A1)", "\tTab", "Plain", -3, Decimal("-1.50")]) == [
        '\'=HYPERLINK("http://x","y")', "'+1", "'-2", "'@SUM(A1)", "'\tTab", "Plain", "-3", "-1.50"]


@given(st.text())
def test_no_text_cell_ever_starts_a_formula(text):
    assert not written([text])[0].startswith(csv_out.FORMULA_STARTS) or text == ""
