"""A cycle's data as a download, straight away (the cycle page's “Download data” box): XLSX or ODS (a sheet per
table), CSV (each indicator's target and result by year) or JSON (the plan interchange format). What it holds is
`civicplan.exports.data`; whoever may view the cycle (`plans.view`) may download it, and its results are those
the person may read (a city's members: every report; others: approved reports only)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from civicplan.exports import CONTENT_TYPES, EXPORTERS, ExportRequest, export
from civicplan.permissions import require
from civicplan.plans.models import PlanCycle

DATA_FORMATS = EXPORTERS["data"][2]


def data_file_name(cycle: PlanCycle, fmt: str) -> str:
    """基隆市-中程施政計畫-109-112.xlsx"""
    return f"{cycle.city.name}-{cycle.get_kind_display()}-{cycle.start_year}-{cycle.end_year}.{fmt}"


@login_required
@require_safe
def cycle_data(request, pk: int, fmt: str):
    cycle = get_object_or_404(PlanCycle.objects.select_related("city"), pk=pk)
    require(request.user, "plans.view", cycle)
    if fmt not in DATA_FORMATS:
        raise Http404(_("No such format: %(fmt)s (one of %(formats)s).")
                      % {"fmt": fmt, "formats": ", ".join(DATA_FORMATS)})
    data = export(ExportRequest(kind="data", fmt=fmt, city=cycle.city, cycle=cycle, actor=request.user))
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition_header(True, data_file_name(cycle, fmt))
    return response
