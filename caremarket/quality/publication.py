"""The published quality information (2018 strategy, "Publication of the quality rating"):
each service's council rating, CQC rating, NHS rating and customer feedback, with dates.
The same rows feed the public page, the CSV and the JSON open data. Each council publishes its
own: the services on its frameworks, with the ratings its rating system gave them."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from django.db.models import Exists, OuterRef, Q

from caremarket.core.cleaning import whole_number
from caremarket.framework.councils import frameworks_of
from caremarket.framework.models import SectionApproval
from caremarket.organisations.models import CareLocation

from .models import CustomerFeedback, Inspection, QualityRating
from .ratings import Rating

FEEDBACK_MONTHS = 12


@dataclass
class PublishedService:
    provider: str
    service: str
    cqc_location_id: str
    type_of_care: str
    address: str
    area: str
    postcode: str
    council_rating: str
    council_rating_date: dt.date | None
    council_rating_reasons: list[str]
    cqc_rating: str
    cqc_rating_date: dt.date | None
    nhs_rating: str
    nhs_rating_date: dt.date | None
    feedback_count: int
    would_recommend_percent: int | None
    average_experience: str | None

    def as_json(self) -> dict:
        return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in asdict(self).items()}


NOT_YET_RATED = "not-yet-rated"
RATING_CHOICES = [(str(int(r)), r.label) for r in sorted(Rating, reverse=True)] + [(NOT_YET_RATED, "Not yet rated")]


def published_services(*, council: int, today: dt.date, **filters) -> list[PublishedService]:
    """Every service a council publishes that the filters choose (the open data files)."""
    return describe(list(published_locations(council=council, **filters)), council, today)


def published_locations(*, council: int, area: str = "", service_type: str = "", need_group: str = "",
                        name: str = "", rating: str = ""):
    """Services of providers on the council's frameworks, filtered by area, service type and need
    group codes, a name, and the council's current rating ("4", or NOT_YET_RATED)."""
    approvals = SectionApproval.objects.filter(section__framework__in=frameworks_of(council)).exclude(
        status=SectionApproval.Status.REMOVED)
    if service_type:
        approvals = approvals.filter(section__service_type__code=service_type)
    if need_group:
        approvals = approvals.filter(Q(section__need_group__code=need_group) | Q(section__need_group__isnull=True))
    locations = CareLocation.objects.filter(organisation__in=approvals.values("organisation"),
                                            registration=CareLocation.Registration.REGISTERED)
    if area:
        locations = locations.filter(Q(area__code=area) | Q(
            organisation__section_approvals__section__area__code=area)).distinct()
    if name:
        locations = locations.filter(Q(name__icontains=name) | Q(organisation__name__icontains=name))
    rated = QualityRating.objects.filter(council=council, location=OuterRef("pk"), is_current=True)
    if rating == NOT_YET_RATED:
        locations = locations.exclude(Exists(rated))
    elif (number := whole_number(rating, most_digits=1)) is not None:
        locations = locations.filter(Exists(rated.filter(rating=number)))
    return locations.select_related("organisation", "area").order_by("organisation__name", "name", "pk")


def _type_of_care(location: CareLocation) -> str:
    return "Nursing home" if location.has_nursing else "Care home" if location.is_care_home else "Care in the community"


def describe(locations: list[CareLocation], council: int, today: dt.date) -> list[PublishedService]:
    """What the public is told of each service: the council's rating with its reasons, the CQC's
    and the NHS's, and what people told the council."""
    ids = [l.pk for l in locations]
    ratings = {r.location_id: r for r in QualityRating.objects.filter(council=council, location_id__in=ids,
                                                                       is_current=True)}
    nhs = {}
    for inspection in Inspection.objects.filter(location_id__in=ids, source="nhs").order_by("inspected_on"):
        nhs[inspection.location_id] = inspection
    since = today - dt.timedelta(days=FEEDBACK_MONTHS * 30)
    feedback: dict[int, list[CustomerFeedback]] = {}
    for item in CustomerFeedback.objects.filter(council=council, location_id__in=ids, received_on__gte=since):
        feedback.setdefault(item.location_id, []).append(item)
    rows = []
    for location in locations:
        rating, latest_nhs, items = ratings.get(location.pk), nhs.get(location.pk), feedback.get(location.pk, [])
        answers = [i.would_recommend for i in items if i.would_recommend is not None]
        scores = [i.overall_experience for i in items if i.overall_experience]
        rows.append(PublishedService(
            provider=location.organisation.name, service=location.name, cqc_location_id=location.cqc_location_id,
            type_of_care=_type_of_care(location), address=" ".join(location.address.split()),
            area=location.area.name if location.area else "Outside the city", postcode=location.postcode,
            council_rating=rating.label if rating else "Not yet rated",
            council_rating_date=rating.effective_from if rating else None,
            council_rating_reasons=rating.explanation if rating else [],
            cqc_rating=location.cqc_rating or "No published rating",
            cqc_rating_date=location.cqc_rating_published_on,
            nhs_rating=latest_nhs.outcome if latest_nhs else "", nhs_rating_date=latest_nhs.inspected_on if latest_nhs else None,
            feedback_count=len(items),
            would_recommend_percent=round(100 * sum(answers) / len(answers)) if answers else None,
            average_experience=f"{sum(scores) / len(scores):.1f} out of 5" if scores else None,
        ))
    return rows
