"""The plan endpoints: a list (filters, pages) and a detail for each level of the plan hierarchy, and the
writes of indicators (KPI) and targets.

Lists filter with civicplan.plans.visibility; a detail is checked with the rule `plans.view` itself
and answers 404 — not 403 — when the user may not see it, so that existence does not leak.
Every queryset reads its related rows up front (select_related / prefetch_related): a page costs
the same few queries whatever its length.

Writes call the service functions of the web pages (civicplan.plans.services), so the rule, the version
check, the reason, validation, history and audit are theirs; civicplan.api.errors turns their exceptions
into the declared responses (403, 409, 422).
"""

from decimal import Decimal

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Path, Query, Router
from ninja.pagination import paginate

from civicplan.api.auth import OPTIONAL_TOKEN, READ_AUTH, WRITE_AUTH
from civicplan.api.errors import DETAIL_ERRORS, LIST_ERRORS, WRITE_ERRORS
from civicplan.api.filters import (
    MAX_ID,
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
    GoalOut,
    IndicatorDetailOut,
    IndicatorOut,
    IndicatorPatchIn,
    TargetOut,
    TargetPatchIn,
    TargetPutIn,
)
from civicplan.permissions import can
from civicplan.plans import services, visibility
from civicplan.plans.models import (
    AgencyPlan,
    Goal,
    Indicator,
    IndicatorOwner,
    PlanCycle,
    Target,
)

ObjectId = Path(..., ge=1, le=MAX_ID, description="the object's id")


def reader(router: Router, path: str, **kwargs):
    """A GET operation: a token is optional (anonymous users and login sessions read too)."""
    return router.get(path, auth=READ_AUTH, openapi_extra=OPTIONAL_TOKEN, **kwargs)


def viewable(request, obj):
    """`obj` if the user may view it (rule `plans.view`), else 404."""
    if not can(request.user, "plans.view", obj):
        raise Http404
    return obj


# --- cycles ----------------------------------------------------------------------------------
cycles = Router(tags=["cycles"])


def _cycles(queryset):
    return queryset.select_related("city").order_by("city__name", "-start_year", "kind", "id")


@reader(cycles, "", response={200: list[CycleOut], **LIST_ERRORS}, summary="Plan cycles (施政計畫)")
@paginate(Pages)
def list_cycles(request, filters: Query[CycleFilter]):
    return filters.filter(_cycles(visibility.visible_cycles(request.user)))


@reader(cycles, "/{int:id}", response={200: CycleOut, **DETAIL_ERRORS}, summary="One plan cycle")
def get_cycle(request, id: int = ObjectId):
    return viewable(request, get_object_or_404(_cycles(PlanCycle.objects.all()), pk=id))


# --- agencies (master data) ------------------------------------------------------------------
agencies = Router(tags=["agencies"])


def _agencies(user):
    return visibility.visible_agencies(user).select_related("city").order_by("city__name", "order", "name", "id")


@reader(agencies, "", response={200: list[AgencyOut], **LIST_ERRORS}, summary="Agencies (機關): visible to everybody")
@paginate(Pages)
def list_agencies(request, filters: Query[AgencyFilter]):
    return filters.filter(_agencies(request.user))


@reader(agencies, "/{int:id}", response={200: AgencyOut, **DETAIL_ERRORS}, summary="One agency")
def get_agency(request, id: int = ObjectId):
    return get_object_or_404(_agencies(request.user), pk=id)


# --- chapters (AgencyPlan) -------------------------------------------------------------------
chapters = Router(tags=["chapters"])


def _chapters(queryset):
    return queryset.select_related("cycle__city", "agency")


@reader(chapters, "", response={200: list[ChapterOut], **LIST_ERRORS}, summary="Agency chapters (AgencyPlan)")
@paginate(Pages)
def list_chapters(request, filters: Query[ChapterFilter]):
    return filters.filter(_chapters(visibility.visible_chapters(request.user)))


@reader(chapters, "/{int:id}", response={200: ChapterOut, **DETAIL_ERRORS}, summary="One agency chapter")
def get_chapter(request, id: int = ObjectId):
    return viewable(request, get_object_or_404(_chapters(AgencyPlan.objects.all()), pk=id))


# --- goals -----------------------------------------------------------------------------------
goals = Router(tags=["goals"])


def _goals(queryset):
    return queryset.select_related("chapter__cycle__city")


@reader(goals, "", response={200: list[GoalOut], **LIST_ERRORS}, summary="Strategic goals (策略目標)")
@paginate(Pages)
def list_goals(request, filters: Query[GoalFilter]):
    return filters.filter(_goals(visibility.visible_goals(request.user)))


