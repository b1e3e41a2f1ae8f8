"""The dashboard (city → agency → goal → KPI, laggards first) and the KPI page, with their charts.

Thin views: the figures come from civicplan.tracking.drilldown; the charts are ECharts options built here in
Python and fetched as JSON by static/civicplan/charts.js (no inline scripts). Every page reads a fixed number
of queries whatever the size of the plan.
"""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from civicplan.permissions import can, require
from civicplan.plans.models import Indicator, PlanCycle, Target
from civicplan.tracking import drilldown
from civicplan.tracking.assessment import parsed
from civicplan.tracking.models import Measurement
from civicplan.tracking.rollups import LIGHTS

# The lights' colours on charts (the same hues as .light-* in site.css, strong enough for bars and points).
LIGHT_COLOURS = {"green": "#2e8b4a", "yellow": "#e0a800", "red": "#c62828", "white": "#b0b7c0"}
FILTERS = ("agency", "goal", "perspective", "theme", "light")
ORDER = ("red", "yellow", "green", "white")  # laggards first, in tables and charts alike


def _light_label(light: str) -> str:
    return {"green": _("Green"), "yellow": _("Yellow"), "red": _("Red")}.get(light, _("White"))


def _number(value) -> float | None:
    return None if value is None else float(value)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _period_label(period) -> str:
    return f"{period.year}年" if period.count == 1 else f"{period.year}年第{period.seq}期"


# --- Dashboard -------------------------------------------------------------------------------------


class Choice:
    """The dashboard's GET parameters, read and checked: year and period, and the drill-down filters."""

    def __init__(self, request, cycle):
        get = request.GET
        year = _int(get.get("year"))
        if year not in cycle.years:
            year = drilldown.years_with_data(cycle) or cycle.start_year
        self.year = year
        self.periods = drilldown.periods_of(cycle, year)
        wanted = _int(get.get("period"))
        self.period = next((p for p in self.periods if p.pk == wanted), None)
        self.agency = _int(get.get("agency"))
        self.goal = _int(get.get("goal"))
        self.theme = _int(get.get("theme"))
        self.perspective = get.get("perspective") or None
        light = get.get("light")
        self.light = light if light in LIGHTS else None

    @property
    def base(self) -> dict:
        params = {"year": self.year}
        if self.period is not None:
            params["period"] = self.period.pk
        return params

    def filters(self) -> dict:
        return {name: getattr(self, name) for name in FILTERS if getattr(self, name) is not None}

    def query(self, **params) -> str:
        return "?" + urlencode({**self.base, **{k: v for k, v in params.items() if v is not None}})


def _figures(choice: Choice, group_or_rows, params: dict, name: str = "") -> dict:
    """A tally with a link to the list behind each figure: every count, and the mean achievement."""
    tally = group_or_rows.tally if isinstance(group_or_rows, drilldown.Group) else group_or_rows
    return {
        "name": name or tally.name,
        "tally": tally,
        "list_url": choice.query(**params, list=1),
        "drill_url": choice.query(**params),
        "cells": [(light, tally.lights.get(light, 0), choice.query(**params, light=light)) for light in ORDER],
    }


def _read(request, cycle_id):
    cycle = get_object_or_404(PlanCycle.objects.select_related("city"), pk=cycle_id)
    require(request.user, "plans.view", cycle)
    choice = Choice(request, cycle)
    rows = drilldown.rows_for(cycle, choice.year, choice.period)
    return cycle, choice, rows


@login_required
def dashboard(request, cycle_id):
    cycle, choice, rows = _read(request, cycle_id)
    goal = agency = None
    if choice.goal is not None:
        goal = next((r.indicator.goal for r in rows if r.indicator.goal_id == choice.goal), None)
        if goal is not None:
            choice.agency = goal.chapter.agency_id
    if choice.agency is not None:
        agency = next((r.chapter.agency for r in rows if r.chapter.agency_id == choice.agency), None)
    level = "goal" if goal is not None else "agency" if agency is not None else "city"
    city = _figures(choice, drilldown.tally(rows, cycle.city.name), {})
    context = {"cycle": cycle, "choice": choice, "city_url": choice.query(),
               "agency_url": choice.query(agency=agency.pk) if agency is not None else None, "level": level, "agency": agency, "goal": goal, "city": city,
               "kpi_count": len(rows), "years": cycle.years, "demo": any(r.measurement and r.measurement.report.is_demo
                                                                          for r in rows)}
    if level == "city":
        context["groups"] = {
            "agency": [_figures(choice, g, g.params) for g in drilldown.group_by(rows, "agency")],
            "perspective": [_figures(choice, g, g.params) for g in drilldown.group_by(rows, "perspective")],
            "theme": [_figures(choice, g, g.params) for g in drilldown.group_by(rows, "theme")],
        }
        context["chart_url"] = reverse("dashboard-chart", args=[cycle.pk]) + choice.query()
    elif level == "agency":
        mine = drilldown.select(rows, agency=agency.pk)
        context["agency_figures"] = _figures(choice, drilldown.tally(mine, agency.name), {"agency": agency.pk})
        context["groups"] = {"goal": [_figures(choice, g, g.params) for g in drilldown.group_by(mine, "goal")]}
        context["chart_url"] = reverse("dashboard-chart", args=[cycle.pk]) + choice.query(agency=agency.pk)
        context["chapter"] = mine[0].chapter if mine else None
    else:
        context["goal_figures"] = _figures(choice, drilldown.tally(drilldown.select(rows, goal=goal.pk), goal.name),
                                           {"goal": goal.pk})
    listed = None
    filters = choice.filters()
    if level == "goal" or "light" in filters or "perspective" in filters or "theme" in filters or request.GET.get(
            "list"):
        listed = drilldown.laggards_first(drilldown.select(rows, **filters))
    context["listed"] = listed
    context["filters"] = filters
    context["filter_labels"] = _filter_labels(choice, rows)
    return render(request, "civicplan/dashboards/dashboard.html", context)


