"""Dates as people type them."""

import datetime as dt

import pytest
from django import forms

from caremarket.govuk.forms import date_field


@pytest.mark.parametrize("typed", ["7/12/2026", "07/12/2026", "7-12-2026", "7.12.2026", "7 December 2026",
                                   "7 december 2026", " 7  Dec 2026 ", "2026-12-07"])
def test_each_way_of_writing_a_day_is_understood(typed):
    assert date_field("Start date").clean(typed) == dt.date(2026, 12, 7)


@pytest.mark.parametrize("typed", ["31/2/2026", "7 Decembre 2026", "tomorrow", "12/2026"])
def test_a_date_that_is_not_one_is_refused_with_the_field_named(typed):
    with pytest.raises(forms.ValidationError, match="Enter the start date like 14/10/2026"):
        date_field("Start date").clean(typed)
