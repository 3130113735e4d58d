from django_tasks import task

from . import retention


@task()
def apply_retention() -> dict:
    """Nightly: remove or anonymise what the retention schedule says has been kept long enough."""
    return retention.apply().removed
