"""The annual 施政績效成果報告 of a cycle (a city, or one agency) as a reports.document.Document.

For each agency and KPI: the year's target, the actual (the last period of the year that was reported), the
achievement rate and light as tracking computed them, 執行情形, and where the light is yellow or red 落後原因
and 因應對策; summary tables by agency and by perspective with a chart. Only the results the reader may see
are used: the city's own staff see every saved result, the public report (approved_only) approved reports only.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from django.utils import timezone

from civicplan.plans.models import Indicator
from civicplan.reports.charts import LIGHT_NAMES, lights_by_group
from civicplan.reports.document import (
    BodyStart, Cell, Contents, Document, Heading, Image, PageBreak, Paragraph, Table, chinese_number,
)
from civicplan.tracking.models import Measurement, ReportStatus
from civicplan.tracking.periods import ROC_OFFSET

LIGHTS = ("green", "yellow", "red", "white")


def _results(cycle, year: int, agency, approved_only: bool) -> dict[int, Measurement]:
    """Each KPI's measurement of the last period of `year` with a value (approved reports only, if asked)."""
    rows = (Measurement.objects.filter(indicator__goal__chapter__cycle=cycle, report__period__year=year)
            .exclude(actual_raw="").select_related("report__period", "report__agency")
            .order_by("indicator_id", "-report__period__seq", "-id"))
    if agency is not None:
        rows = rows.filter(indicator__goal__chapter__agency=agency)
    if approved_only:
        rows = rows.filter(report__status=ReportStatus.APPROVED)
    latest: dict[int, Measurement] = {}
    for m in rows:
        latest.setdefault(m.indicator_id, m)
    return latest


def _rate(m) -> str:
    return f"{m.achievement_rate}%" if m is not None and m.achievement_rate is not None else "—"


def _summary_table(name: str, first: str, rows: list[tuple[str, Counter, list]]) -> Table:
    header = [[Cell(first, bold=True, align="center"), Cell("指標數", bold=True, align="center"),
               *(Cell(LIGHT_NAMES[light], bold=True, align="center") for light in LIGHTS),
               Cell("平均達成度", bold=True, align="center")]]
    body = []
    for label, counts, rates in rows:
        mean = f"{sum(rates) / len(rates):.1f}%" if rates else "—"
        body.append([Cell(label), Cell(str(sum(counts.values())), align="right"),
                     *(Cell(str(counts.get(light, 0)), align="right") for light in LIGHTS),
                     Cell(mean, align="right")])
    return Table(header=header, body=body, widths=[5, 1.6, 1.4, 1.4, 1.4, 1.4, 2], name=name, font_size=9)


