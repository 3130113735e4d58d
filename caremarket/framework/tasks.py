from django_tasks import task

from caremarket.organisations.models import Organisation

from .compliance import apply_compliance, send_expiry_reminders


@task()
def check_compliance_evidence() -> dict:
    """Daily: remind providers of evidence about to expire; suspend or restore bidding."""
    reminded = send_expiry_reminders()
    changed = sum(apply_compliance(organisation, "scheduler: compliance evidence")
                  for organisation in Organisation.objects.filter(section_approvals__isnull=False).distinct())
    return {"reminders": reminded, "approvals_changed": changed}