def _filter_labels(choice: Choice, rows) -> list[str]:
    """The list's filters in words (for its heading)."""
    labels = []
    if choice.perspective is not None:
        labels.append(_("Perspective (構面)") + f": {choice.perspective}")
    if choice.theme is not None:
        theme = next((drilldown._theme(r) for r in rows if getattr(drilldown._theme(r), "pk", None) == choice.theme),
                     None)
        labels.append(_("Theme") + f": {theme or choice.theme}")
    if choice.light is not None:
        labels.append(_("Light") + f": {_light_label(choice.light)}")
    return labels


@login_required
def dashboard_chart(request, cycle_id):
    """ECharts option: lights per agency (or, with ?agency=, per goal of that agency), laggards at the top."""
    _cycle, choice, rows = _read(request, cycle_id)
    if choice.agency is not None:
        groups = drilldown.group_by(drilldown.select(rows, agency=choice.agency), "goal")
    else:
        groups = drilldown.group_by(rows, "agency")
    names = [g.name for g in groups]
    order = ORDER
    option = {
        "aria": {"enabled": True},
        "animation": False,  # drawn at once: printable, and still for people who get dizzy
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "legend": {"top": 0, "data": [_light_label(light) for light in order]},
        "grid": {"left": 8, "right": 24, "top": 32, "bottom": 8, "containLabel": True},
        "xAxis": {"type": "value", "minInterval": 1},
        "yAxis": {"type": "category", "inverse": True, "data": names,
                  "axisLabel": {"width": 220, "overflow": "truncate"}},
        "series": [{
            "name": _light_label(light), "type": "bar", "stack": "lights", "barMaxWidth": 22,
            "itemStyle": {"color": LIGHT_COLOURS[light]},
            "data": [g.tally.lights.get(light, 0) for g in groups],
        } for light in order],
        "civicplan": {
            "height": 70 + 30 * max(len(groups), 1),
            "links": [[choice.query(**g.params, light=light) for g in groups] for light in order],
        },
    }
    return JsonResponse(option)


# --- KPI page --------------------------------------------------------------------------------------


def _indicator(pk) -> Indicator:
    return get_object_or_404(Indicator.objects.select_related(
        "goal__chapter__cycle__city", "goal__chapter__agency", "goal__chapter__theme", "goal__theme"), pk=pk)


def _measurements(indicator: Indicator) -> list[Measurement]:
    """The KPI's actuals, newest period first (every reporting agency of a co-owned KPI)."""
    return list(Measurement.objects.filter(indicator=indicator).select_related("report__period", "report__agency")
                .prefetch_related("evidence")
                .order_by("-report__period__year", "-report__period__seq", "report__agency__order", "-id"))


def _due(m: Measurement) -> Decimal | None:
    """What was due by the measurement's period, as a number: the expected value the light was computed with
    (“60（360件 × 1/6）” → 60; “95%” → 95), so that a target revised later does not redraw earlier periods."""
    if not m.expected_raw:
        return None
    value = parsed(m.expected_raw.split("（", 1)[0], m.report.period.year)
    return value.number if value.kind in ("quantity", "percent") else None


