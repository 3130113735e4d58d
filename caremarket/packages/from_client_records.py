"""A citizen's death, or the closing of the assessment their care was arranged from, as the
client record system tells it (citizens.intake), proposes the end of their live care package.
The end is a package change like any other: a second person approves it (four eyes) before it
takes effect, so a mistaken record ends nobody's care. Run every few minutes by the scheduler;
a package whose end is already asked for or approved is left alone, so running it again
proposes nothing new."""

from __future__ import annotations

from caremarket.core import clock

from .models import CarePackage, PackageChange
from .services import request_change

SENDER = "client record system"


def propose_ends() -> list[PackageChange]:
    asked = PackageChange.objects.filter(kind=PackageChange.Kind.END,
                                         status__in=[PackageChange.Status.PROPOSED, PackageChange.Status.APPROVED])
    live = (CarePackage.objects.filter(status=CarePackage.Status.ACTIVE, end_on__isnull=True)
            .exclude(pk__in=asked.values("package_id")).select_related("requirement__citizen", "requirement__assessment")
            .order_by("pk"))
    today, proposed = clock.today(), []
    for package in live.filter(requirement__citizen__died_on__isnull=False):
        died = package.requirement.citizen.died_on
        proposed.append(request_change(
            package, SENDER, kind=PackageChange.Kind.END, effective_from=max(died, package.start_on),
            end_cause=PackageChange.EndCause.DEATH,
            reason=f"The client record system says the citizen died on {died:%-d %B %Y}"))
    for package in live.filter(requirement__citizen__died_on__isnull=True, requirement__assessment__status="closed"):
        proposed.append(request_change(
            package, SENDER, kind=PackageChange.Kind.END, effective_from=max(today, package.start_on),
            end_cause=PackageChange.EndCause.NO_LONGER_NEEDED,
            reason="The client record system closed the assessment this care was arranged from"))
    return proposed
