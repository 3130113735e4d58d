from django_tasks import task

from . import delivery


@task()
def deliver_events() -> dict:
    """Send every delivery that is due; woken by each transaction that writes events, and every
    minute by the scheduler for the retries."""
    return {"delivered": delivery.deliver_due()}
