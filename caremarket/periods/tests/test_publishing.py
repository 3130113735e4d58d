import pytest
from django.core.exceptions import ValidationError

from caremarket.audit.models import AuditEvent
from caremarket.periods.models import FinancialYear
from caremarket.periods.publishing import draft_year, publish_year


def test_drafting_and_publishing_a_year_is_stored_as_a_table_and_audited(commissioner):
    year = draft_year(2027, commissioner)
    assert year.periods.count() == 13
    assert not year.is_published
    publish_year(year, commissioner)
    year.refresh_from_db()
    assert year.is_published and year.published_by == commissioner
    actions = list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))
    assert actions == ["payment_calendar.drafted", "payment_calendar.published"]


def test_a_published_year_cannot_be_redrafted_and_publishing_again_changes_nothing(commissioner):
    year = publish_year(draft_year(2027, commissioner), commissioner)
    events = AuditEvent.objects.count()
    publish_year(year, commissioner)
    assert AuditEvent.objects.count() == events
    with pytest.raises(ValidationError, match="published"):
        draft_year(2027, commissioner)
    assert FinancialYear.objects.get(start_year=2027).periods.count() == 13


def test_a_table_with_a_gap_is_not_published(commissioner):
    year = draft_year(2027, commissioner)
    year.periods.get(number=7).delete()
    with pytest.raises(ValidationError, match="13 payment periods"):
        publish_year(year, commissioner)
    year.refresh_from_db()
    assert not year.is_published
