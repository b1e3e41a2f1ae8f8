"""The bi-monthly 列管報告 for the mayor's meeting, as a reports.document.Document.

Exceptions first — red, then yellow KPIs (with 落後原因 and 因應對策), reports overdue (not handed in by the due
date) and reports returned for revision (with why) — then one line per agency: its KPIs by light and where its
report stands. The period is the city's period `period_no` of ROC `year`.
"""

from __future__ import annotations

from collections import Counter

from django.utils import timezone

from civicplan.plans.models import Indicator
from civicplan.reports.charts import LIGHT_NAMES
from civicplan.reports.document import BodyStart, Cell, Contents, Document, Heading, PageBreak, Paragraph, Table
from civicplan.tracking.models import Measurement, Report, ReportStatus
from civicplan.tracking.periods import ROC_OFFSET, periods_for

UNFINISHED = (ReportStatus.DRAFT, ReportStatus.RETURNED)
STATUS_ZH = {
    ReportStatus.DRAFT: "填報中", ReportStatus.SUBMITTED: "已送單位主管", ReportStatus.HEAD_APPROVED: "單位主管已核",
    ReportStatus.FIRST_REVIEWED: "初核通過", ReportStatus.APPROVED: "複核通過", ReportStatus.RETURNED: "退回修正",
}


def roc(day) -> str:
    return f"{day.year - ROC_OFFSET}年{day.month}月{day.day}日"


def period_of(city, year: int, period_no: int):
    periods = periods_for(city, year)
    if not 1 <= period_no <= len(periods):
        raise LookupError(f"{city.name} has periods 1–{len(periods)} in {year}")
    return periods[period_no - 1]


def build_tracking_report(cycle, year: int, period_no: int, *, agency=None, today=None) -> Document:
    city = cycle.city
    today = today or timezone.localdate()
    period = period_of(city, year, period_no)
    indicators = (Indicator.objects.filter(goal__chapter__cycle=cycle, goal__chapter__agency__isnull=False)
                  .select_related("goal__chapter__agency"))
    if agency is not None:
        indicators = indicators.filter(goal__chapter__agency=agency)
    indicators = list(indicators.order_by("goal__chapter__order", "goal__chapter__id", "-goal__kind",
                                          "goal__order", "order", "id"))
    if not indicators:
        raise LookupError("no indicators")
    agencies = list(dict.fromkeys(i.goal.chapter.agency for i in indicators))
    measurements = {m.indicator_id: m for m in Measurement.objects.filter(
        report__period=period, indicator__in=[i.pk for i in indicators]).exclude(actual_raw="")
        .select_related("report")}
    reports = {r.agency_id: r for r in Report.objects.filter(period=period, agency__in=agencies)}

    who = f"{city.name}政府" + (agency.name if agency is not None else "")
    title = f"{who}{period}列管報告"
    doc = Document(title=title, author=f"{city.name}政府", subject="列管報告")
    doc.add(Paragraph(title, style="title"))
    doc.add(Paragraph(f"資料截止：{roc(period.due_on)}　製表：{roc(today)}", style="subtitle"))
    doc.add(Contents(title="目錄", depth=1))
    doc.add(BodyStart())

    doc.add(Heading(1, "異常案件", number="壹、"))
    number = 0
    for light, caption in (("red", "紅燈指標（嚴重落後）"), ("yellow", "黃燈指標（落後）")):
        rows = [(i, measurements[i.pk]) for i in indicators
                if i.pk in measurements and measurements[i.pk].shown_light == light]
        number += 1
        doc.add(Heading(2, f"{caption}：{len(rows)} 項", number=f"{'一二三四'[number - 1]}、", in_toc=False))
        if rows:
            doc.add(Table(
                header=[[Cell(t, bold=True, align="center") for t in
                         ("機關", "關鍵績效指標", "本期應達", "實際值", "達成度", "落後原因", "因應對策")]],
                body=[[Cell(i.goal.chapter.agency.name), Cell(i.name), Cell(m.expected_raw or "—"), Cell(m.actual_raw),
                       Cell(f"{m.achievement_rate}%" if m.achievement_rate is not None else "—", align="right"),
                       Cell(m.delay_reason or "（未填）"), Cell(m.countermeasure or "（未填）")] for i, m in rows],
                widths=[2.2, 5, 2.2, 2.2, 1.6, 5, 5], name=f"{light}-kpis", font_size=8.5))
    overdue = [(a, reports.get(a.pk)) for a in agencies
               if period.due_on < today and (reports.get(a.pk) is None or reports[a.pk].status in UNFINISHED)]
    number += 1
    doc.add(Heading(2, f"逾期未送：{len(overdue)} 個機關", number=f"{'一二三四'[number - 1]}、", in_toc=False))
    for a, report in overdue:
        state = "尚未開始填報" if report is None else STATUS_ZH.get(report.status, report.status)
        doc.add(Paragraph(f"{a.name}：{state}，已逾期 {(today - period.due_on).days} 天（{roc(period.due_on)}截止）。",
                          level=1, marker="・"))
    returned = [(a, reports[a.pk]) for a in agencies
                if a.pk in reports and reports[a.pk].status == ReportStatus.RETURNED]
    number += 1
    doc.add(Heading(2, f"退回修正：{len(returned)} 個機關", number=f"{'一二三四'[number - 1]}、", in_toc=False))
    for a, report in returned:
        doc.add(Paragraph(f"{a.name}：{report.return_reason or '（未說明）'}", level=1, marker="・"))

    doc.add(PageBreak())
    doc.add(Heading(1, "各機關摘要", number="貳、"))
    for a in agencies:
        mine = [i for i in indicators if i.goal.chapter.agency_id == a.pk]
        counts = Counter(measurements[i.pk].shown_light if i.pk in measurements else "white" for i in mine)
        report = reports.get(a.pk)
        state = "尚未開始填報" if report is None else STATUS_ZH.get(report.status, report.status)
        lights = "、".join(f"{LIGHT_NAMES[light]} {counts[light]}" for light in ("green", "yellow", "red", "white")
                          if counts[light])
        doc.add(Paragraph(f"{a.name}：指標 {len(mine)} 項（{lights}）；填報狀態：{state}。", level=1, marker="・"))
    if any(m.report.is_demo for m in measurements.values()):
        doc.add(Paragraph("註：本報告含系統示範資料（示範資料），非實際填報數值。", style="note"))
    return doc
