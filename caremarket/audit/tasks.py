import logging

from django_tasks import task

from .trail import verify

logger = logging.getLogger(__name__)


@task()
def verify_audit_trail() -> int:
    """Nightly check of the chain; problems are logged as errors for the operators' alerting."""
    problems = verify()
    for problem in problems:
        logger.error("audit trail: %s", problem)
    return len(problems)
