from django_tasks import task

from caremarket.accounts.models import User
from caremarket.fees.models import FeeSchedule

from . import ingest, new_year
from .models import PaymentRun
from .runs import complete_run


@task()
def complete_payment_run(run_id: int, user_id: int) -> str:
    """A started payment run, worked out by the background worker while the page shows progress."""
    run = complete_run(PaymentRun.objects.select_related("period").get(pk=run_id), User.objects.get(pk=user_id))
    return run.get_status_display()


@task()
def apply_new_year_prices(start_year: int, user_id: int) -> int:
    """The person's council's published fee schedule's prices on every continuing package of its
    own from its 1 April."""
    user = User.objects.get(pk=user_id)
    return new_year.apply_new_year_prices(FeeSchedule.objects.get(council=user.organisation_id, start_year=start_year),
                                          user)


@task()
def check_visit_file(upload_id: int) -> str:
    """A large call-monitoring file checked, priced and stored by whichever worker takes it: any
    number of workers, on any machine using the same database, share a period's files."""
    return ingest.check_waiting_file(upload_id).get_status_display()
