"""The public open-data page, and each financial year's micro-tenders as one OCDS file."""

from django.db.models import Max
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse

from caremarket.core import clock
from caremarket.periods.calendar import financial_year_bounds, financial_year_label, financial_year_of
from caremarket.periods.models import FinancialYear
from caremarket.quality.models import QualityRating

from . import ocds, publishing


def _year_window(start_year: int) -> publishing.Window:
    return publishing.Window(*financial_year_bounds(start_year))


def _years() -> list[int]:
    this_year = financial_year_of(clock.today())
    first = publishing.first_year()
    return list(range(this_year, (first if first is not None else this_year) - 1, -1))


def open_data(request):
    ratings_updated = QualityRating.objects.aggregate(on=Max("published_on"))["on"]
    calendar_updated = FinancialYear.objects.aggregate(at=Max("published_at"))["at"]
    years = [{"label": financial_year_label(year), "href": reverse("open-data-ocds", args=[year]),
              "updated": publishing.last_release_date(_year_window(year))} for year in _years()]
    return render(request, "opendata/open_data.html", {
        "licence": ocds.OGL, "years": years, "ratings_updated": ratings_updated,
        "calendar_updated": calendar_updated, "feed_example": (
            f"{reverse('api:ocds_releases')}?since={financial_year_bounds(financial_year_of(clock.today()))[0]}"
            f"&until={clock.today()}"),
    })


def ocds_year(request, start_year: int):
    if start_year not in _years():
        raise Http404("No open contracting data for that year")
    name = f"micro-tenders-{start_year}-{(start_year + 1) % 100:02d}.json"
    window = _year_window(start_year)
    response = StreamingHttpResponse(
        publishing.release_package(window, uri=request.build_absolute_uri()), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
