"""Query-string filters of the list endpoints (ninja FilterSchemas; a bad value → 422 naming the field)."""

from typing import Annotated

from django.db.models import Q
from ninja import Field, FilterLookup, FilterSchema

from civicplan.plans.models import ChapterStatus, CycleStatus, GoalKind, PlanKind

RocYear = Annotated[int | None, Field(ge=1, le=300)]


class CycleFilter(FilterSchema):
    city: Annotated[int | None, FilterLookup("city_id")] = None
    kind: Annotated[PlanKind | None, FilterLookup("kind")] = None
    status: Annotated[CycleStatus | None, FilterLookup("status")] = None
    year: RocYear = Field(None, description="cycles covering this ROC year (民國年)")

    def filter_year(self, year: int | None) -> Q:
        return Q(start_year__lte=year, end_year__gte=year) if year is not None else Q()


class AgencyFilter(FilterSchema):
    city: Annotated[int | None, FilterLookup("city_id")] = None


class ChapterFilter(FilterSchema):
    cycle: Annotated[int | None, FilterLookup("cycle_id")] = None
    agency: Annotated[int | None, FilterLookup("agency_id")] = None
    status: Annotated[ChapterStatus | None, FilterLookup("status")] = None


class GoalFilter(FilterSchema):
    chapter: Annotated[int | None, FilterLookup("chapter_id")] = None
    cycle: Annotated[int | None, FilterLookup("chapter__cycle_id")] = None
    kind: Annotated[GoalKind | None, FilterLookup("kind")] = None
    perspective: Annotated[str | None, FilterLookup("perspective")] = Field(None, description="構面, e.g. 業務成果")


class IndicatorFilter(FilterSchema):
    goal: Annotated[int | None, FilterLookup("goal_id")] = None
    chapter: Annotated[int | None, FilterLookup("goal__chapter_id")] = None
    cycle: Annotated[int | None, FilterLookup("goal__chapter__cycle_id")] = None
    agency: Annotated[int | None, FilterLookup("ownerships__agency_id")] = Field(
        None, description="an owning agency (主責 or 協辦)"
    )
    q: Annotated[str | None, FilterLookup("name__icontains")] = Field(None, description="part of the name")


class TargetFilter(FilterSchema):
    indicator: Annotated[int | None, FilterLookup("indicator_id")] = None
    year: RocYear = Field(None, description="ROC year (民國年), e.g. 110")
    cycle: Annotated[int | None, FilterLookup("indicator__goal__chapter__cycle_id")] = None

    def filter_year(self, year: int | None) -> Q:
        return Q(year=year) if year is not None else Q()
