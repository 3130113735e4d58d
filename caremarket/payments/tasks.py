from django_tasks import task

from caremarket.accounts.models import User

from .models import PaymentRun
from .runs import complete_run


@task()
def complete_payment_run(run_id: int, user_id: int) -> str:
    """A started payment run, worked out by the background worker while the page shows progress."""
    run = complete_run(PaymentRun.objects.select_related("period").get(pk=run_id), User.objects.get(pk=user_id))
    return run.get_status_display()
