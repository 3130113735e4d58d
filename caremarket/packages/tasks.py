from django_tasks import task

from . import from_client_records


@task()
def propose_ends_from_client_records() -> dict:
    """Every 15 minutes: propose the end of the care of citizens who have died, or whose
    assessment the client record system has closed."""
    return {"proposed": len(from_client_records.propose_ends())}
