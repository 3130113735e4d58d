from django.contrib.auth.decorators import login_required
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render

from caremarket.accounts.permissions import council_acted_for, require
from caremarket.citizens.access_log import record_access
from caremarket.core import clock, csv_out
from caremarket.core.downloads import attachment

from . import build
from .specification import Quarter

SHOWN = 8  # quarters listed: the current one and the two years before it


def _quarter(request, start_year: int, number: int) -> Quarter:
    require(request.user, "make_national_return")
    if not 1 <= number <= 4 or not 2000 <= start_year <= clock.today().year:
        raise Http404("There is no such quarter")
    return Quarter(start_year, number)


@login_required
def quarters(request):
    require(request.user, "make_national_return")
    listed = [Quarter.of(clock.today())]
    while len(listed) < SHOWN:
        listed.append(listed[-1].previous())
    return render(request, "national_return/quarters.html", {"quarters": listed, "current": listed[0]})


@login_required
def quarter(request, start_year, number):
    chosen = _quarter(request, start_year, number)
    return render(request, "national_return/quarter.html", {
        "quarter": chosen, "found": build.check(chosen, council_id=council_acted_for(request.user)),
        "unfinished": chosen.ends_on >= clock.today()})


@login_required
def download(request, start_year, number):
    chosen = _quarter(request, start_year, number)
    council_id = council_acted_for(request.user)
    # The file names every citizen it carries.
    record_access(request, build.citizens_in(chosen, council_id=council_id), kind="list")

    class Echo:
        def write(self, value):
            return value
    writer = csv_out.writer(Echo())
    response = StreamingHttpResponse((writer.writerow(row) for row in build.rows(chosen, council_id=council_id)),
                                     content_type="text/csv")
    response["Content-Disposition"] = attachment(
        f"client-level-data-{chosen.start_year}-{chosen.start_year + 1 - 2000:02d}-q{chosen.number}.csv")
    return response