def _plain(number) -> str:
    """A Decimal as people write it: 50.0000 → 50, 66.70 → 66.7."""
    if number is None:
        return "—"
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _revisions(indicator: Indicator) -> list[dict]:
    """The targets' saved versions (simple-history), newest first: year, when, who, old → new, reason."""
    records = list(Target.history.filter(indicator_id=indicator.pk).select_related("history_user")
                   .order_by("id", "history_date", "history_id"))
    rows, previous = [], {}
    for record in records:
        before = previous.get(record.id)
        changes = []
        for name in ("raw", "note"):
            old, new = (getattr(before, name) if before else ""), getattr(record, name)
            if before is None and name == "note" and not new:
                continue
            if before is None or old != new:
                changes.append((Target._meta.get_field(name).verbose_name, old, new))
        if changes or record.history_type == "-":
            rows.append({"record": record, "year": record.year, "changes": changes})
        previous[record.id] = record
    rows.sort(key=lambda r: (r["record"].history_date, r["record"].history_id), reverse=True)
    return rows


@login_required
def kpi(request, pk):
    indicator = _indicator(pk)
    require(request.user, "plans.view", indicator)
    chapter = indicator.goal.chapter
    cycle = chapter.cycle
    targets = {t.year: t for t in indicator.targets.all()}
    measurements = _measurements(indicator)
    points = _chart_points(measurements)
    return render(request, "civicplan/dashboards/kpi.html", {
        "indicator": indicator, "goal": indicator.goal, "chapter": chapter, "cycle": cycle,
        "owners": list(indicator.ownerships.select_related("agency")),
        "legend": cycle.city.eval_system_legend.get(indicator.eval_system, ""),
        "targets": [(year, targets.get(year)) for year in cycle.years],
        "measurements": measurements,
        "points": points,
        "several": len({p["agency"].pk for p in points}) > 1,
        "revisions": _revisions(indicator),
        "can_evidence": can(request.user, "tracking.view_report", indicator),
        "can_history": can(request.user, "audit.view_history", indicator),
        "chart_url": reverse("kpi-chart", args=[indicator.pk]),
    })


def _chart_points(measurements: list[Measurement]) -> list[dict]:
    """One point per period and reporting agency, oldest first: what was due, the actual, the rate, the light."""
    points = []
    for m in reversed(measurements):
        due = _due(m)
        points.append({"m": m, "period": m.report.period, "label": _period_label(m.report.period),
                       "agency": m.report.agency, "due": due, "actual": m.actual_value, "rate": m.achievement_rate,
                       "light": m.shown_light, "due_shown": _plain(due), "actual_shown": _plain(m.actual_value)})
    return points


@login_required
def kpi_chart(request, pk):
    """ECharts option: what was due by each period against the actual (points coloured by their light); when
    the KPI has no numbers (deadlines, milestones), the achievement rate against 100%."""
    indicator = _indicator(pk)
    require(request.user, "plans.view", indicator)
    targets = {t.year: t for t in indicator.targets.all()}
    points = _chart_points(_measurements(indicator))
    labels = list(dict.fromkeys(p["label"] for p in points))
    agencies = list(dict.fromkeys(p["agency"] for p in points))
    numeric = any(p["actual"] is not None for p in points) and any(p["due"] is not None for p in points)
    key = "actual" if numeric else "rate"
    due = {}
    for p in points:
        due.setdefault(p["label"], p["due"] if numeric else Decimal(100))
    series = [{
        "name": _("Due by the period") if numeric else _("Target (100%)"), "type": "line", "step": False,
        "lineStyle": {"type": "dashed", "color": "#5b6776"}, "itemStyle": {"color": "#5b6776"}, "symbol": "none",
        "data": [_number(due.get(label)) for label in labels],
    }]
    for agency in agencies:
        by_label = {p["label"]: p for p in points if p["agency"] == agency}
        name = _("Actual") if numeric else _("Achievement rate (%)")
        if len(agencies) > 1:
            name = f"{name}（{agency.name}）"
        series.append({
            "name": name, "type": "line", "symbol": "circle", "symbolSize": 11, "showSymbol": True,
            "showAllSymbol": True, "connectNulls": True,
            "lineStyle": {"color": "#0b5cad"}, "itemStyle": {"color": "#0b5cad"},
            "data": [{"value": _number(by_label[label][key]),
                      "itemStyle": {"color": LIGHT_COLOURS.get(by_label[label]["light"], LIGHT_COLOURS["white"]),
                                    "borderColor": "#1d2733"}}
                     if label in by_label else None for label in labels],
        })
    unit = indicator.unit or next((t.unit for t in targets.values() if t.unit), "")
    option = {
        "aria": {"enabled": True},
        "animation": False,  # drawn at once: printable, and still for people who get dizzy
        "tooltip": {"trigger": "axis"},
        "legend": {"top": 0},
        "grid": {"left": 8, "right": 24, "top": 40, "bottom": 8, "containLabel": True},
        "xAxis": {"type": "category", "data": labels, "axisLabel": {"rotate": 30 if len(labels) > 8 else 0}},
        "yAxis": {"type": "value", "name": unit if numeric else "%", "scale": False},
        "series": series,
        "civicplan": {"height": 340},
    }
    return JsonResponse(option)

