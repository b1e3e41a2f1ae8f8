"""Every write of tracking: `do_<verb>_report(..., actor)` — permission, one transaction, AuditEvent, history.

The report of an agency for a period is the workflow unit:
  draft/returned ─submit→ submitted ─head approves→ head-approved ─初核→ first-reviewed ─複核→ approved (locked)
Any step can return it with a reason; an approved report changes only by reopening it, with a reason.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicplan.agencies.models import Agency
from civicplan.audit.models import Action
from civicplan.audit.services import record
from civicplan.editing import ConflictError, ValidationError, check_version, lock, snapshot
from civicplan.permissions import require
from civicplan.plans.models import CycleStatus, Indicator, PlanKind
from civicplan.tracking.assessment import assess
from civicplan.tracking.models import Evidence, Light, Measurement, Period, Report, ReportStatus

ENTRY_FIELDS = ("actual_raw", "progress_note", "delay_reason", "countermeasure")
EVIDENCE_TYPES = {
    "application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png",
    "application/vnd.oasis.opendocument.text": ".odt", "application/vnd.oasis.opendocument.spreadsheet": ".ods",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx", "text/csv": ".csv",
}
EVIDENCE_MAX_BYTES = 20 * 1024 * 1024


def indicators_for(agency: Agency, period: Period):
    """The KPIs the agency reports in this period: those it owns (lead or co-owner) in the medium-term plan in
    force that year — of the cycles covering the year (not superseded), the newest in which it owns KPIs."""
    owned = Indicator.objects.filter(
        ownerships__agency=agency, goal__chapter__cycle__kind=PlanKind.MEDIUM_TERM,
        goal__chapter__cycle__start_year__lte=period.year, goal__chapter__cycle__end_year__gte=period.year,
    ).exclude(goal__chapter__cycle__status=CycleStatus.SUPERSEDED)
    newest = owned.order_by("-goal__chapter__cycle__start_year").values_list(
        "goal__chapter__cycle_id", flat=True).first()
    if newest is None:
        return Indicator.objects.none()
    return owned.filter(goal__chapter__cycle_id=newest).distinct().order_by(
        "goal__chapter__order", "-goal__kind", "goal__order", "order", "id")


@transaction.atomic
def open_report(agency: Agency, period: Period) -> Report:
    """The agency's report for the period, with a row for every KPI it reports (created on first use)."""
    report, _created = Report.objects.get_or_create(agency=agency, period=period)
    have = set(report.measurements.values_list("indicator_id", flat=True))
    new = [Measurement(report=report, indicator=i) for i in indicators_for(agency, period) if i.pk not in have]
    if new and report.is_editable:
        for measurement in new:
            assess(measurement, period=period)
        Measurement.objects.bulk_create(new)
    return report


def _measurements(report: Report):
    return report.measurements.select_related("indicator__goal__chapter__cycle__city").prefetch_related(
        "indicator__targets")


@transaction.atomic
def do_save_report(report: Report, *, entries: dict, expected_version: int, actor, via: str = "") -> Report:
    """Save the grid as a draft. `entries`: {measurement id: {"version": n, field: value, …}}.

    Every row keeps its own version: a row saved meanwhile by someone else is refused (ConflictError),
    nothing of the grid is written then. `via` says how the values came (e.g. an uploaded file's name); it goes
    into each row's history and the AuditEvent."""
    report = lock(Report, report.pk)
    require(actor, "tracking.edit_report", report)
    check_version(report, expected_version)
    rows = {m.pk: m for m in _measurements(report).select_for_update()}
    unknown = [k for k in entries if int(k) not in rows]
    if unknown:
        raise ValidationError({"entries": _("Rows %(rows)s are not in this report.") % {"rows": unknown}})
    changed, old_values, new_values = [], {}, {}
    for key, entry in entries.items():
        measurement = rows[int(key)]
        extra = set(entry) - {"version", *ENTRY_FIELDS}
        if extra:
            raise ValidationError({f"{key}.{sorted(extra)[0]}": _("This field cannot be changed here.")})
        if int(entry.get("version") or 0) != measurement.version:
            raise ConflictError(measurement, int(entry.get("version") or 0))
        values = {f: (entry[f] or "").strip() for f in ENTRY_FIELDS if f in entry}
        if len(values.get("actual_raw", "")) > 300:
            raise ValidationError({f"{key}.actual_raw": _("At most 300 characters.")})
        before = snapshot(measurement, values)
        if before == values:
            continue
        for field, value in values.items():
            setattr(measurement, field, value)
        assess(measurement, period=report.period)
        measurement.version += 1
        measurement._history_user = actor
        measurement._change_reason = via or _("saved in the update grid")
        measurement.save()
        changed.append(measurement)
        label = measurement.indicator.name[:60]
        old_values[label] = {k: v for k, v in before.items() if v != values[k]}
        new_values[label] = {k: values[k] for k in old_values[label]}
    if changed:
        report.version += 1
        report._history_user = actor
        report.save()
        record(Action.REPORT_SAVED, actor=actor, obj=report, city=report.city, agency=report.agency,
               old=old_values, new=new_values, reason=via)
    return report


def missing_explanations(report: Report) -> dict[str, str]:
    """What a report still lacks before it can go on: {"<measurement id>.<field>": message}."""
    problems = {}
    for m in _measurements(report):
        if not m.actual_raw and not m.progress_note:
            problems[f"{m.pk}.actual_raw"] = _("Enter the actual value or describe the progress (執行情形).")
        if m.light in (Light.YELLOW, Light.RED):
            if not m.delay_reason:
                problems[f"{m.pk}.delay_reason"] = _("Behind target: give the reason for the delay (落後原因).")
            if not m.countermeasure:
                problems[f"{m.pk}.countermeasure"] = _("Behind target: give the countermeasure (因應對策).")
    return problems


