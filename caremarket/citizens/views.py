from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from caremarket.accounts.permissions import get_visible_or_404, require, visible

from .models import Assessment, Citizen


@login_required
def citizen_list(request):
    require(request.user, "view_citizens")
    citizens = visible(Citizen.objects.select_related("ward__area"), request.user)
    if request.GET.get("mine"):
        citizens = citizens.filter(social_worker=request.user)
    status = request.GET.get("status", "")
    if status in Assessment.Status.values:
        citizens = citizens.filter(assessments__status=status).distinct()
    query = request.GET.get("q", "").strip()
    if query:
        citizens = citizens.filter(family_name__icontains=query) | citizens.filter(reference__iexact=query)
    page = Paginator(citizens, 50).get_page(request.GET.get("page"))
    return render(request, "citizens/list.html", {"page": page, "query": query})


@login_required
def citizen_detail(request, pk):
    require(request.user, "view_citizens")
    citizen = get_visible_or_404(Citizen.objects.select_related("ward__area", "social_worker"), request.user, pk=pk)
    assessments = citizen.assessments.select_related("service_type").prefetch_related("need_groups")
    return render(request, "citizens/detail.html", {"citizen": citizen, "assessments": assessments})
