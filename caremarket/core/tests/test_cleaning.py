"""The one rule for incoming text, and where it is applied."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caremarket.core import cleaning
from caremarket.core.cleaning import problem


@pytest.mark.parametrize("text, multiline, found", [
    ("a\x00b", True, "a null character (U+0000)"),
    ("\u0007 not a phone \u202e", False, "a control character (U+0007)"),
    ("0121 \u202e496 0000", False, "a character that reverses the direction of text (U+202E)"),
    ("Line one\nLine two", False, "a line break or tab (U+000A)"),
])
def test_what_is_refused_and_why(text, multiline, found):
    assert problem(text, multiline=multiline) == f"contains {found}, which is not allowed"


@pytest.mark.parametrize("text", ["Line one\nLine two\r\n\tindented", "Zoë O'Brien-Smith", "شركة الرعاية",
                                  "B13 9AB", "", "£22.50 an hour — agreed"])
def test_ordinary_text_in_any_script_is_taken(text):
    assert problem(text, multiline=True) is None


@given(st.text())
def test_text_taken_has_no_null_or_control_character(text):
    if problem(text) is None:
        assert not any(ord(c) < 32 or 0x7f <= ord(c) <= 0x9f for c in text)


@pytest.mark.parametrize("text, number", [("120", 120), (" 7 ", 7), ("007", 7), ("²", None), ("٣", None),
                                          ("1²", None), ("-3", None), ("1.0", None), ("", None), (None, None),
                                          ("9" * 19, None)])
def test_a_whole_number_is_written_in_the_digits_0_to_9_alone(text, number):
    assert cleaning.whole_number(text) == number


@given(st.text(max_size=12))
def test_whatever_the_text_a_whole_number_is_read_only_from_ascii_digits(text):
    number = cleaning.whole_number(text)
    digits = text.strip()
    assert (number is not None) == (0 < len(digits) <= 18 and set(digits) <= set("0123456789"))
    assert number is None or number == int(digits)
