"""Data out: plan cycles as spreadsheets (XLSX, ODS), one CSV table, or JSON in the plan interchange format.

`export_data(request)` (see `civicplan.exports`) selects the cycles: `request.cycle`, else every cycle of
`request.city`, else every cycle there is; `request.agency` keeps that agency's chapters only. `request.actor`
(the web) sees the cycles `plans.view` lets it see, and of the results (實績) those its role may read — a city's
members every report, anybody else approved reports only; the command line (no actor) sees everything.

* XLSX and ODS: one sheet per table, zh-TW headers, ROC years — 計畫 (cycles), 機關計畫 (chapters), 目標 (goals),
  指標 (indicators), 目標值 (targets: one row per indicator and year), 實績 (one row per measurement: indicator ×
  reporting agency × period, with the period, target, expected, actual, rate, light, 執行情形, 落後原因, 因應對策
  and the report's status). The `…ID` columns are the database ids (as in the API) and join the sheets.
* CSV (UTF-8 with BOM): one table, 指標目標值與實績 — the indicators in long form, one row per indicator and year
  of its plan, with the year's target and the actual of the year's last approved period.
* JSON: the plan interchange format (civicplan.plan/1, docs/interchange.md). One cycle asked for (`--period`, the
  cycle page) → its plan document, which `civicplan import` reads back; otherwise a JSON array of plan documents
  (`civicplan import` reads that too). Actuals are not part of the plan format: they are left out.

Everything comes in a stable order — cities by name, plans by period and kind, chapters, goals (key before
common) and indicators in printed order, then years and periods — sorted in Python, so that both databases give
the same order. The spreadsheets' document and zip dates are the newest change of the exported records, so two
exports of the same data are the same bytes.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import UTC, datetime
from functools import lru_cache

from django.db.models import Q
from django.utils import translation

from civicplan import interchange
from civicplan.plans.exporting import cycle_to_document
from civicplan.plans.models import (
    AgencyPlan,
    ChapterStatus,
    CycleStatus,
    Direction,
    Goal,
    GoalKind,
    Indicator,
    IndicatorOwner,
    OwnerRole,
    PlanCycle,
    Target,
    ValueKind,
)
from civicplan.plans.visibility import member_city_ids, visible_cycles
from civicplan.portal import opendata
from civicplan.portal.queries import KIND_ZH, LIGHT_ZH
from civicplan.tracking.models import Measurement, ReportStatus

# When nothing is exported, the spreadsheets still need a date.
EMPTY_MOMENT = datetime(2000, 1, 1, tzinfo=UTC)
GOAL_KIND_ZH = {GoalKind.KEY: "關鍵策略目標", GoalKind.COMMON: "共同性目標"}
LIST_SEPARATOR = "、"

SHEETS = {  # sheet → its columns (the tests read them back from here)
    "計畫": ["計畫ID", "縣市", "類別", "計畫", "計畫名稱", "起始年度（民國）", "結束年度（民國）", "狀態", "機關計畫數",
           "關鍵策略目標數", "共同性目標數", "指標數", "目標值數", "實績數"],
    "機關計畫": ["章ID", "計畫ID", "縣市", "計畫", "機關或策略主題", "序", "機關", "策略主題代碼", "使命", "願景",
             "施政重點", "狀態", "關鍵策略目標數", "指標數", "來源檔案", "來源頁", "來源行"],
    "目標": ["目標ID", "章ID", "縣市", "計畫", "機關或策略主題", "目標類別", "序號", "編號", "代碼", "目標", "構面",
           "說明", "指標數", "來源檔案", "來源頁", "來源行"],
    "指標": ["指標ID", "目標ID", "縣市", "計畫", "機關或策略主題", "目標類別", "目標", "構面", "序號", "編號", "代碼",
           "指標", "評估體制", "評估方式", "衡量標準", "單位", "方向", "方向已確認", "權重（%）", "主責機關",
           "協辦機關", "WCCD", "註記", "來源檔案", "來源頁", "來源行"],
    "目標值": ["指標ID", "縣市", "計畫", "機關或策略主題", "編號", "指標", "年度（民國）", "目標值", "數值", "單位",
            "比較", "類型", "累計", "備註"],
    "實績": ["指標ID", "縣市", "計畫", "機關或策略主題", "編號", "指標", "填報機關", "年度（民國）", "期別", "期間",
           "年度目標值", "本期應達", "實際值", "達成度（%）", "燈號", "計算燈號", "燈號調整理由", "執行情形", "落後原因",
           "因應對策", "填報狀態", "示範資料"],
}
CSV_TITLE = "指標目標值與實績"
CSV_COLUMNS = ["縣市", "計畫", "機關或策略主題", "目標類別", "目標", "構面", "指標ID", "編號", "指標", "評估體制",
               "評估方式", "衡量標準", "單位", "年度（民國）", "年度目標值", "實際值", "達成度（%）", "燈號",
               "資料期別", "填報機關", "示範資料"]


def export_data(request) -> bytes:
    cycles = _cycles(request)
    if request.fmt == "json":
        return _json(cycles, request)
    data = _Data(cycles, request)
    if request.fmt == "csv":
        return opendata.render(data.long_table(), "csv")
    return opendata.render_sheets(data.tables(), request.fmt, title=_title(request), when=data.newest)


def _cycles(request) -> list[PlanCycle]:
    from civicplan.exports import ExportError

    cycles = PlanCycle.objects.all() if request.actor is None else visible_cycles(request.actor)
    if request.cycle is not None:
        cycles = cycles.filter(pk=request.cycle.pk)
    elif request.city is not None:
        cycles = cycles.filter(city=request.city)
    if request.agency is not None:
        cycles = cycles.filter(chapters__agency=request.agency)
    found = sorted(set(cycles.select_related("city")),
                   key=lambda c: (c.city.name, c.start_year, c.end_year, c.kind, c.pk))
    if request.agency is not None and not found:
        where = request.cycle if request.cycle is not None else (request.city or "")
        raise ExportError(f"{request.agency.name} has no chapter in {where}".strip())
    return found


def _title(request) -> str:
    if request.cycle is not None:
        title = f"{request.cycle.city.name}{_plan(request.cycle)}"
    elif request.city is not None:
        title = f"{request.city.name}施政計畫"
    else:
        title = "施政計畫"
    return f"{title} {request.agency.name}" if request.agency is not None else title


def _json(cycles: list[PlanCycle], request) -> bytes:
    documents = []
    for cycle in cycles:
        document = cycle_to_document(cycle)
        if request.agency is not None:
            document.chapters = [c for c in document.chapters if c.agency == request.agency.name]
        documents.append(document)
    if request.cycle is not None and len(documents) == 1:
        text = interchange.to_json(documents[0])
    else:
        text = json.dumps([interchange.to_dict(d) for d in documents], ensure_ascii=False, indent=1)
    return (text + "\n").encode("utf-8")


def _plan(cycle: PlanCycle) -> str:
    """109–112年度中程施政計畫"""
    return f"{cycle.period_label}{KIND_ZH.get(cycle.kind, cycle.kind)}"


@lru_cache(maxsize=256)
def _label(choices, value: str) -> str:
    """A choice's label as the zh-TW interface shows it."""
    try:
        label = choices(value).label
    except ValueError:
        return value
    with translation.override("zh-hant"):
        return str(label)


