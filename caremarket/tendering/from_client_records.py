"""Where the council has chosen it (``TenderPolicy.raise_from_client_records``, per service), an
assessment the client record system sends raises its care requirement at once, with no broker
keying it in: the need, hours and area as the assessment and the citizen's ward give them. An
assessment this cannot place (no ward, so no area; hours missing for care at home) is left for
a broker, who sees it on the citizen's page as before. Run every few minutes by the scheduler;
an assessment that has a requirement already is never raised again, so running it twice raises
nothing new."""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError

from caremarket.citizens.models import Assessment
from caremarket.core import clock
from caremarket.framework.councils import frameworks_of
from caremarket.organisations.models import Organisation

from .models import CareRequirement, TenderPolicy
from .services import raise_requirement

SENDER = "client record system"
log = logging.getLogger(__name__)


def raise_from_assessments() -> list[CareRequirement]:
    raised = []
    for council_id in Organisation.objects.filter(kind=Organisation.Kind.COUNCIL).values_list("pk", flat=True):
        raised += _raise_for(council_id)
    return raised


def _raise_for(council_id: int) -> list[CareRequirement]:
    """A council's assessments for the services its frameworks' policies raise at once."""
    chosen = TenderPolicy.objects.filter(framework__in=frameworks_of(council_id), raise_from_client_records=True)
    waiting = (Assessment.objects.filter(council=council_id, source_id__isnull=False,
                                         service_type__in=chosen.values("service_type"),
                                         status__in=[Assessment.Status.ASSESSED, Assessment.Status.AWAITING_SERVICE],
                                         citizen__died_on__isnull=True, citizen__ward__isnull=False,
                                         requirements__isnull=True)
               .select_related("citizen__ward__area", "service_type").prefetch_related("need_groups").order_by("pk"))
    raised, today = [], clock.today()
    for assessment in waiting:
        ward = assessment.citizen.ward
        try:
            raised.append(raise_requirement(
                assessment, SENDER, need_groups=list(assessment.need_groups.all()),
                service_type=assessment.service_type, area=ward.area, ward=ward,
                eligible_needs=assessment.eligible_needs, outcomes=assessment.outcomes,
                weekly_hours=assessment.weekly_hours, start_on=max(today, assessment.assessed_on),
                urgency=CareRequirement.Urgency.STANDARD))
        except ValidationError as refused:  # left for a broker, who is shown the same reason
            log.info("Assessment %s left for a broker: %s", assessment.source_id, "; ".join(refused.messages))
    return raised
