"""`civicplan export tracking-report --city NAME --period 109-112 --year 110 --period-no 2 [--agency NAME]`: the
bi-monthly 列管報告 for the mayor's meeting (civicplan.reports.tracking_report) in ODT, DOCX or PDF."""

from __future__ import annotations

from civicplan.exports import ExportError, ExportRequest
from civicplan.exports.performance import checked, write


def export_tracking_report(request: ExportRequest) -> bytes:
    from civicplan.reports.tracking_report import build_tracking_report

    cycle = checked(request, "tracking-report")
    if request.period_no is None:
        raise ExportError("tracking-report: give the period with --period-no (1 for the first of the year)")
    try:
        document = build_tracking_report(cycle, request.year, request.period_no, agency=request.agency)
    except LookupError as error:
        raise ExportError(f"tracking-report: {error.args[0] if error.args else 'nothing to report'}") from None
    return write(document, request.fmt)
