from django_tasks import task

from caremarket.core import clock

from .calendar import financial_year_of
from .models import FinancialYear
from .publishing import draft_year

@task()
def draft_next_payment_calendar() -> str:
    """Draft next year's payment calendar once the new calendar year starts, if nobody has."""
    today = clock.today()
    next_year = financial_year_of(today) + 1
    if today.month > 3:  # drafted from January, for finance to check and publish before 1 April
        return "not yet"
    if FinancialYear.objects.filter(start_year=next_year).exists():
        return "already drafted"
    draft_year(next_year, "scheduler: draft next payment calendar")
    return "drafted"
