from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from caremarket.accounts.permissions import require
from caremarket.audit.reference_pages import PERMISSION
from caremarket.geography import pages as geography

from . import pages


@login_required
def reference_data(request):
    """What the council keeps as reference data, each kind with its own pages; the settings kept
    in the back office (policies, thresholds, rules) after them."""
    require(request.user, PERMISSION)
    kinds = [(kind, kind.model.objects.count()) for kind in pages.KINDS + geography.KINDS]
    return render(request, "reference/index.html", {"kinds": kinds})
