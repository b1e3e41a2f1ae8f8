"""Tracking pages (列管): the agency's update grid, the review steps, lights, roll-ups and freshness.

Thin: read, or hand the input to civicplan.tracking.services and show the outcome (403 / 400 / 409 as elsewhere).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civicplan.agencies.models import Agency, City
from civicplan.agencies.rules import memberships_of
from civicplan.portal import opendata
from civicplan.agencies.models import Role
from civicplan.editing import ConflictError, ValidationError
from civicplan.permissions import can, require
from civicplan.plans.models import PlanCycle
from civicplan.tracking import common, rollups, services
from civicplan.tracking.models import Evidence, Light, Measurement, Period, Report, ReportStatus
from civicplan.tracking.periods import periods_for
from civicplan.web.views import _problem

STEPS = {
    "head_approve": (services.do_head_approve_report, "tracking.head_approve_report"),
    "first_review": (services.do_first_review_report, "tracking.first_review_report"),
    "final_review": (services.do_final_review_report, "tracking.final_review_report"),
    "return": (services.do_return_report, "tracking.return_report"),
    "reopen": (services.do_reopen_report, "tracking.reopen_report"),
}


def _years_of(agency: Agency) -> list[int]:
    years = set()
    for start, end in PlanCycle.objects.filter(chapters__goals__indicators__ownerships__agency=agency).values_list(
            "start_year", "end_year").distinct():
        years.update(range(start, end + 1))
    return sorted(years)


@login_required
def tracking_home(request):
    """The user's agencies with their reports by period; for reviewers, the reports waiting for them."""
    memberships = memberships_of(request.user)
    agencies = [m.agency for m in memberships if m.agency_id]
    rows = []
    for agency in agencies:
        reports = {r.period_id: r for r in Report.objects.filter(agency=agency)}
        years = []
        for year in _years_of(agency):
            periods = periods_for(agency.city, year)
            years.append({"year": year, "periods": [(p, reports.get(p.pk)) for p in periods]})
        rows.append({"agency": agency, "years": years})
    cities = {m.city_id for m in memberships if m.role in (Role.REVIEWER, Role.ADMIN)}
    waiting = (Report.objects.filter(agency__city_id__in=cities,
                                     status__in=[ReportStatus.HEAD_APPROVED, ReportStatus.FIRST_REVIEWED])
               .select_related("agency", "period"))
    if not rows and not cities:
        raise_forbidden(request)
    return render(request, "civicplan/tracking/home.html", {
        "rows": rows, "waiting": waiting, "review_cities": City.objects.filter(pk__in=cities),
    })


def raise_forbidden(request):
    from django.core.exceptions import PermissionDenied

    raise PermissionDenied(_("Tracking is for the agencies' editors and heads and for the reviewers."))


def _grid_rows(report: Report, data=None, errors=None):
    rows = []
    previous = {}
    earlier = Period.objects.filter(city=report.period.city, frequency=report.period.frequency,
                                    ends_on__lt=report.period.starts_on).order_by("-ends_on").first()
    if earlier is not None:
        previous = {m.indicator_id: m for m in Measurement.objects.filter(report__agency=report.agency,
                                                                          report__period=earlier)}
    measurements = (report.measurements.select_related("indicator__goal").prefetch_related("indicator__targets",
                                                                                           "evidence"))
    for m in measurements:
        target = next((t for t in m.indicator.targets.all() if t.year == report.period.year), None)
        values = {f: (data.get(f"m-{m.pk}-{f}", getattr(m, f)) if data is not None else getattr(m, f))
                  for f in services.ENTRY_FIELDS}
        rows.append({
            "m": m, "target": target, "formula": common.formula_for(m.indicator.name), "previous": previous.get(m.indicator_id), "values": values,
            "version": data.get(f"m-{m.pk}-version", m.version) if data is not None else m.version,
            "errors": {f: (errors or {}).get(f"{m.pk}.{f}") for f in (*services.ENTRY_FIELDS, "version")},
        })
    return rows


@login_required
def report_grid(request, agency_id, period_id):
    agency = get_object_or_404(Agency.objects.select_related("city"), pk=agency_id)
    period = get_object_or_404(Period, pk=period_id, city=agency.city)
    existing = Report.objects.filter(agency=agency, period=period).first()
    probe = existing or Report(agency=agency, period=period)
    require(request.user, "tracking.view_report", probe)
    report = existing if existing is not None and not existing.is_editable else None
    if report is None:
        if can(request.user, "tracking.edit_report", probe):
            report = services.open_report(agency, period)
        elif existing is None:
            return render(request, "civicplan/tracking/grid.html", {"agency": agency, "period": period,
                                                                    "report": None})
        else:
            report = existing
    status, errors, data = 200, None, None
    if request.method == "POST":
        data = request.POST
        action = data.get("action", "save")
        entries = {}
        for m in report.measurements.all():
            if f"m-{m.pk}-version" in data:
                entries[m.pk] = {"version": data.get(f"m-{m.pk}-version"),
                                 **{f: data.get(f"m-{m.pk}-{f}", "") for f in services.ENTRY_FIELDS}}
        try:
            report = services.do_save_report(report, entries=entries, expected_version=int(data.get("version", 0)),
                                             actor=request.user)
            if action == "submit":
                services.do_submit_report(report, expected_version=report.version, actor=request.user)
        except ConflictError as error:
            status, errors = 409, {"conflict": str(error)}
            messages.error(request, str(error))
        except ValidationError as error:
            status = 400
            errors = {k: " ".join(v) for k, v in error.message_dict.items()} if hasattr(error, "error_dict") else {}
            if action == "submit" and not errors:
                errors = {"report": " ".join(error.messages)}
            report.refresh_from_db()
            data = None if action == "submit" else data
        else:
            messages.success(request, _("Submitted to the head.") if action == "submit" else _("Saved."))
            return redirect("report-grid", agency.pk, period.pk)
    rows = _grid_rows(report, data, errors)
    return render(request, "civicplan/tracking/grid.html", {
        "agency": agency, "period": period, "report": report, "rows": rows, "errors": errors or {},
        "editable": can(request.user, "tracking.edit_report", report),
        "steps": [name for name, (_f, rule) in STEPS.items() if can(request.user, rule, report)],
        "can_override": can(request.user, "tracking.override_light", report),
        "lights": Light.choices,
    }, status=status)


