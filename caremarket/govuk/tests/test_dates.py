"""Dates as people enter them: in GOV.UK's day, month and year boxes, or typed whole."""

import datetime as dt

import pytest
from django import forms

from caremarket.govuk.forms import GovukFormMixin, date_field


class StartForm(GovukFormMixin, forms.Form):
    start = date_field("Start date")


@pytest.mark.parametrize("typed", ["7/12/2026", "07/12/2026", "7-12-2026", "7.12.2026", "7 December 2026",
                                   "7 december 2026", " 7  Dec 2026 ", "2026-12-07"])
def test_each_way_of_writing_a_day_is_understood(typed):
    assert date_field("Start date").clean(typed) == dt.date(2026, 12, 7)


@pytest.mark.parametrize("typed", ["31/2/2026", "7 Decembre 2026", "tomorrow", "12/2026"])
def test_a_date_that_is_not_one_is_refused_with_the_field_named(typed):
    with pytest.raises(forms.ValidationError, match="The start date must be a real date, like 14 10 2026"):
        date_field("Start date").clean(typed)


@pytest.mark.parametrize("day, month, year", [("7", "12", "2026"), ("07", "12", "2026"), ("7", "December", "2026"),
                                              ("7", "dec", "2026"), (" 7 ", " 12", "2026 ")])
def test_the_day_month_and_year_boxes_make_the_date(day, month, year):
    form = StartForm({"start-day": day, "start-month": month, "start-year": year})
    assert form.is_valid() and form.cleaned_data["start"] == dt.date(2026, 12, 7)


@pytest.mark.parametrize("day, month, year", [("31", "2", "2026"), ("7", "", "2026"), ("7", "13", "2026"),
                                              ("", "", "26x")])
def test_boxes_that_make_no_date_keep_what_was_typed_and_say_what_is_wrong(day, month, year):
    form = StartForm({"start-day": day, "start-month": month, "start-year": year})
    assert not form.is_valid()
    assert form.errors["start"] == ["The start date must be a real date, like 14 10 2026"]
    page = str(form)
    for part, value in (("day", day), ("month", month), ("year", year)):
        if value.strip():
            assert f'name="start-{part}" type="text" value="{value.strip()}"' in page
    assert "govuk-input--error" in page and 'aria-describedby="id_start-hint id_start-error"' in page


def test_empty_boxes_are_a_missing_date():
    form = StartForm({"start-day": "", "start-month": "", "start-year": ""})
    assert not form.is_valid() and form.errors["start"] == ["Enter the start date"]