def build_performance_report(cycle, year: int, *, agency=None, approved_only: bool = False, chart_fmt: str = "svg",
                             today=None) -> Document:
    city = cycle.city
    indicators = list(Indicator.objects.filter(goal__chapter__cycle=cycle, goal__chapter__agency__isnull=False)
                      .select_related("goal__chapter__agency").prefetch_related("targets")
                      .order_by("goal__chapter__order", "goal__chapter__id", "-goal__kind", "goal__order", "order",
                                "id"))
    if agency is not None:
        indicators = [i for i in indicators if i.goal.chapter.agency_id == agency.pk]
    if not indicators:
        raise LookupError("no indicators")
    results = _results(cycle, year, agency, approved_only)
    by_agency: dict[int, list[Indicator]] = defaultdict(list)
    agencies = {}
    for indicator in indicators:
        chapter_agency = indicator.goal.chapter.agency
        agencies[chapter_agency.pk] = chapter_agency
        by_agency[chapter_agency.pk].append(indicator)

    who = f"{city.name}政府" + (agency.name if agency is not None else "")
    title = f"{who}{year}年度施政績效成果報告"
    doc = Document(title=title, author=f"{city.name}政府", subject="施政績效成果報告")
    today = today or timezone.localdate()
    doc.add(Paragraph(title, style="title"))
    doc.add(Paragraph(f"（{cycle.city.name}中程施政計畫 {cycle.start_year} 至 {cycle.end_year} 年度）", style="subtitle"))
    doc.add(Paragraph(f"中華民國 {today.year - ROC_OFFSET} 年 {today.month:02d} 月", style="subtitle"))
    doc.add(PageBreak())
    doc.add(Contents(title="目錄", depth=2))
    doc.add(BodyStart())

    # 壹、總覽 ---------------------------------------------------------------------------------------------------
    doc.add(Heading(1, "績效總覽", number="壹、"))
    measured = [results.get(i.pk) for i in indicators]
    lights = Counter(m.shown_light if m else "white" for m in measured)
    doc.add(Paragraph(
        f"{year}年度列管關鍵績效指標共 {len(indicators)} 項："
        + "、".join(f"{LIGHT_NAMES[light]} {lights.get(light, 0)} 項" for light in LIGHTS)
        + "。燈號依各期填報之實際值與年度目標值計算（綠燈：達成；黃燈：落後；紅燈：嚴重落後；白燈：尚無資料或未到期）。"))
    agency_rows = []
    for agency_id, members in by_agency.items():
        ms = [results.get(i.pk) for i in members]
        agency_rows.append((agencies[agency_id].name, Counter(m.shown_light if m else "white" for m in ms),
                            [float(m.achievement_rate) for m in ms if m is not None and m.achievement_rate is not None]))
    doc.add(Heading(2, "各機關燈號統計", number="一、"))
    doc.add(_summary_table("agencies", "機關", agency_rows))
    data, width, height = lights_by_group([(name, counts) for name, counts, _r in agency_rows],
                                          title=f"{year}年度各機關關鍵績效指標燈號", fmt=chart_fmt)
    doc.add(Image(data, "image/svg+xml" if chart_fmt == "svg" else "image/png", width_cm=min(width, 16),
                  height_cm=height * min(width, 16) / width, caption=f"圖：{year}年度各機關關鍵績效指標燈號"))
    perspective_rows: dict[str, tuple[Counter, list]] = {}
    for indicator, m in zip(indicators, measured):
        key = indicator.goal.perspective or "未分構面"
        counts, rates = perspective_rows.setdefault(key, (Counter(), []))
        counts[m.shown_light if m else "white"] += 1
        if m is not None and m.achievement_rate is not None:
            rates.append(float(m.achievement_rate))
    order = list(city.perspectives) + ["未分構面"]
    doc.add(Heading(2, "各構面燈號統計", number="二、"))
    doc.add(_summary_table("perspectives", "構面", [
        (key, *perspective_rows[key]) for key in sorted(perspective_rows, key=lambda k: (order.index(k)
                                                                                      if k in order else 99, k))]))

    # 貳、各機關績效 ----------------------------------------------------------------------------------------------
    doc.add(PageBreak(orientation="landscape"))
    doc.add(Heading(1, "各機關關鍵績效指標達成情形", number="貳、"))
    for number, (agency_id, members) in enumerate(by_agency.items(), start=1):
        doc.add(Heading(2, agencies[agency_id].name, number=f"{chinese_number(number)}、"))
        header = [[Cell(text, bold=True, align="center") for text in
                   ("序號", "關鍵績效指標", "年度目標值", "實際值", "達成度", "燈號", "資料期別", "執行情形")]]
        body, behind = [], []
        for seq, indicator in enumerate(members, start=1):
            m = results.get(indicator.pk)
            target = next((t.raw for t in indicator.targets.all() if t.year == year), "") or "—"
            light = m.shown_light if m else "white"
            body.append([Cell(str(seq), align="center"), Cell(indicator.name), Cell(target), Cell(
                m.actual_raw if m else "—"), Cell(_rate(m), align="right"), Cell(LIGHT_NAMES[light], align="center"),
                Cell(str(m.report.period) if m else "—"), Cell(m.progress_note if m else "")])
            if light in ("yellow", "red"):
                behind.append((seq, indicator, m))
        doc.add(Table(header=header, body=body, widths=[1, 6, 2.4, 2.4, 1.6, 1.3, 2.8, 7],
                      name=f"agency-{agency_id}", font_size=8.5))
        if behind:
            doc.add(Paragraph("落後指標之原因及因應對策：", bold=True, keep_with_next=True))
            for seq, indicator, m in behind:
                doc.add(Paragraph(f"{indicator.name}（{LIGHT_NAMES[m.shown_light]}，達成度 {_rate(m)}）",
                                  level=1, marker=f"（{chinese_number(seq)}）"))
                doc.add(Paragraph(f"落後原因：{m.delay_reason or '（未填）'}", level=2, marker="1、"))
                doc.add(Paragraph(f"因應對策：{m.countermeasure or '（未填）'}", level=2, marker="2、"))
    if any(m is not None and m.report.is_demo for m in results.values()):
        doc.add(Paragraph("註：本報告含系統示範資料（示範資料），非實際填報數值。", style="note"))
    return doc
