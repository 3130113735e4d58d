from django.contrib.auth.decorators import login_required
from django.http import HttpResponseServerError
from django.shortcuts import redirect, render
from django.template.loader import render_to_string

from caremarket.accounts.permissions import can, get_visible_or_404, require
from caremarket.accounts.roles import Role
from caremarket.citizens.access_log import record_access
from caremarket.citizens.models import Citizen, RecordAccess
from caremarket.core.urgency import OVERDUE, SOON

from .citizen_record import whole_record
from .context_processors import MOST_ITEMS, pages_for
from .dashboards import tasks_for
from .search import search


def home(request):
    if not request.user.is_authenticated:
        return render(request, "web/public_home.html")
    user = request.user
    title = f"{Role(user.role).label} dashboard" if user.role else "Administrator dashboard"
    return render(request, "web/dashboard.html", {"title": title, "tasks": tasks_for(user), "overdue": OVERDUE,
                                                  "soon": SOON})


@login_required
def more(request):
    """Every page the person may open, with what each is for (the header shows the first few)."""
    return render(request, "web/more.html", {"pages": pages_for(request.user)[MOST_ITEMS - 1:]})


@login_required
def find(request):
    """The header's search: straight to the record when the query names exactly one."""
    query = request.GET.get("q", "")[:100]
    only, groups, citizens = search(request.user, query) if query.strip() else (None, [], [])
    if only:
        return redirect(only)
    record_access(request, citizens, kind=RecordAccess.Kind.LIST)
    return render(request, "web/search.html", {"query": query, "groups": groups})


@login_required
def citizen_record(request, pk):
    """A citizen's record: their assessments, care and payments, with a timeline (council only)."""
    require(request.user, "view_citizens")
    citizen = get_visible_or_404(Citizen.objects.select_related("ward__area", "social_worker"), request.user, pk=pk)
    record_access(request, [citizen], kind=RecordAccess.Kind.RECORD)
    assessments = citizen.assessments.select_related("service_type").prefetch_related("need_groups")
    return render(request, "citizens/detail.html", {"citizen": citizen, "assessments": assessments,
                                                    "may_raise": can(request.user, "raise_requirements"),
                                                    **whole_record(citizen)})


ABOUT_PAGES = {"accessibility": "Accessibility statement", "privacy": "How we use personal information",
               "cookies": "Cookies"}


def about_page(request, page):
    """The pages every GOV.UK service links from its footer; open to everyone."""
    return render(request, f"web/{page}.html", {"title": ABOUT_PAGES[page]})


def page_not_found(request, exception=None):
    return render(request, "web/404.html", status=404)


def server_error(request):
    """The service's own page; the traceback goes to the log, never to the page."""
    return HttpResponseServerError(render_to_string("web/500.html"))


def permission_denied(request, exception=None):
    """Says why, where the refusal gave a reason in words (every one in the service does)."""
    reason = str(exception) if exception is not None and exception.args else ""
    return render(request, "web/403.html", {"reason": reason}, status=403)