def _move(report: Report, *, to: str, permission: str, action: Action, expected_version: int, reason: str, actor,
          validate=None) -> Report:
    report = lock(Report, report.pk)
    require(actor, permission, report)
    check_version(report, expected_version)
    if validate:
        validate(report)
    old = {"status": report.status}
    report.status = to
    now = timezone.now()
    if to == ReportStatus.SUBMITTED:
        report.submitted_at, report.return_reason = now, ""
    if to == ReportStatus.APPROVED:
        report.approved_at = now
    if to == ReportStatus.RETURNED:
        report.return_reason = reason
    report.version += 1
    report._history_user = actor
    report._change_reason = reason
    report.save()
    record(action, actor=actor, obj=report, city=report.city, agency=report.agency, old=old,
           new={"status": to}, reason=reason)
    return report


def _complete(report: Report) -> None:
    problems = missing_explanations(report)
    if problems:
        raise ValidationError(problems)


def _reason(reason: str, what: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": what})
    return reason


@transaction.atomic
def do_submit_report(report, *, expected_version, reason="", actor):
    return _move(report, to=ReportStatus.SUBMITTED, permission="tracking.submit_report",
                 action=Action.REPORT_SUBMITTED, expected_version=expected_version, reason=reason, actor=actor,
                 validate=_complete)


@transaction.atomic
def do_head_approve_report(report, *, expected_version, reason="", actor):
    return _move(report, to=ReportStatus.HEAD_APPROVED, permission="tracking.head_approve_report",
                 action=Action.REPORT_HEAD_APPROVED, expected_version=expected_version, reason=reason, actor=actor)


@transaction.atomic
def do_first_review_report(report, *, expected_version, reason="", actor):
    return _move(report, to=ReportStatus.FIRST_REVIEWED, permission="tracking.first_review_report",
                 action=Action.REPORT_FIRST_REVIEWED, expected_version=expected_version, reason=reason, actor=actor)


@transaction.atomic
def do_final_review_report(report, *, expected_version, reason="", actor):
    return _move(report, to=ReportStatus.APPROVED, permission="tracking.final_review_report",
                 action=Action.REPORT_APPROVED, expected_version=expected_version, reason=reason, actor=actor)


@transaction.atomic
def do_return_report(report, *, expected_version, reason, actor):
    reason = _reason(reason, _("Say why the report is returned (退回理由)."))
    return _move(report, to=ReportStatus.RETURNED, permission="tracking.return_report",
                 action=Action.REPORT_RETURNED, expected_version=expected_version, reason=reason, actor=actor)


@transaction.atomic
def do_reopen_report(report, *, expected_version, reason, actor):
    """An approved (locked) report is changed only by reopening it, saying why (it goes back to the agency)."""
    reason = _reason(reason, _("Say why the approved report is reopened."))
    return _move(report, to=ReportStatus.RETURNED, permission="tracking.reopen_report",
                 action=Action.REPORT_REOPENED, expected_version=expected_version, reason=reason, actor=actor)


@transaction.atomic
def do_override_light(measurement: Measurement, *, light: str, reason: str, expected_version: int, actor):
    measurement = lock(Measurement, measurement.pk)
    report = measurement.report
    require(actor, "tracking.override_light", report)
    check_version(measurement, expected_version)
    if light not in Light.values and light != "":
        raise ValidationError({"light": _("Choose a light.")})
    reason = _reason(reason, _("Say why the light is set by hand.")) if light else (reason or "")
    old = snapshot(measurement, ("light_override", "override_reason"))
    measurement.light_override, measurement.override_reason = light, reason
    measurement.version += 1
    measurement._history_user = actor
    measurement._change_reason = reason
    measurement.save()
    record(Action.LIGHT_OVERRIDDEN, actor=actor, obj=measurement, city=report.city, agency=report.agency, old=old,
           new=snapshot(measurement, ("light_override", "override_reason")), reason=reason)
    return measurement


@transaction.atomic
def do_add_evidence(measurement: Measurement, *, upload, actor) -> Evidence:
    """Attach a file to a measurement; its type (by content, not name) and size are checked."""
    report = measurement.report
    require(actor, "tracking.edit_report", report)
    head = upload.read(8)
    upload.seek(0)
    kind = _sniff(head, upload.name)
    if kind is None:
        raise ValidationError({"file": _("%(name)s: only PDF, images (JPEG, PNG), ODF, Office and CSV files are "
                                         "accepted.") % {"name": upload.name}})
    if upload.size > EVIDENCE_MAX_BYTES:
        raise ValidationError({"file": _("%(name)s is larger than %(mb)s MB.")
                               % {"name": upload.name, "mb": EVIDENCE_MAX_BYTES // 2**20}})
    evidence = Evidence(measurement=measurement, name=upload.name[:200], content_type=kind, size=upload.size,
                        uploaded_by=actor)
    evidence.file.save(upload.name, upload, save=False)
    evidence.save()
    record(Action.EVIDENCE_ADDED, actor=actor, obj=measurement, city=report.city, agency=report.agency,
           new={"file": evidence.name, "type": kind, "size": evidence.size})
    return evidence


def _sniff(head: bytes, name: str) -> str | None:
    lower = name.lower()
    if head.startswith(b"%PDF"):
        return "application/pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG"):
        return "image/png"
    if head.startswith(b"PK"):
        for mime, suffix in EVIDENCE_TYPES.items():
            if lower.endswith(suffix) and suffix in (".odt", ".ods", ".docx", ".xlsx"):
                return mime
        return None
    if lower.endswith(".csv") and b"\x00" not in head:
        return "text/csv"
    return None


