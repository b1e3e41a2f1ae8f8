"""The public portal (no login): published plans, their KPIs and the results of approved reports.

Every page answers GET (and HEAD) only; any other method gets 405. Anything not published is 404, like a
page that does not exist. Every list is also open data: ?format=csv|json|xlsx|ods gives the page's table.
"""

from __future__ import annotations

from django.db.models import Count
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from civicplan.plans.book import chapter_table
from civicplan.plans.models import AgencyPlan, GoalKind, Indicator
from civicplan.portal import opendata
from civicplan.portal.queries import (
    KIND_ZH,
    LIGHT_ZH,
    STATUS_ZH,
    approved_measurements,
    chapter_name,
    cycle_tallies,
    latest_approved,
    public_cycle_q,
    public_cycles,
    shown_light,
    target_changes,
)


def _int(value) -> int | None:
    return int(value) if value and value.isdigit() else None


def _page(request, template, context, table_builder, filename):
    """The page, or its table as open data when ?format= asks for it."""
    return opendata.page_or_table(
        request, lambda: render(request, template, {**context, "formats": list(opendata.FORMATS)}),
        table_builder, filename)


@require_safe
def index(request):
    cycles = list(
        public_cycles().select_related("city")
        .annotate(chapter_count=Count("chapters", distinct=True),
                  indicator_count=Count("chapters__goals__indicators", distinct=True))
        .order_by("city__name", "-start_year", "kind")
    )

    def table():
        return opendata.Table("施政計畫", ["縣市", "計畫", "起始年度（民國）", "結束年度（民國）", "狀態", "章數", "指標數"], [
            [c.city.name, KIND_ZH.get(c.kind, c.kind), c.start_year, c.end_year, STATUS_ZH.get(c.status, c.status),
             c.chapter_count, c.indicator_count] for c in cycles])

    cities = {c.city_id: c.city for c in cycles}
    return _page(request, "portal/index.html", {
        "cycles": cycles, "city": next(iter(cities.values())) if len(cities) == 1 else None,
    }, table, "civicplan-plans")


def _public_cycle(pk):
    return get_object_or_404(public_cycles().select_related("city"), pk=pk)


@require_safe
def cycle_detail(request, pk):
    cycle = _public_cycle(pk)
    chapters, leads, city_tally = cycle_tallies(cycle)

    def table():
        columns = ["機關或策略主題", "關鍵策略目標數", "指標數", *(LIGHT_ZH[light] for light in LIGHT_ZH)]
        return opendata.Table(f"{cycle.city.name}{cycle.period_label}", columns, [
            [t.name, t.key_goals, t.indicators, *(n for _light, n in t.counts)] for t in chapters])

    return _page(request, "portal/cycle.html", {
        "cycle": cycle, "city": cycle.city, "chapters": chapters, "leads": leads, "city_tally": city_tally,
        "kind": KIND_ZH.get(cycle.kind, ""),
    }, table, f"civicplan-cycle-{cycle.pk}")


def _chapter_goals(chapter):
    """The book's KPI table with each KPI's latest approved result."""
    return chapter_table(chapter, latest_approved(Indicator.objects.filter(goal__chapter=chapter)))


def chapter_open_table(chapter, sections) -> opendata.Table:
    """A chapter's KPI table as open data: goals, KPIs, targets by year and each KPI's latest shown result
    (`sections` from plans.book.chapter_table; the portal passes approved results, staff pages every result)."""
    cycle = chapter.cycle
    columns = ["目標類別", "策略目標", "構面", "指標", "評估體制", "評估方式", "衡量標準",
               *(f"{y}年目標值" for y in cycle.years), "最新燈號", "達成度（%）", "資料期別", "示範資料"]
    rows = []
    for kind, label in ((GoalKind.KEY, "關鍵策略目標"), (GoalKind.COMMON, "共同性目標")):
        for row in sections[kind]:
            goal = row["goal"]
            for item in row["indicators"]:
                i, m = item["indicator"], item["measurement"]
                rows.append([label, goal.name, goal.perspective, i.name, i.eval_system, i.eval_method, i.standard,
                             *((t.raw if t else None) for _y, t in item["targets"]),
                             LIGHT_ZH[shown_light(m)], m.achievement_rate if m else None,
                             str(m.report.period) if m else None, (m.report.is_demo if m else None)])
    return opendata.Table(chapter_name(chapter), columns, rows)


