import logging

from django_tasks import task

from .trail import seal, verify

logger = logging.getLogger(__name__)


@task()
def verify_audit_trail() -> int:
    """Nightly check of the chain; problems are logged as errors for the operators' alerting."""
    problems = verify()
    for problem in problems:
        logger.error("audit trail: %s", problem)
    return len(problems)


@task()
def seal_audit_trail() -> int:
    """Every minute, in case no sealer process is running (``manage.py seal_audit_trail``
    seals every few seconds): no event stays out of the chain for long."""
    return seal()
