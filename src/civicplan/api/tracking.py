"""Tracking (列管) through the API: periods, reports and measurements — read, and written with a token.

Who sees what (the portal's rule for the public, the tracking rules for members):
* periods are master data (a city's reporting calendar): everybody;
* reports and measurements: members of the city (any role there, `tracking.view_report`) see all of them;
  everybody else sees only results the portal shows — measurements of approved (複核, locked) reports of
  KPIs in published or superseded plans, and the approved reports that have such measurements.
Anything else answers 404, as for plans.

Writes are those of the update grid and its review box (civicplan.tracking.services): save rows (draft),
submit, head approval, 初核, 複核, return, reopen, and a reviewer's light — the same rule, version check,
validation, history and audit as the web pages.
"""

from django.db.models import Exists, OuterRef, Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from civicplan.agencies.models import Agency
from civicplan.api.auth import WRITE_AUTH
from civicplan.api.endpoints import ObjectId, reader
from civicplan.api.errors import DETAIL_ERRORS, LIST_ERRORS, WRITE_ERRORS
from civicplan.api.filters import MeasurementFilter, PeriodFilter, ReportFilter
from civicplan.api.pagination import Pages
from civicplan.api.schemas import (
    LightOverrideIn,
    MeasurementOut,
    PeriodOut,
    ReportDetailOut,
    ReportOpenIn,
    ReportOut,
    ReportReturnIn,
    ReportSaveIn,
    ReportStepIn,
)
from civicplan.editing import PermissionDenied, ValidationError
from civicplan.permissions import can
from civicplan.plans.visibility import PUBLIC_CYCLE_STATUSES, member_city_ids
from civicplan.tracking import services
from civicplan.tracking.models import Measurement, Period, Report, ReportStatus
from civicplan.tracking.periods import periods_for

PUBLIC_RESULT = Q(report__status=ReportStatus.APPROVED,
                  indicator__goal__chapter__cycle__status__in=PUBLIC_CYCLE_STATUSES)


def visible_measurements(user):
    condition = PUBLIC_RESULT
    cities = member_city_ids(user)
    if cities:
        condition |= Q(report__agency__city_id__in=cities)
    return Measurement.objects.filter(condition)


def visible_reports(user):
    public = Measurement.objects.filter(PUBLIC_RESULT, report=OuterRef("pk"))
    condition = Q(status=ReportStatus.APPROVED) & Q(Exists(public))
    cities = member_city_ids(user)
    if cities:
        condition |= Q(agency__city_id__in=cities)
    return Report.objects.filter(condition)


# --- periods ---------------------------------------------------------------------------------
periods = Router(tags=["tracking"])


def _periods():
    return Period.objects.order_by("city_id", "year", "frequency", "seq", "id")


@reader(periods, "", response={200: list[PeriodOut], **LIST_ERRORS}, summary="Reporting periods (列管期別)")
@paginate(Pages)
def list_periods(request, filters: Query[PeriodFilter]):
    return filters.filter(_periods())


@reader(periods, "/{int:id}", response={200: PeriodOut, **DETAIL_ERRORS}, summary="One reporting period")
def get_period(request, id: int = ObjectId):
    return get_object_or_404(_periods(), pk=id)


# --- reports ---------------------------------------------------------------------------------
reports = Router(tags=["tracking"])

MEASUREMENT_ORDER = ("report__period__year", "report__period__seq", "report__agency__order", "report_id",
                     "indicator__goal__chapter__order", "-indicator__goal__kind", "indicator__goal__order",
                     "indicator__order", "id")


def _reports(user):
    return (visible_reports(user).select_related("agency__city", "period")
            .order_by("period__year", "period__seq", "agency__city_id", "agency__order", "agency_id", "id"))


def _report(request, id: int) -> Report:
    """The report with the measurements the user may see (`shown_measurements`), or 404."""
    report = get_object_or_404(_reports(request.user), pk=id)
    report.shown_measurements = (visible_measurements(request.user).filter(report=report)
                                 .select_related("report__period", "report__agency").order_by(*MEASUREMENT_ORDER))
    return report


@reader(reports, "", response={200: list[ReportOut], **LIST_ERRORS}, summary="Reports: an agency × a period (列管填報)")
@paginate(Pages)
def list_reports(request, filters: Query[ReportFilter]):
    return filters.filter(_reports(request.user))


@reader(reports, "/{int:id}", response={200: ReportDetailOut, **DETAIL_ERRORS},
        summary="One report with its measurements")
def get_report(request, id: int = ObjectId):
    return _report(request, id)


