"""The read-only endpoints: a list (filters, pages) and a detail for each level of the plan hierarchy.

Lists filter with civicplan.plans.visibility; a detail is checked with the rule `plans.view` itself
and answers 404 — not 403 — when the user may not see it, so that existence does not leak.
Every queryset reads its related rows up front (select_related / prefetch_related): a page costs
the same few queries whatever its length.
"""

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Query, Router
from ninja.pagination import paginate

from civicplan.plans import visibility
from civicplan.api.filters import (
    AgencyFilter,
    ChapterFilter,
    CycleFilter,
    GoalFilter,
    IndicatorFilter,
    TargetFilter,
)
from civicplan.api.pagination import Pages
from civicplan.api.schemas import (
    AgencyOut,
    ChapterOut,
    CycleOut,
    ErrorOut,
    GoalOut,
    IndicatorDetailOut,
    IndicatorOut,
    TargetOut,
)
from civicplan.permissions import can
from civicplan.plans.models import (
    AgencyPlan,
    Goal,
    Indicator,
    IndicatorOwner,
    PlanCycle,
    Target,
)

NOT_FOUND = {404: ErrorOut}


def viewable(request, obj):
    """`obj` if the user may view it (rule `plans.view`), else 404."""
    if not can(request.user, "plans.view", obj):
        raise Http404
    return obj


# --- cycles ----------------------------------------------------------------------------------
cycles = Router(tags=["cycles"])


def _cycles(queryset):
    return queryset.select_related("city").order_by("city__name", "-start_year", "kind", "id")


@cycles.get("", response=list[CycleOut], summary="Plan cycles (施政計畫)")
@paginate(Pages)
def list_cycles(request, filters: Query[CycleFilter]):
    return filters.filter(_cycles(visibility.visible_cycles(request.user)))


@cycles.get("/{int:id}", response={200: CycleOut, **NOT_FOUND}, summary="One plan cycle")
def get_cycle(request, id: int):
    return viewable(request, get_object_or_404(_cycles(PlanCycle.objects.all()), pk=id))


# --- agencies (master data) ------------------------------------------------------------------
agencies = Router(tags=["agencies"])


@agencies.get("", response=list[AgencyOut], summary="Agencies (機關): visible to everybody")
@paginate(Pages)
def list_agencies(request, filters: Query[AgencyFilter]):
    return filters.filter(visibility.visible_agencies(request.user).select_related("city"))


@agencies.get("/{int:id}", response={200: AgencyOut, **NOT_FOUND}, summary="One agency")
def get_agency(request, id: int):
    return get_object_or_404(visibility.visible_agencies(request.user).select_related("city"), pk=id)


# --- chapters (AgencyPlan) -------------------------------------------------------------------
chapters = Router(tags=["chapters"])


def _chapters(queryset):
    return queryset.select_related("cycle__city", "agency")


@chapters.get("", response=list[ChapterOut], summary="Agency chapters (AgencyPlan)")
@paginate(Pages)
def list_chapters(request, filters: Query[ChapterFilter]):
    return filters.filter(_chapters(visibility.visible_chapters(request.user)))


@chapters.get("/{int:id}", response={200: ChapterOut, **NOT_FOUND}, summary="One agency chapter")
def get_chapter(request, id: int):
    return viewable(request, get_object_or_404(_chapters(AgencyPlan.objects.all()), pk=id))


# --- goals -----------------------------------------------------------------------------------
goals = Router(tags=["goals"])


def _goals(queryset):
    return queryset.select_related("chapter__cycle__city")


@goals.get("", response=list[GoalOut], summary="Strategic goals (策略目標)")
@paginate(Pages)
def list_goals(request, filters: Query[GoalFilter]):
    return filters.filter(_goals(visibility.visible_goals(request.user)))


@goals.get("/{int:id}", response={200: GoalOut, **NOT_FOUND}, summary="One goal")
def get_goal(request, id: int):
    return viewable(request, get_object_or_404(_goals(Goal.objects.all()), pk=id))


# --- indicators ------------------------------------------------------------------------------
indicators = Router(tags=["indicators"])

OWNERSHIPS = Prefetch("ownerships", queryset=IndicatorOwner.objects.select_related("agency"))


def _indicators(queryset):
    return queryset.select_related("goal__chapter__cycle__city").prefetch_related(OWNERSHIPS)


@indicators.get("", response=list[IndicatorOut], summary="Indicators (KPI, 關鍵績效指標)")
@paginate(Pages)
def list_indicators(request, filters: Query[IndicatorFilter]):
    return filters.filter(_indicators(visibility.visible_indicators(request.user)))


@indicators.get(
    "/{int:id}", response={200: IndicatorDetailOut, **NOT_FOUND}, summary="One indicator with its targets"
)
def get_indicator(request, id: int):
    queryset = _indicators(Indicator.objects.all()).prefetch_related("targets")
    return viewable(request, get_object_or_404(queryset, pk=id))


# --- targets ---------------------------------------------------------------------------------
targets = Router(tags=["targets"])


def _targets(queryset):
    return queryset.select_related("indicator__goal__chapter__cycle__city")


@targets.get("", response=list[TargetOut], summary="Targets per ROC year (目標值)")
@paginate(Pages)
def list_targets(request, filters: Query[TargetFilter]):
    return filters.filter(_targets(visibility.visible_targets(request.user)))


@targets.get("/{int:id}", response={200: TargetOut, **NOT_FOUND}, summary="One target")
def get_target(request, id: int):
    return viewable(request, get_object_or_404(_targets(Target.objects.all()), pk=id))


ROUTERS = {
    "/cycles": cycles,
    "/agencies": agencies,
    "/chapters": chapters,
    "/goals": goals,
    "/indicators": indicators,
    "/targets": targets,
}
