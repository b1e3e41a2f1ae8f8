"""Bulk entry of actuals from a spreadsheet (列管批次填報): download the report's template, upload it filled in,
see every cell error (row, column, why) or the changes it will make, and confirm.

Nothing is written before the confirmation; the confirmation saves through services.do_save_report, as the update
grid's "Save draft" does (same permission, versions, history and AuditEvent). Between the preview and the
confirmation the parsed upload is kept in the user's session under a token; the report's version at the preview is
kept with it, so a save by someone else in between is a conflict (409), not a lost update.
"""

from __future__ import annotations

import secrets

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from civicplan.agencies.models import Agency
from civicplan.editing import ConflictError, ValidationError
from civicplan.permissions import require
from civicplan.tracking import services, spreadsheet
from civicplan.tracking.models import Period, Report
from civicplan.web.views import _problem

SESSION_KEY = "civicplan.bulk"
KEEP = 5  # uploads waiting for confirmation per session (the oldest go)
SHOWN_ERRORS = 300


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Filled template (XLSX or ODS)"))


def _report(request, agency_id: int, period_id: int) -> Report:
    """The agency's report for the period, for a user who may edit it (the grid's save permission), else 403."""
    agency = get_object_or_404(Agency.objects.select_related("city"), pk=agency_id)
    period = get_object_or_404(Period, pk=period_id, city=agency.city)
    existing = Report.objects.filter(agency=agency, period=period).select_related("agency__city", "period").first()
    require(request.user, "tracking.edit_report", existing or Report(agency=agency, period=period))
    return services.open_report(agency, period)


@login_required
@require_GET
def template(request, agency_id, period_id, fmt):
    report = _report(request, agency_id, period_id)
    if fmt not in spreadsheet.FORMATS:
        raise Http404
    data = spreadsheet.make_template(report, fmt)
    response = HttpResponse(data, content_type=spreadsheet.FORMATS[fmt])
    response["Content-Disposition"] = content_disposition_header(True, spreadsheet.filename_for(report, fmt))
    return response


def _pending(request) -> dict:
    return request.session.get(SESSION_KEY) or {}


def _keep(request, report: Report, upload: spreadsheet.Upload, name: str) -> str:
    pending = _pending(request)
    while len(pending) >= KEEP:
        pending.pop(min(pending, key=lambda k: pending[k]["at"]))
    token = secrets.token_urlsafe(12)
    pending[token] = {
        "report": report.pk, "report_version": report.version, "file": name[:200],
        "at": timezone.now().isoformat(), "entries": {str(k): v for k, v in upload.entries.items()},
        "rows": {str(k): v for k, v in upload.rows.items()},
    }
    request.session[SESSION_KEY] = pending
    return token


def _page(request, report: Report, *, form=None, errors=None, upload_name="", nothing=False, status=200):
    shown = list(errors or [])
    return render(request, "civicplan/bulk/upload.html", {
        "report": report, "agency": report.agency, "period": report.period, "form": form or UploadForm(),
        "errors": shown[:SHOWN_ERRORS], "more_errors": max(0, len(shown) - SHOWN_ERRORS), "file_name": upload_name,
        "nothing": nothing, "kpis": report.measurements.count(),
    }, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def upload(request, agency_id, period_id):
    """GET: the download links and the upload form, or (?upload=token) the preview of a clean upload.
    POST: read the file; every error is listed (400) and nothing is kept; a clean file is kept for confirming."""
    report = _report(request, agency_id, period_id)
    if request.method == "GET":
        token = request.GET.get("upload", "")
        pending = _pending(request).get(token)
        if pending is None or pending["report"] != report.pk:
            if token:
                messages.info(request, _("That upload is no longer waiting (confirmed, discarded or replaced)."))
            return _page(request, report)
        preview = spreadsheet.describe(report, pending["entries"], pending["rows"])
        return render(request, "civicplan/bulk/preview.html", {
            "report": report, "agency": report.agency, "period": report.period, "token": token,
            "file_name": pending["file"], "preview": preview,
            "conflicts": [w for w in preview.warnings if w.kind == "conflict"],
            "behind": [w for w in preview.warnings if w.kind == "behind"],
        })
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, report, form=form, status=400)
    upload_file = form.cleaned_data["file"]
    if upload_file.size > spreadsheet.MAX_UPLOAD_BYTES:  # not even read
        return _page(request, report, errors=[spreadsheet.too_large()], upload_name=upload_file.name, status=400)
    result = spreadsheet.read(report, upload_file.name, upload_file.read())
    if result.errors:
        return _page(request, report, errors=result.errors, upload_name=upload_file.name, status=400)
    if not result.entries:
        return _page(request, report, upload_name=upload_file.name, nothing=True)
    token = _keep(request, report, result, upload_file.name)
    return redirect(reverse("bulk-upload", args=[report.agency_id, report.period_id]) + f"?upload={token}")


@login_required
@require_POST
def confirm(request, agency_id, period_id):
    """Save a previewed upload (or discard it): services.do_save_report with the entries as read."""
    report = _report(request, agency_id, period_id)
    grid = reverse("report-grid", args=[report.agency_id, report.period_id])
    pending = _pending(request)
    token = request.POST.get("upload", "")
    kept = pending.pop(token, None)
    request.session[SESSION_KEY] = pending
    if kept is None or kept["report"] != report.pk:
        messages.error(request, _("That upload is no longer waiting (confirmed, discarded or replaced): nothing "
                                  "was saved. Upload the file again."))
        return redirect("bulk-upload", report.agency_id, report.period_id)
    if request.POST.get("action") == "discard":
        messages.info(request, _("%(file)s was discarded: nothing was saved.") % {"file": kept["file"]})
        return redirect(grid)
    entries = {int(k): v for k, v in kept["entries"].items()}
    try:
        services.do_save_report(report, entries=entries, expected_version=kept["report_version"],
                                actor=request.user,
                                via=_("uploaded from the spreadsheet %(file)s") % {"file": kept["file"]})
    except ConflictError as error:
        return _problem(request, _("%(error)s Nothing of %(file)s was saved: upload it again (or download a new "
                                   "template) to see the current values.") % {"error": error, "file": kept["file"]},
                        409, back=grid)
    except ValidationError as error:
        return _problem(request, error, 400, back=grid)
    messages.success(request, _("Saved from %(file)s: %(n)s KPIs changed.") % {"file": kept["file"],
                                                                             "n": len(entries)})
    return redirect(grid)
