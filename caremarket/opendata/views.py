"""The public open-data page, and each financial year's micro-tenders as one OCDS file."""

from django.conf import settings
from django.db.models import Max
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse

from caremarket.core import clock
from caremarket.organisations.models import Organisation
from caremarket.periods.calendar import financial_year_bounds, financial_year_label, financial_year_of
from caremarket.periods.models import FinancialYear
from caremarket.quality.models import QualityRating

from . import files, ocds, publishing


def open_data(request):
    ratings_updated = QualityRating.objects.aggregate(on=Max("published_on"))["on"]
    calendar_updated = FinancialYear.objects.aggregate(at=Max("published_at"))["at"]
    councils = list(Organisation.objects.filter(kind=Organisation.Kind.COUNCIL))
    years = [{"label": financial_year_label(year), "council": council if len(councils) > 1 else None,
              "href": reverse("open-data-ocds", kwargs={"council": council.pk, "start_year": year}),
              "updated": publishing.last_release_date(files.year_window(year, council.pk)),
              "held": files.held_back(year, council.pk)}
             for council in councils for year in publishing.years_published(council.pk)]
    return render(request, "opendata/open_data.html", {
        "licence": ocds.OGL, "years": years, "k": settings.OPEN_DATA_K, "ratings_updated": ratings_updated,
        "calendar_updated": calendar_updated, "feed_example": (
            f"{reverse('api:ocds_releases')}?since={financial_year_bounds(financial_year_of(clock.today()))[0]}"
            f"&until={clock.today()}"),
    })


def ocds_year(request, council: int, start_year: int):
    """The council's file for the year as built by the background job (files.build_year);
    written while it streams only until the job has built it once."""
    if (not Organisation.objects.filter(pk=council, kind=Organisation.Kind.COUNCIL).exists()
            or start_year not in publishing.years_published(council)):
        raise Http404("No open contracting data for that council and year")
    path = files.year_file(start_year, council)
    if path.exists():
        return FileResponse(path.open("rb"), as_attachment=True, filename=path.name, content_type="application/json")
    response = StreamingHttpResponse(publishing.release_package(files.year_window(start_year, council),
                                                                uri=request.build_absolute_uri()),
                                     content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{path.name}"'
    return response
