from hypothesis import given
from hypothesis import strategies as st

from caremarket.core.downloads import attachment


def test_a_year_and_odd_characters_make_a_file_name_any_computer_can_have():
    assert attachment("payments-2026/27-P03.csv") == 'attachment; filename="payments-2026-27-P03.csv"'
    assert attachment('a "quoted" name.pdf') == 'attachment; filename="a-quoted-name.pdf"'
    assert attachment("/../.csv") == 'attachment; filename="download.csv"'


@given(st.text(max_size=80))
def test_no_name_breaks_out_of_the_header_or_into_a_folder(name):
    header = attachment(name)
    inner = header.removeprefix('attachment; filename="').removesuffix('"')
    assert '"' not in inner and "/" not in inner and "\\" not in inner and "\n" not in inner and inner