def _lines(obj) -> str | None:
    start, end = obj.source_line_start, obj.source_line_end
    if not start:
        return None
    return f"{start}–{end}" if end and end != start else str(start)


def _source(obj) -> list:
    return [obj.source_file or None, obj.source_page, _lines(obj)]


def _chapter_name(chapter: AgencyPlan) -> str:
    if chapter.agency_id:
        return chapter.agency.name
    return f"{chapter.theme.code} {chapter.theme.name}".strip() if chapter.theme_id else ""


class _Data:
    """The records of the chosen cycles, read once, sorted as printed."""

    def __init__(self, cycles: list[PlanCycle], request):
        self.cycles = cycles
        ids = [c.pk for c in cycles]
        agency = request.agency
        narrowed = {"chapter__agency": agency} if agency is not None else {}
        cycle_at = {c.pk: n for n, c in enumerate(cycles)}
        chapters = AgencyPlan.objects.filter(cycle_id__in=ids, **({"agency": agency} if agency else {}))
        self.chapters = sorted(chapters.select_related("agency", "theme"),
                               key=lambda c: (cycle_at[c.cycle_id], c.order, c.pk))
        chapter_at = {c.pk: n for n, c in enumerate(self.chapters)}
        self.chapter = {c.pk: c for c in self.chapters}
        self.cycle = {c.pk: c for c in cycles}

        goals = Goal.objects.filter(chapter__cycle_id__in=ids, **narrowed)
        self.goals = sorted((g for g in goals if g.chapter_id in chapter_at),
                            key=lambda g: (chapter_at[g.chapter_id], g.kind != GoalKind.KEY, g.order, g.pk))
        goal_at = {g.pk: n for n, g in enumerate(self.goals)}
        self.goal = {g.pk: g for g in self.goals}

        via = {f"goal__{k}": v for k, v in narrowed.items()}
        indicators = Indicator.objects.filter(goal__chapter__cycle_id__in=ids, **via)
        self.indicators = sorted((i for i in indicators if i.goal_id in goal_at),
                                 key=lambda i: (goal_at[i.goal_id], i.order, i.pk))
        indicator_at = {i.pk: n for n, i in enumerate(self.indicators)}
        self.indicator = {i.pk: i for i in self.indicators}

        via = {f"indicator__goal__{k}": v for k, v in narrowed.items()}
        self.owners: dict[int, list[IndicatorOwner]] = defaultdict(list)
        owners = IndicatorOwner.objects.filter(indicator__goal__chapter__cycle_id__in=ids, **via).select_related("agency")
        for owner in sorted(owners, key=lambda o: (o.role != OwnerRole.LEAD, o.agency.order, o.agency.name, o.pk)):
            self.owners[owner.indicator_id].append(owner)

        targets = Target.objects.filter(indicator__goal__chapter__cycle_id__in=ids, **via)
        self.targets = sorted((t for t in targets if t.indicator_id in indicator_at),
                              key=lambda t: (indicator_at[t.indicator_id], t.year, t.pk))
        self.target = {(t.indicator_id, t.year): t for t in self.targets}

        measurements = Measurement.objects.filter(indicator__goal__chapter__cycle_id__in=ids, **via)
        if request.actor is not None:  # members of a city read every report there, others approved ones only
            measurements = measurements.filter(Q(report__status=ReportStatus.APPROVED)
                                               | Q(report__agency__city_id__in=member_city_ids(request.actor)))
        self.measurements = sorted(
            (m for m in measurements.select_related("report__period", "report__agency")
             if m.indicator_id in indicator_at),
            key=lambda m: (indicator_at[m.indicator_id], m.report.period.year, m.report.period.seq,
                           m.report.agency.order, m.report.agency.name, m.pk))

        records = [*cycles, *self.chapters, *self.goals, *self.indicators, *self.targets, *self.measurements,
                   *(m.report for m in self.measurements)]
        self.newest = max((r.updated_at for r in records if r.updated_at), default=EMPTY_MOMENT)

    # -- the sheets -----------------------------------------------------------------------------------------
    def tables(self) -> list[opendata.Table]:
        return [opendata.Table(name, SHEETS[name], rows) for name, rows in (
            ("計畫", self._cycle_rows()), ("機關計畫", self._chapter_rows()), ("目標", self._goal_rows()),
            ("指標", self._indicator_rows()), ("目標值", self._target_rows()), ("實績", self._measurement_rows()),
        )]

    def _where(self, chapter: AgencyPlan) -> list:
        """縣市, 計畫, 機關或策略主題"""
        cycle = self.cycle[chapter.cycle_id]
        return [cycle.city.name, _plan(cycle), _chapter_name(chapter)]

    def _cycle_rows(self) -> list[list]:
        tally = {c.pk: defaultdict(int) for c in self.cycles}
        for chapter in self.chapters:
            tally[chapter.cycle_id]["chapters"] += 1
        for goal in self.goals:
            tally[self.chapter[goal.chapter_id].cycle_id][goal.kind] += 1
        cycle_of_indicator = {i.pk: self.chapter[self.goal[i.goal_id].chapter_id].cycle_id for i in self.indicators}
        for indicator in self.indicators:
            tally[cycle_of_indicator[indicator.pk]]["indicators"] += 1
        for target in self.targets:
            tally[cycle_of_indicator[target.indicator_id]]["targets"] += 1
        for measurement in self.measurements:
            tally[cycle_of_indicator[measurement.indicator_id]]["measurements"] += 1
        return [[c.pk, c.city.name, KIND_ZH.get(c.kind, c.kind), _plan(c), c.title, c.start_year, c.end_year,
                 _label(CycleStatus, c.status), t["chapters"], t[GoalKind.KEY], t[GoalKind.COMMON], t["indicators"],
                 t["targets"], t["measurements"]] for c, t in ((c, tally[c.pk]) for c in self.cycles)]

    def _chapter_rows(self) -> list[list]:
        goals, indicators = defaultdict(int), defaultdict(int)
        for goal in self.goals:
            if goal.kind == GoalKind.KEY:
                goals[goal.chapter_id] += 1
        for indicator in self.indicators:
            indicators[self.goal[indicator.goal_id].chapter_id] += 1
        return [[c.pk, c.cycle_id, *self._where(c), c.order, c.agency.name if c.agency_id else None,
                 c.theme.code if c.theme_id else None, c.mission, c.vision, "\n".join(c.priorities),
                 _label(ChapterStatus, c.status), goals[c.pk], indicators[c.pk], *_source(c)]
                for c in self.chapters]

    def _goal_rows(self) -> list[list]:
        indicators = defaultdict(int)
        for indicator in self.indicators:
            indicators[indicator.goal_id] += 1
        return [[g.pk, g.chapter_id, *self._where(self.chapter[g.chapter_id]), GOAL_KIND_ZH.get(g.kind, g.kind),
                 g.order, g.label, g.code, g.name, g.perspective, "\n".join(g.description), indicators[g.pk],
                 *_source(g)] for g in self.goals]

    def _indicator_rows(self) -> list[list]:
        rows = []
        for i in self.indicators:
            goal = self.goal[i.goal_id]
            owners = self.owners.get(i.pk, [])
            rows.append([
                i.pk, goal.pk, *self._where(self.chapter[goal.chapter_id]), GOAL_KIND_ZH.get(goal.kind, goal.kind),
                goal.name, goal.perspective, i.order, i.label, i.code, i.name, i.eval_system, i.eval_method,
                i.standard, i.unit, _label(Direction, i.direction), i.direction_confirmed, i.weight,
                LIST_SEPARATOR.join(o.agency.name for o in owners if o.role == OwnerRole.LEAD),
                LIST_SEPARATOR.join(o.agency.name for o in owners if o.role != OwnerRole.LEAD),
                i.wccd, LIST_SEPARATOR.join(i.flags), *_source(i),
            ])
        return rows

    def _indicator_where(self, indicator: Indicator) -> list:
        """指標ID, 縣市, 計畫, 機關或策略主題, 編號, 指標"""
        chapter = self.chapter[self.goal[indicator.goal_id].chapter_id]
        return [indicator.pk, *self._where(chapter), indicator.label or indicator.code, indicator.name]

    def _target_rows(self) -> list[list]:
        return [[*self._indicator_where(self.indicator[t.indicator_id]), t.year, t.raw, t.value, t.unit,
                 t.comparator, _label(ValueKind, t.kind), t.cumulative, t.note] for t in self.targets]

    def _measurement_rows(self) -> list[list]:
        rows = []
        for m in self.measurements:
            period, report = m.report.period, m.report
            target = self.target.get((m.indicator_id, period.year))
            rows.append([
                *self._indicator_where(self.indicator[m.indicator_id]), report.agency.name, period.year, period.seq,
                str(period), target.raw if target else None, m.expected_raw, m.actual_raw, m.achievement_rate,
                LIGHT_ZH.get(m.shown_light, m.shown_light), LIGHT_ZH.get(m.light, m.light), m.override_reason,
                m.progress_note, m.delay_reason, m.countermeasure, _label(ReportStatus, report.status), report.is_demo,
            ])
        return rows

    # -- the CSV --------------------------------------------------------------------------------------------
    def long_table(self) -> opendata.Table:
        """One row per indicator and year of its plan: the target and the result of the last approved period."""
        leads = {i: {o.agency_id for o in owners if o.role == OwnerRole.LEAD} for i, owners in self.owners.items()}
        latest: dict[tuple[int, int], Measurement] = {}
        for m in self.measurements:  # in period order: a later period replaces an earlier one
            if m.report.status != ReportStatus.APPROVED:
                continue
            key = (m.indicator_id, m.report.period.year)
            held = latest.get(key)
            if held is not None and held.report.period.seq == m.report.period.seq:
                lead = leads.get(m.indicator_id, set())
                if held.report.agency_id in lead or m.report.agency_id not in lead:
                    continue  # the same period from several agencies: the lead agency's result, else the first
            latest[key] = m
        rows = []
        for i in self.indicators:
            goal = self.goal[i.goal_id]
            chapter = self.chapter[goal.chapter_id]
            for year in self.cycle[chapter.cycle_id].years:
                target = self.target.get((i.pk, year))
                m = latest.get((i.pk, year))
                rows.append([
                    *self._where(chapter), GOAL_KIND_ZH.get(goal.kind, goal.kind), goal.name, goal.perspective, i.pk,
                    i.label or i.code, i.name, i.eval_system, i.eval_method, i.standard, i.unit, year,
                    target.raw if target else None,
                    m.actual_raw if m else None, m.achievement_rate if m else None,
                    LIGHT_ZH.get(m.shown_light, m.shown_light) if m else None, str(m.report.period) if m else None,
                    m.report.agency.name if m else None, m.report.is_demo if m else None,
                ])
        return opendata.Table(CSV_TITLE, CSV_COLUMNS, rows)