@reader(goals, "/{int:id}", response={200: GoalOut, **DETAIL_ERRORS}, summary="One goal")
def get_goal(request, id: int = ObjectId):
    return viewable(request, get_object_or_404(_goals(Goal.objects.all()), pk=id))


# --- indicators ------------------------------------------------------------------------------
indicators = Router(tags=["indicators"])

OWNERSHIPS = Prefetch("ownerships", queryset=IndicatorOwner.objects.select_related("agency"))


def _indicators(queryset):
    return queryset.select_related("goal__chapter__cycle__city", "goal__chapter__agency").prefetch_related(OWNERSHIPS)


def _indicator_detail(request, id: int) -> Indicator:
    queryset = _indicators(Indicator.objects.all()).prefetch_related("targets")
    return viewable(request, get_object_or_404(queryset, pk=id))


@reader(indicators, "", response={200: list[IndicatorOut], **LIST_ERRORS}, summary="Indicators (KPI, 關鍵績效指標)")
@paginate(Pages)
def list_indicators(request, filters: Query[IndicatorFilter]):
    return filters.filter(_indicators(visibility.visible_indicators(request.user)))


@reader(indicators, "/{int:id}", response={200: IndicatorDetailOut, **DETAIL_ERRORS},
        summary="One indicator with its targets")
def get_indicator(request, id: int = ObjectId):
    return _indicator_detail(request, id)


def _profile(values: list[float]) -> list:
    """[50.0, 100.0] → [50, 100], as the web form stores whole numbers."""
    return [int(v) if float(v).is_integer() else v for v in values]


@indicators.patch(
    "/{int:id}", auth=WRITE_AUTH, response={200: IndicatorDetailOut, **WRITE_ERRORS},
    summary="Change a KPI (token; version and reason required)",
    description="The fields given are changed, the others stay. Allowed for the chapter's agency (承辦, 單位主管) "
                "and the 研考 administrator while the chapter is a draft or returned — as the web page "
                "(services.do_update_indicator: history and audit with the reason).",
)
def patch_indicator(request, body: IndicatorPatchIn, id: int = ObjectId):
    indicator = _indicator_detail(request, id)
    changes = body.model_dump(exclude_unset=True, exclude={"version", "reason"})
    if "weight" in changes and changes["weight"] is not None:
        changes["weight"] = Decimal(changes["weight"])
    if "period_profile" in changes:
        changes["period_profile"] = _profile(changes["period_profile"])
    services.do_update_indicator(indicator, changes=changes, expected_version=body.version, reason=body.reason,
                                 actor=request.user)
    return _indicator_detail(request, id)


# --- targets ---------------------------------------------------------------------------------
targets = Router(tags=["targets"])


def _targets(queryset):
    return queryset.select_related("indicator__goal__chapter__cycle__city", "indicator__goal__chapter__agency")


def _target(request, id: int) -> Target:
    return viewable(request, get_object_or_404(_targets(Target.objects.all()), pk=id))


@reader(targets, "", response={200: list[TargetOut], **LIST_ERRORS}, summary="Targets per ROC year (目標值)")
@paginate(Pages)
def list_targets(request, filters: Query[TargetFilter]):
    return filters.filter(_targets(visibility.visible_targets(request.user)))


@reader(targets, "/{int:id}", response={200: TargetOut, **DETAIL_ERRORS}, summary="One target")
def get_target(request, id: int = ObjectId):
    return _target(request, id)


TARGET_WRITE = (
    "Allowed for the chapter's agency and the 研考 administrator while the chapter is a draft or returned, as the "
    "web page (services.do_update_target: `raw` is read again for its value, unit and kind; history and audit)."
)


def _save_target(request, id: int, body, changes: dict) -> Target:
    target = _target(request, id)
    services.do_update_target(target, changes=changes, expected_version=body.version, reason=body.reason,
                              actor=request.user)
    return _target(request, id)


@targets.patch("/{int:id}", auth=WRITE_AUTH, response={200: TargetOut, **WRITE_ERRORS},
               summary="Change some fields of a target (token; version and reason required)", description=TARGET_WRITE)
def patch_target(request, body: TargetPatchIn, id: int = ObjectId):
    return _save_target(request, id, body, body.model_dump(exclude_unset=True, exclude={"version", "reason"}))


@targets.put("/{int:id}", auth=WRITE_AUTH, response={200: TargetOut, **WRITE_ERRORS},
             summary="Replace a target's text, note and cumulative flag (token)", description=TARGET_WRITE)
def put_target(request, body: TargetPutIn, id: int = ObjectId):
    return _save_target(request, id, body, body.model_dump(include={"raw", "note", "cumulative"}))


ROUTERS = {
    "/cycles": cycles,
    "/agencies": agencies,
    "/chapters": chapters,
    "/goals": goals,
    "/indicators": indicators,
    "/targets": targets,
}
