"""Query-string filters of the list endpoints (ninja FilterSchemas; a bad value → 422 naming the field).

Every list of plan content filters by city, cycle, agency and ROC year where the words apply:
* `year` — cycles covering that year (民國年); for targets the target's year; for periods, reports and
  measurements the reporting year;
* `agency` — for chapters and goals the chapter's agency; for indicators and targets an owning agency (主責 or
  協辦); for reports and measurements the reporting agency.
Ids are bounded (1 … 2⁶³−1) so that no number reaches the database that it cannot store.
"""

from typing import Annotated

from django.db.models import Exists, OuterRef, Q
from ninja import Field, FilterLookup, FilterSchema

from civicplan.plans.models import (
    AgencyPlan,
    ChapterStatus,
    CycleStatus,
    GoalKind,
    IndicatorOwner,
    PlanKind,
)
from civicplan.tracking.models import Light, ReportStatus

MAX_ID = 2**63 - 1
NO_NUL = r"^[^\x00]*$"

RocYear = Annotated[int | None, Field(ge=1, le=300)]
AnyId = Annotated[int | None, Field(ge=1, le=MAX_ID)]


def id_filter(lookup: str, description: str | None = None):
    return Annotated[int | None, FilterLookup(lookup), Field(ge=1, le=MAX_ID, description=description)]


def covering(year: int | None, via: str = "") -> Q:
    """Cycles (reached through `via`) whose period covers the ROC year."""
    if year is None:
        return Q()
    return Q(**{f"{via}start_year__lte": year, f"{via}end_year__gte": year})


def owned_by(agency: int | None, via: str = "") -> Q:
    """Indicators (reached through `via`) owned by the agency, as lead or co-owner; no duplicate rows."""
    if agency is None:
        return Q()
    owners = IndicatorOwner.objects.filter(indicator_id=OuterRef(f"{via}pk" if via else "pk"), agency_id=agency)
    return Q(Exists(owners))


class CycleFilter(FilterSchema):
    city: id_filter("city_id") = None
    kind: Annotated[PlanKind | None, FilterLookup("kind")] = None
    status: Annotated[CycleStatus | None, FilterLookup("status")] = None
    agency: AnyId = Field(None, description="cycles with a chapter of this agency")
    year: RocYear = Field(None, description="cycles covering this ROC year (民國年)")

    def filter_year(self, year: int | None) -> Q:
        return covering(year)

    def filter_agency(self, agency: int | None) -> Q:
        if agency is None:
            return Q()
        return Q(Exists(AgencyPlan.objects.filter(cycle_id=OuterRef("pk"), agency_id=agency)))


class AgencyFilter(FilterSchema):
    city: id_filter("city_id") = None


class ChapterFilter(FilterSchema):
    city: id_filter("cycle__city_id") = None
    cycle: id_filter("cycle_id") = None
    agency: id_filter("agency_id") = None
    status: Annotated[ChapterStatus | None, FilterLookup("status")] = None
    year: RocYear = Field(None, description="chapters of cycles covering this ROC year")

    def filter_year(self, year: int | None) -> Q:
        return covering(year, "cycle__")


class GoalFilter(FilterSchema):
    city: id_filter("chapter__cycle__city_id") = None
    chapter: id_filter("chapter_id") = None
    cycle: id_filter("chapter__cycle_id") = None
    agency: id_filter("chapter__agency_id", "the chapter's agency") = None
    kind: Annotated[GoalKind | None, FilterLookup("kind")] = None
    perspective: Annotated[str | None, FilterLookup("perspective")] = Field(
        None, max_length=20, pattern=NO_NUL, description="構面, e.g. 業務成果")
    year: RocYear = Field(None, description="goals of cycles covering this ROC year")

    def filter_year(self, year: int | None) -> Q:
        return covering(year, "chapter__cycle__")


class IndicatorFilter(FilterSchema):
    city: id_filter("goal__chapter__cycle__city_id") = None
    goal: id_filter("goal_id") = None
    chapter: id_filter("goal__chapter_id") = None
    cycle: id_filter("goal__chapter__cycle_id") = None
    agency: AnyId = Field(None, description="an owning agency (主責 or 協辦)")
    year: RocYear = Field(None, description="indicators of cycles covering this ROC year")
    q: Annotated[str | None, FilterLookup("name__icontains")] = Field(
        None, max_length=200, pattern=NO_NUL, description="part of the name")

    def filter_agency(self, agency: int | None) -> Q:
        return owned_by(agency)

    def filter_year(self, year: int | None) -> Q:
        return covering(year, "goal__chapter__cycle__")


class TargetFilter(FilterSchema):
    city: id_filter("indicator__goal__chapter__cycle__city_id") = None
    indicator: id_filter("indicator_id") = None
    cycle: id_filter("indicator__goal__chapter__cycle_id") = None
    agency: AnyId = Field(None, description="an owning agency (主責 or 協辦) of the indicator")
    year: RocYear = Field(None, description="ROC year (民國年) of the target, e.g. 110")

    def filter_year(self, year: int | None) -> Q:
        return Q(year=year) if year is not None else Q()

    def filter_agency(self, agency: int | None) -> Q:
        return owned_by(agency, "indicator__")


class PeriodFilter(FilterSchema):
    city: id_filter("city_id") = None
    year: RocYear = Field(None, description="ROC year (民國年) of the period")

    def filter_year(self, year: int | None) -> Q:
        return Q(year=year) if year is not None else Q()


class ReportFilter(FilterSchema):
    city: id_filter("agency__city_id") = None
    agency: id_filter("agency_id", "the reporting agency") = None
    period: id_filter("period_id") = None
    status: Annotated[ReportStatus | None, FilterLookup("status")] = None
    year: RocYear = Field(None, description="ROC year (民國年) of the period")

    def filter_year(self, year: int | None) -> Q:
        return Q(period__year=year) if year is not None else Q()


class MeasurementFilter(FilterSchema):
    city: id_filter("report__agency__city_id") = None
    cycle: id_filter("indicator__goal__chapter__cycle_id", "the indicator's cycle") = None
    agency: id_filter("report__agency_id", "the reporting agency") = None
    indicator: id_filter("indicator_id") = None
    report: id_filter("report_id") = None
    period: id_filter("report__period_id") = None
    light: Light | None = Field(None, description="the light shown (a reviewer's override first)")
    year: RocYear = Field(None, description="ROC year (民國年) of the period")

    def filter_year(self, year: int | None) -> Q:
        return Q(report__period__year=year) if year is not None else Q()

    def filter_light(self, light: str | None) -> Q:
        if light is None:
            return Q()
        return Q(light_override=light) | Q(light_override="", light=light)
