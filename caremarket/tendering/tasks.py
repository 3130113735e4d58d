from django_tasks import task

from caremarket.packages.models import CarePackage

from . import notices, services
from .models import Tender


@task()
def close_due_tenders() -> dict:
    """Every few minutes: close tenders whose deadline has passed and evaluate their offers."""
    return {"closed": services.close_due_tenders()}


@task()
def email_invitations(tender_id: int) -> dict:
    return {"sent": notices.invitations(Tender.objects.get(pk=tender_id))}


@task()
def email_no_offers(tender_id: int) -> dict:
    return {"sent": notices.no_offers(Tender.objects.get(pk=tender_id))}


@task()
def email_outcomes(package_id: int) -> dict:
    return {"sent": notices.outcomes(CarePackage.objects.get(pk=package_id))}


@task()
def email_cancelled(tender_id: int) -> dict:
    return {"sent": notices.cancelled(Tender.objects.get(pk=tender_id))}
