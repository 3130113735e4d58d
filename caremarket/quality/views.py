import csv
from dataclasses import fields

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render

from caremarket.core import clock
from caremarket.geography.models import Area
from caremarket.reference.models import NeedGroup, ServiceType

from .publication import PublishedService, published_services


def _filters(request) -> dict:
    return {key: request.GET.get(key, "").strip() for key in ("area", "service_type", "need_group", "name")}


def public_ratings(request):
    """Open to everyone: the ratings citizens use to choose."""
    chosen = _filters(request)
    return render(request, "quality/public_ratings.html", {
        "services": published_services(**chosen, today=clock.today()), "chosen": chosen,
        "areas": Area.objects.all(), "service_types": ServiceType.objects.filter(is_active=True),
        "need_groups": NeedGroup.objects.filter(is_active=True),
    })


def public_ratings_csv(request):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="care-provider-ratings.csv"'
    writer = csv.writer(response)
    names = [f.name for f in fields(PublishedService)]
    writer.writerow(names)
    for service in published_services(**_filters(request), today=clock.today()):
        row = service.as_json()
        row["council_rating_reasons"] = " | ".join(row["council_rating_reasons"])
        writer.writerow(["" if row[name] is None else row[name] for name in names])
    return response


def public_ratings_json(request):
    services = published_services(**_filters(request), today=clock.today())
    return JsonResponse({"published": clock.today().isoformat(), "services": [s.as_json() for s in services]})