@reports.post(
    "", auth=WRITE_AUTH, response={200: ReportDetailOut, 201: ReportDetailOut, **WRITE_ERRORS},
    summary="Open the agency's report for a period (token)",
    description="As the update grid does when it is opened: the report, with a row for every KPI the agency "
                "reports that year, is created (201) or brought up to date (200) when the user may fill it in "
                "(the agency's 承辦 or 單位主管, while it is being filled in); a member who may only read it gets "
                "it as it is (200).",
)
def open_report(request, body: ReportOpenIn):
    agency = get_object_or_404(Agency.objects.select_related("city"), pk=body.agency)
    if not can(request.user, "tracking.view_report", Report(agency=agency)):
        raise PermissionDenied(_("Only members of %(city)s see its reports.") % {"city": agency.city})
    calendar = periods_for(agency.city, body.year)
    if body.seq > len(calendar):
        raise ValidationError({"seq": _("%(city)s has %(n)s reporting periods a year.")
                               % {"city": agency.city, "n": len(calendar)}})
    period = calendar[body.seq - 1]
    existing = Report.objects.filter(agency=agency, period=period).first()
    if can(request.user, "tracking.edit_report", existing or Report(agency=agency, period=period)):
        report = services.open_report(agency, period)
    elif existing is not None:
        report = existing
    else:
        raise PermissionDenied(_("Only the agency's editors and heads open its reports."))
    return Status(200 if existing else 201, _report(request, report.pk))


@reports.patch(
    "/{int:id}/measurements", auth=WRITE_AUTH, response={200: ReportDetailOut, **WRITE_ERRORS},
    summary="Save rows of the report as a draft (token)",
    description="The update grid's “save”: each row names its measurement and the version read; the report's "
                "version too. The agency's 承辦 and 單位主管 while the report is being filled in "
                "(services.do_save_report: the light is computed again; history and audit).",
)
def save_measurements(request, body: ReportSaveIn, id: int = ObjectId):
    report = _report(request, id)
    entries = {}
    for entry in body.entries:
        if entry.id in entries:
            raise ValidationError({"entries": _("Row %(row)s is given twice.") % {"row": entry.id}})
        entries[entry.id] = entry.model_dump(exclude_unset=True, exclude={"id"})
    services.do_save_report(report, entries=entries, expected_version=body.version, actor=request.user)
    return _report(request, id)


def _step(service, summary: str, description: str, body_schema=ReportStepIn):
    def step(request, body: body_schema, id: int = ObjectId):
        report = _report(request, id)
        service(report, expected_version=body.version, reason=body.reason, actor=request.user)
        return _report(request, id)

    step.__name__ = service.__name__.removeprefix("do_")
    return summary, description, step


STEPS = {
    "submit": _step(services.do_submit_report, "Submit the report to the head (token)",
                    "The agency's 承辦 or 單位主管, while it is being filled in. Every row needs an actual or 執行情形, "
                    "and 落後原因 and 因應對策 where it is behind (422 names the rows and fields)."),
    "head-approve": _step(services.do_head_approve_report, "Head's approval (單位主管核可, token)",
                          "The agency's head, once the report is submitted."),
    "first-review": _step(services.do_first_review_report, "First review (初核, token)",
                          "A reviewer or the 研考 administrator of the city, after the head's approval."),
    "final-review": _step(services.do_final_review_report, "Final review (複核): approve and lock (token)",
                          "A reviewer or the 研考 administrator of the city, after 初核."),
    "return": _step(services.do_return_report, "Return the report for revision (退回, token; reason required)",
                    "The head (submitted reports) or a reviewer (after the head's approval or 初核).", ReportReturnIn),
    "reopen": _step(services.do_reopen_report, "Reopen an approved report (token; reason required)",
                    "The 研考 administrator of the city; the report goes back to the agency.", ReportReturnIn),
}

for _name, (_summary, _description, _view) in STEPS.items():
    reports.post(f"/{{int:id}}/{_name}", auth=WRITE_AUTH, response={200: ReportDetailOut, **WRITE_ERRORS},
                 summary=_summary, description=_description)(_view)


# --- measurements ----------------------------------------------------------------------------
measurements = Router(tags=["tracking"])


def _measurements(user):
    return visible_measurements(user).select_related("report__period", "report__agency").order_by(*MEASUREMENT_ORDER)


@reader(measurements, "", response={200: list[MeasurementOut], **LIST_ERRORS},
        summary="Measurements: a KPI's actual in a report (實際值, 燈號)")
@paginate(Pages)
def list_measurements(request, filters: Query[MeasurementFilter]):
    return filters.filter(_measurements(request.user))


@reader(measurements, "/{int:id}", response={200: MeasurementOut, **DETAIL_ERRORS}, summary="One measurement")
def get_measurement(request, id: int = ObjectId):
    return get_object_or_404(_measurements(request.user), pk=id)


@measurements.post(
    "/{int:id}/light", auth=WRITE_AUTH, response={200: MeasurementOut, **WRITE_ERRORS},
    summary="Set the light by hand (reviewers, token)",
    description="A reviewer or the 研考 administrator, from the head's approval on, with a reason "
                "(services.do_override_light); an empty light goes back to the computed one.",
)
def override_light(request, body: LightOverrideIn, id: int = ObjectId):
    measurement = get_object_or_404(_measurements(request.user), pk=id)
    services.do_override_light(measurement, light=body.light, reason=body.reason, expected_version=body.version,
                               actor=request.user)
    return get_object_or_404(_measurements(request.user), pk=id)


ROUTERS = {
    "/periods": periods,
    "/reports": reports,
    "/measurements": measurements,
}
