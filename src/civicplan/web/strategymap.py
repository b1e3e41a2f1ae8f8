"""Strategy map pages: one chapter (a Taipei theme, or an agency's plan) drawn as perspective bands of
objectives, coloured by their lights; the page embeds the SVG with a text list, the .svg route serves it raw.

How an objective's light is rolled up: see civicplan.reports.strategymap (the worst latest light of its KPIs,
white when none is measured). Drawing takes `dot` a noticeable moment, so the SVG is cached under the hash of
the DOT text: any change in what the map shows (names, lights, owners, order) is a new DOT text and a new
drawing; nothing needs to be invalidated by hand.
"""

import hashlib
from collections import Counter

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from civicplan.permissions import require
from civicplan.plans.models import AgencyPlan, GoalKind, Indicator, OwnerRole, PlanKind
from civicplan.reports import strategymap as sm
from civicplan.tracking.models import Measurement

CACHE_SECONDS = 7 * 24 * 3600


def _light_names() -> dict[str, str]:
    return {"green": _("Green"), "yellow": _("Yellow"), "red": _("Red"), "white": _("White")}


def _latest_lights(chapter) -> dict[int, str]:
    """Each KPI's latest shown light (the newest period that measured it), as on the chapter page."""
    latest: dict[int, str] = {}
    rows = (Measurement.objects.filter(indicator__goal__chapter=chapter).exclude(actual_raw="")
            .order_by("indicator_id", "-report__period__year", "-report__period__seq")
            .values_list("indicator_id", "light", "light_override"))
    for indicator_id, light, override in rows:
        latest.setdefault(indicator_id, override or light)
    return latest


def map_for_chapter(chapter) -> sm.StrategyMap:
    """The chapter's goals as a StrategyMap (a fixed number of queries whatever the chapter's size)."""
    from django.db.models import Prefetch

    from civicplan.plans.models import IndicatorOwner

    goals = list(chapter.goals.prefetch_related(Prefetch(
        "indicators", queryset=Indicator.objects.only("id", "goal_id", "wccd", "order").prefetch_related(
            Prefetch("ownerships", queryset=IndicatorOwner.objects.filter(role=OwnerRole.LEAD)
                     .select_related("agency"))))))
    lights = _latest_lights(chapter)
    names = _light_names()
    page = reverse("chapter", args=[chapter.pk])
    perspectives = list(chapter.cycle.city.perspectives)
    is_map = chapter.cycle.kind == PlanKind.STRATEGY_MAP
    by_band: dict[str, list[sm.Objective]] = {p: [] for p in perspectives}
    other = _("No perspective")
    for goal in goals:
        indicators = list(goal.indicators.all())
        kpi_lights = [lights.get(i.pk, "white") for i in indicators]
        light = sm.roll_up(kpi_lights)
        agencies = list(dict.fromkeys(o.agency.name for i in indicators for o in i.ownerships.all()))
        if chapter.agency_id:  # an agency's own plan: its own name on every box says nothing
            agencies = [a for a in agencies if a != chapter.agency.name]
        code = goal.code or goal.label
        if goal.kind == GoalKind.COMMON and not goal.code:
            code = _("Common %(label)s") % {"label": goal.label}
        counts = Counter(kpi_lights)
        summary = " ".join(f"{names[k]} {counts[k]}" for k in ("green", "yellow", "red", "white") if counts[k])
        tooltip = f"{code} {goal.name} — {names[light]}" + (f" ({summary})" if summary else "")
        band = goal.perspective if goal.perspective in by_band else other
        by_band.setdefault(band, []).append(sm.Objective(
            key=f"sm-goal-{goal.pk}", code=code, name=goal.name, light=light, agencies=tuple(agencies),
            wccd=any(i.wccd for i in indicators), url=f"{page}#goal-{goal.pk}", tooltip=tooltip,
        ))
    bands = tuple(sm.Band(name, tuple(objectives)) for name, objectives in by_band.items()
                  if objectives or is_map and name in perspectives)
    title = str(chapter.theme) if chapter.theme_id and not chapter.agency_id else chapter.agency.name
    legend = (("green", _("Green: achieved")), ("yellow", _("Yellow: behind")), ("red", _("Red: far behind")),
              ("white", _("White: no data")))
    return sm.StrategyMap(title=f"{title} · {chapter.cycle.period_label}", bands=bands,
                          empty_text=_("No objectives"), legend=legend)


def svg_for(strategy_map: sm.StrategyMap) -> str:
    """The map drawn as SVG, cached under the hash of its DOT text (raises GraphvizError)."""
    dot = sm.build_dot(strategy_map)
    key = "civicplan:strategymap:" + hashlib.sha256(dot.encode("utf-8")).hexdigest()
    svg = cache.get(key)
    if svg is None:
        svg = sm.render_svg(dot)
        cache.set(key, svg, CACHE_SECONDS)
    return svg


def _chapter(request, pk):
    chapter = get_object_or_404(AgencyPlan.objects.select_related("cycle__city", "agency", "theme"), pk=pk)
    require(request.user, "plans.view", chapter)
    return chapter


@login_required
def strategy_map(request, pk):
    chapter = _chapter(request, pk)
    data = map_for_chapter(chapter)
    try:
        svg, error = mark_safe(sm.inline_svg(svg_for(data))), ""  # drawn by dot from escaped labels
    except sm.GraphvizError as problem:
        svg, error = "", str(problem)
    return render(request, "civicplan/strategymap/map.html", {
        "chapter": chapter, "cycle": chapter.cycle, "map": data, "svg": svg, "error": error,
    }, status=503 if error else 200)


@login_required
def strategy_map_svg(request, pk):
    chapter = _chapter(request, pk)
    try:
        svg = svg_for(map_for_chapter(chapter))
    except sm.GraphvizError as problem:
        return HttpResponse(str(problem), status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="strategy-map-{chapter.pk}.svg"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
