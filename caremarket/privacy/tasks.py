from django_tasks import task

from caremarket.organisations.models import Organisation

from . import retention


@task()
def apply_retention() -> dict:
    """Nightly: remove or anonymise what each council's retention schedule says has been kept
    long enough."""
    return {str(council): retention.apply(council_id=council).removed
            for council in Organisation.objects.filter(kind=Organisation.Kind.COUNCIL).values_list("pk", flat=True)}
