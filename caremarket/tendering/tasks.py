from django_tasks import task

from . import from_client_records, services


@task()
def close_due_tenders() -> dict:
    """Every few minutes: close tenders whose deadline has passed and evaluate their offers."""
    return {"closed": services.close_due_tenders()}


@task()
def raise_from_client_records() -> dict:
    """Every few minutes: raise the requirements of assessments the client record system has
    sent, for the services where the council has chosen that."""
    return {"raised": len(from_client_records.raise_from_assessments())}