@require_safe
def chapter_detail(request, pk):
    chapter = get_object_or_404(
        AgencyPlan.objects.filter(public_cycle_q("cycle__")).select_related("cycle__city", "agency", "theme"), pk=pk)
    cycle = chapter.cycle
    sections = _chapter_goals(chapter)

    def table():
        return chapter_open_table(chapter, sections)

    return _page(request, "portal/chapter.html", {
        "chapter": chapter, "cycle": cycle, "city": cycle.city, "years": cycle.years,
        "key_goals": sections[GoalKind.KEY], "common_goals": sections[GoalKind.COMMON],
        "legend": sorted(cycle.city.eval_system_legend.items()), "name": chapter_name(chapter),
        "sections": chapter.sections.all(), "open_section": _int(request.GET.get("section")),
    }, table, f"civicplan-chapter-{chapter.pk}")


@require_safe
def indicator_detail(request, pk):
    indicator = get_object_or_404(
        Indicator.objects.filter(public_cycle_q("goal__chapter__cycle__"))
        .select_related("goal__chapter__cycle__city", "goal__chapter__agency", "goal__chapter__theme", "goal__theme")
        .prefetch_related("targets", "ownerships__agency"), pk=pk)
    chapter = indicator.goal.chapter
    cycle = chapter.cycle
    targets = {t.year: t for t in indicator.targets.all()}
    results = list(
        approved_measurements().filter(indicator=indicator)
        .select_related("report__period", "report__agency")
        .order_by("report__period__year", "report__period__seq", "report__agency__order")
    )
    for m in results:
        m.target = targets.get(m.report.period.year)
    several_owners = len({m.report.agency_id for m in results}) > 1
    changes = target_changes(indicator, cycle.city_id)

    def table():
        columns = ["年度（民國）", "期別", "填報機關", "年度目標值", "本期應達", "實際值", "達成度（%）", "燈號",
                   "執行情形", "落後原因", "因應對策", "示範資料"]
        return opendata.Table(indicator.name[:31], columns, [
            [m.report.period.year, m.report.period.seq, m.report.agency.name, m.target.raw if m.target else None,
             m.expected_raw, m.actual_raw, m.achievement_rate, LIGHT_ZH[m.shown_light], m.progress_note,
             m.delay_reason, m.countermeasure, m.report.is_demo] for m in results])

    latest = results[-1] if results else None
    return _page(request, "portal/indicator.html", {
        "indicator": indicator, "chapter": chapter, "cycle": cycle, "city": cycle.city,
        "targets": [(y, targets.get(y)) for y in cycle.years], "results": results, "latest": latest,
        "several_owners": several_owners, "changes": changes, "name": chapter_name(chapter),
        "owners": list(indicator.ownerships.all()), "legend": cycle.city.eval_system_legend,
    }, table, f"civicplan-kpi-{indicator.pk}")



@require_safe
def search(request):
    """Search the published plans (and the narratives of approved reports); the hits are open data too."""
    from civicplan.search import pages

    asked = pages.read(request.GET)
    results = pages.decorate(pages.run(asked, public=True) if asked.q else None, public=True)
    cycles = public_cycles().select_related("city").order_by("city__name", "-start_year")

    def table():
        return opendata.Table("搜尋結果", ["類別", "名稱", "縣市", "計畫期間", "章", "內容", "出處", "連結"], [
            [h.entry.get_kind_display(), h.entry.indicator.name if h.entry.indicator_id else h.entry.title,
             h.entry.city.name, h.entry.cycle.period_label, h.where.split(" · ", 2)[-1] if h.entry.chapter_id else "",
             h.entry.text, h.entry.source, request.build_absolute_uri(h.url)] for h in (results.hits if results else [])])

    return _page(request, "portal/search.html", {
        "asked": asked, "results": results, "cycles": cycles, "action": request.path,
        "query_string": request.GET.urlencode(),
    }, table, "civicplan-search")
