"""Numbers as people write them."""

from caremarket.govuk.templatetags.govuk import nhs_number, thousands


def test_counts_have_their_thousands_separated():
    assert (thousands(1069), thousands(20_000), thousands(999)) == ("1,069", "20,000", "999")


def test_an_nhs_number_is_written_three_three_four():
    assert nhs_number("9503162372") == "950 316 2372"
    assert nhs_number("") == "" and nhs_number(None) == "" and nhs_number("95031") == "95031"
