from django_tasks import task

from . import services


@task()
def close_due_tenders() -> dict:
    """Every few minutes: close tenders whose deadline has passed and evaluate their offers."""
    return {"closed": services.close_due_tenders()}