@login_required
@require_POST
def report_step(request, pk):
    report = get_object_or_404(Report.objects.select_related("agency__city", "period"), pk=pk)
    step = STEPS.get(request.POST.get("action", ""))
    back = reverse("report-grid", args=[report.agency_id, report.period_id])
    if step is None:
        raise Http404
    try:
        step[0](report, expected_version=int(request.POST.get("version", 0)),
                reason=request.POST.get("reason", ""), actor=request.user)
    except ConflictError as error:
        return _problem(request, error, 409, back=back)
    except ValidationError as error:
        return _problem(request, error, 400, back=back)
    messages.success(request, _("%(report)s: %(status)s") % {"report": report,
                                                            "status": Report.objects.get(pk=pk).get_status_display()})
    return redirect(back)


@login_required
@require_POST
def measurement_light(request, pk):
    measurement = get_object_or_404(Measurement.objects.select_related("report__agency", "report__period"), pk=pk)
    back = reverse("report-grid", args=[measurement.report.agency_id, measurement.report.period_id])
    try:
        services.do_override_light(measurement, light=request.POST.get("light", ""),
                                   reason=request.POST.get("reason", ""),
                                   expected_version=int(request.POST.get("version", 0)), actor=request.user)
    except ConflictError as error:
        return _problem(request, error, 409, back=back)
    except ValidationError as error:
        return _problem(request, error, 400, back=back)
    return redirect(back + f"#m-{pk}")


@login_required
@require_POST
def measurement_evidence(request, pk):
    measurement = get_object_or_404(Measurement.objects.select_related("report__agency", "report__period"), pk=pk)
    back = reverse("report-grid", args=[measurement.report.agency_id, measurement.report.period_id])
    upload = request.FILES.get("file")
    if upload is None:
        return _problem(request, _("Choose a file."), 400, back=back)
    try:
        services.do_add_evidence(measurement, upload=upload, actor=request.user)
    except ValidationError as error:
        return _problem(request, error, 400, back=back)
    return redirect(back + f"#m-{pk}")


@login_required
def evidence_file(request, pk):
    evidence = get_object_or_404(Evidence.objects.select_related("measurement__report__agency"), pk=pk)
    require(request.user, "tracking.view_report", evidence.measurement.report)
    return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.name,
                        content_type=evidence.content_type)


@login_required
def common_calculator(request, pk):
    """htmx: a 共同性指標 computed from the inputs typed beside it; the result goes into the row's actual field."""
    measurement = get_object_or_404(Measurement.objects.select_related("report__agency__city", "indicator"), pk=pk)
    require(request.user, "tracking.edit_report", measurement.report)
    formula = common.formula_for(measurement.indicator.name)
    if formula is None:
        raise Http404
    values = {name: request.GET.get(f"c-{pk}-{name}", "") for name, _label in formula.inputs}
    try:
        result = common.result_text(formula.compute(values))
    except common.InputError as error:
        return render(request, "civicplan/tracking/_common_result.html",
                      {"m": measurement, "error": str(error).split(": ", 1)[1], "formula": formula}, status=200)
    return render(request, "civicplan/tracking/_common_result.html",
                  {"m": measurement, "result": result, "formula": formula, "values": values})


@login_required
def freshness(request, city_id):
    city = get_object_or_404(City, pk=city_id)
    require(request.user, "tracking.view_freshness", city)
    today = timezone.localdate()
    year = int(request.GET.get("year") or 0) or None
    data = rollups.freshness(city, today=today, year=year)

    def table():
        return opendata.Table(f"{city.name}{data['year']}年填報時效", [
            "機關", "指標數", "如期更新比率（%）", "逾期未送期別", "尚未開始期別", "從未更新指標數"], [
            [row["agency"].name, row["indicators"], row["share"], "、".join(str(r.period) for r in row["overdue"]),
             "、".join(str(p) for p in row["missing"]), row["never"]] for row in data["rows"]])

    return opendata.page_or_table(request, lambda: render(request, "civicplan/tracking/freshness.html", {
        "city": city, **data}), table, f"civicplan-freshness-{city.pk}-{data['year']}")


@login_required
def overview(request, cycle_id, year):
    cycle = get_object_or_404(PlanCycle.objects.select_related("city"), pk=cycle_id)
    require(request.user, "plans.view", cycle)
    data = rollups.overview(cycle, year)
    groups = {"agency": "機關", "goal": "策略目標", "perspective": "構面", "theme": "主題"}

    def table():
        return opendata.Table(f"{cycle.city.name}{year}年燈號", [
            "分組", "名稱", "綠燈", "黃燈", "紅燈", "白燈", "平均達成度（%）"], [
            [groups.get(key, key), t.name, *(n for _light, n in t.counts), t.rate]
            for key, tallies in data["by"].items() for t in tallies])

    return opendata.page_or_table(request, lambda: render(request, "civicplan/tracking/overview.html", {
        "cycle": cycle, "year": year, "years": cycle.years, **data,
    }), table, f"civicplan-lights-{cycle.pk}-{year}")
