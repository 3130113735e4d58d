from django_tasks import task

from caremarket.organisations.models import CareLocation

from .services import escalate_overdue_plans, raise_focussed_inspections, rerate


@task()
def rerate_all_services() -> int:
    """Daily: dates move on (a PQAS falls due, an improvement plan is overdue), so ratings are
    worked out again; only real changes are stored."""
    changed = 0
    for location in CareLocation.objects.filter(organisation__section_approvals__isnull=False).distinct():
        before = location.ratings.filter(is_current=True).values_list("pk", flat=True).first()
        after = rerate(location, "scheduler: daily ratings").pk
        changed += before != after
    escalate_overdue_plans("scheduler: daily ratings")
    return changed


@task()
def check_focussed_inspection_triggers() -> int:
    return len(raise_focussed_inspections("scheduler: intelligence triggers"))
