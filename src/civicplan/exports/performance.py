"""`civicplan export performance-report --city NAME --period 109-112 --year 110 [--agency NAME]`: the annual
施政績效成果報告 (civicplan.reports.performance_report) in ODT, DOCX or PDF."""

from __future__ import annotations

from civicplan.exports import ExportError, ExportRequest
from civicplan.exports.book import write


def checked(request: ExportRequest, kind: str):
    """The cycle, agency and year of a report request, or an ExportError saying what is missing or wrong."""
    cycle = request.cycle
    if cycle is None:
        raise ExportError(f"{kind}: name the plan with --city and --period (e.g. --period 109-112)")
    if request.actor is not None:
        from civicplan.permissions import can

        if not can(request.actor, "plans.view", cycle):
            raise ExportError(f"{kind}: you may not see the plan {cycle}")
    if request.year is None:
        raise ExportError(f"{kind}: give the ROC year with --year (one of {cycle.start_year}–{cycle.end_year})")
    if not cycle.start_year <= request.year <= cycle.end_year:
        raise ExportError(f"{kind}: {request.year} is outside the plan {cycle.start_year}–{cycle.end_year}")
    if request.agency is not None and not cycle.chapters.filter(agency=request.agency).exists():
        raise ExportError(f"{kind}: {request.agency.name} has no chapter in {cycle}")
    return cycle


def export_performance_report(request: ExportRequest) -> bytes:
    from civicplan.reports.performance_report import build_performance_report

    cycle = checked(request, "performance-report")
    request.report(0, 2)
    try:
        document = build_performance_report(cycle, request.year, agency=request.agency,
                                             chart_fmt="png" if request.fmt == "docx" else "svg")
    except LookupError:
        raise ExportError(f"performance-report: {cycle} has no agency KPIs") from None
    request.report(1, 2)
    return write(document, request.fmt)
