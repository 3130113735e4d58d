from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.db import transaction
from django.shortcuts import redirect, render

from caremarket.accounts.permissions import require
from caremarket.core import clock
from caremarket.govuk.forms import GovukFormMixin
from caremarket.govuk.lists import page_of

from .models import CqcImport
from .tasks import import_cqc_file

ACCEPTED = (".csv", ".ods", ".json")


class UploadForm(GovukFormMixin, forms.Form):
    file = forms.FileField(label="CQC data file", help_text="The CQC's active locations, latest ratings or "
                                                            "deactivated locations file (CSV or ODS), or API "
                                                            "location records (JSON)",
                           error_messages={"required": "Choose the file to import"})

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if not uploaded.name.lower().endswith(ACCEPTED):
            raise forms.ValidationError("The file must be a CSV, ODS or JSON file")
        return uploaded


@login_required
def imports(request):
    require(request.user, "import_cqc_data")
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        name = default_storage.save(f"cqc/{clock.now():%Y%m%d-%H%M%S}-{uploaded.name}", uploaded)
        path, user_id = default_storage.path(name), request.user.pk
        transaction.on_commit(lambda: import_cqc_file.enqueue(path, user_id))
        messages.success(request, f"{uploaded.name} will be imported in the background. This page shows when "
                                  "it has finished.")
        return redirect("cqc-imports")
    runs = page_of(request, CqcImport.objects.all(), per_page=20)
    return render(request, "cqc/imports.html", {"form": form, "runs": runs,
                                                "waiting": any(r.status == "running" for r in runs)})
