from django_tasks import task

from caremarket.core import clock
from caremarket.organisations.models import Organisation

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
    councils = Organisation.objects.filter(kind=Organisation.Kind.COUNCIL).exclude(
        pk__in=FinancialYear.objects.filter(start_year=next_year).values("council"))
    drafted = [draft_year(next_year, "scheduler: draft next payment calendar", council=c).council_id for c in councils]
    return "drafted" if drafted else "already drafted"
