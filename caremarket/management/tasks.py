from django_tasks import task

from . import reviews


@task()
def schedule_contract_reviews() -> dict:
    """Daily: schedule this quarter's contract reviews for the providers with the largest share."""
    return {"scheduled": len(reviews.schedule("scheduler: contract reviews"))}
