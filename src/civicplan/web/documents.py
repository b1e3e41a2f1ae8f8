"""Documents of a cycle made in the background (plan book, reports, strategy maps, data): ask, watch the
progress, download. Thin: the form goes to exports.services.do_request_export; the worker makes the file."""

from __future__ import annotations

import importlib.util

from django import forms as django_forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civicplan.agencies.models import Agency
from civicplan.editing import ValidationError
from civicplan.exports import EXPORTERS
from civicplan.exports.models import ExportJob
from civicplan.exports.services import do_request_export
from civicplan.permissions import can, require
from civicplan.plans.models import PlanCycle

KIND_LABELS = {
    "book": gettext_lazy("Plan book (中程施政計畫)"),
    "performance-report": gettext_lazy("Performance report (施政績效成果報告)"),
    "tracking-report": gettext_lazy("Tracking report for the mayor's meeting (列管報告)"),
    "strategy-map": gettext_lazy("Strategy maps (策略地圖)"),
    "data": gettext_lazy("Data of the plan (spreadsheet or JSON)"),
}
RECENT = 20


def available_kinds() -> list[str]:
    """The kinds whose exporter is installed, in the order of EXPORTERS."""
    return [kind for kind, (module, _f, _formats) in EXPORTERS.items() if importlib.util.find_spec(module)]


class DocumentForm(django_forms.Form):
    kind = django_forms.ChoiceField(label=gettext_lazy("Document"))
    fmt = django_forms.ChoiceField(label=gettext_lazy("Format"))
    agency = django_forms.ModelChoiceField(label=gettext_lazy("Agency (empty: the whole city)"), required=False,
                                           queryset=Agency.objects.none())
    year = django_forms.IntegerField(label=gettext_lazy("Year (ROC), for reports"), required=False,
                                     min_value=1, max_value=999)
    period_no = django_forms.IntegerField(label=gettext_lazy("Period number, for the tracking report"),
                                          required=False, min_value=1, max_value=12)

    def __init__(self, *args, cycle: PlanCycle, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = available_kinds()
        self.fields["kind"].choices = [(k, KIND_LABELS.get(k, k)) for k in kinds]
        formats = dict.fromkeys(f for k in kinds for f in EXPORTERS[k][2])
        self.fields["fmt"].choices = [(f, f.upper()) for f in formats]
        self.fields["agency"].queryset = Agency.objects.filter(chapters__cycle=cycle).order_by("order", "name")


def _cycle(request, pk) -> PlanCycle:
    cycle = get_object_or_404(PlanCycle.objects.select_related("city"), pk=pk)
    require(request.user, "plans.view", cycle)
    return cycle


@login_required
def documents(request, pk):
    cycle = _cycle(request, pk)
    status = 200
    if request.method == "POST":
        form = DocumentForm(request.POST, cycle=cycle)
        if form.is_valid():
            data = form.cleaned_data
            try:
                job = do_request_export(cycle, kind=data["kind"], fmt=data["fmt"], agency=data["agency"],
                                        year=data["year"], period_no=data["period_no"], actor=request.user)
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, messages)
            else:
                return redirect("document-job", job.pk)
        status = 400
    else:
        form = DocumentForm(cycle=cycle, initial={"kind": "book", "fmt": "odt"})
    jobs = (ExportJob.objects.filter(cycle=cycle, requested_by=request.user)
            .select_related("agency")[:RECENT])
    return render(request, "civicplan/documents/documents.html", {
        "cycle": cycle, "form": form, "jobs": jobs, "kind_labels": KIND_LABELS,
        "formats": {kind: EXPORTERS[kind][2] for kind in available_kinds()},
    }, status=status)


def _job(request, pk) -> ExportJob:
    job = get_object_or_404(ExportJob.objects.select_related("cycle__city", "agency", "requested_by"), pk=pk)
    require(request.user, "plans.view", job.cycle)
    if job.requested_by_id != request.user.pk and not can(request.user, "plans.change_cycle", job.cycle):
        raise PermissionDenied(_("This document was asked for by someone else."))
    return job


@login_required
def document_job(request, pk):
    job = _job(request, pk)
    template = ("civicplan/documents/_job.html" if request.headers.get("HX-Request")
                else "civicplan/documents/job.html")
    return render(request, template, {"job": job, "cycle": job.cycle, "kind_labels": KIND_LABELS})


@login_required
def document_download(request, pk):
    job = _job(request, pk)
    if not job.file:
        raise Http404(_("The document is not ready."))
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.file_name)
