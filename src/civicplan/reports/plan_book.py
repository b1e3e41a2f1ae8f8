"""The 中程施政計畫 book of a plan cycle — the whole city or one agency's chapter — as a `reports.document.Document`,
in the layout of the Keelung books (../shared/docs/seeds-keelung.md §1.5):

    cover (city, 中程施政計畫, (109 至 112 年度), 核定版/草案, 中華民國 … 年 … 月)
    目錄 — the city: 壹、民政處 … 貳拾、文化局 with page numbers; one agency: its headings down to 一、
    for each chapter, on a new page (numbered from 1 at the first chapter):
      基隆市政府民政處中程施政計畫（109 至 112 年度）
      壹、使命及願景           一、使命  二、願景
      貳、施政重點             the chapter's 貳 sections (一、現有計畫執行成效檢討 …), their items （一） 1、 （1）
      參、關鍵策略目標、共同性目標、關鍵績效指標及共同性指標
        一、關鍵策略目標       （一）goal（構面） with its items 1、 …, from the goals as they are now
        二、共同性目標         the same for the common goals
        三、關鍵績效指標、衡量標準及年度目標值   (landscape) the KPI table, then 註： the 評估體制 legend
        四、共同性指標、衡量標準及年度目標值     the common-indicator table

The tables have the book's columns — 序號, 關鍵策略目標 (共同性目標), 編號, 關鍵績效指標 (共同性指標), 評估體制, 評估方式,
衡量標準, and 年度績效目標值 over one column per ROC year — two header rows, and the goal's 序號 and name merged over
its KPIs' rows. Goals are numbered by their place (1, 2 …), KPIs by their place in the goal, as the book prints them.
The data is the one the chapter page shows (`plans.book.chapter_table`), so the book and the page agree.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils import timezone

from civicplan.plans.book import chapter_table
from civicplan.plans.models import AgencyPlan, CycleStatus, GoalKind, PlanKind, Section
from civicplan.reports.document import (
    BodyStart,
    Cell,
    Contents,
    Document,
    Heading,
    PageBreak,
    Paragraph,
    Table,
    chinese_number,
    prose,
)
from civicplan.targets.dates import ROC_OFFSET

PART_TITLES = {  # the three 一級 headings every Keelung chapter prints
    "壹": "使命及願景",
    "貳": "施政重點",
    "參": "關鍵策略目標、共同性目標、關鍵績效指標及共同性指標",
}
KEY_TABLE_TITLE = "關鍵績效指標、衡量標準及年度目標值"
COMMON_TABLE_TITLE = "共同性指標、衡量標準及年度目標值"
STATUS_LABELS = {
    CycleStatus.DRAFT: "草案",
    CycleStatus.IN_REVIEW: "審查版",
    CycleStatus.APPROVED: "核定版",
    CycleStatus.PUBLISHED: "核定版",
    CycleStatus.SUPERSEDED: "核定版",
}
KIND_LABELS = {PlanKind.MEDIUM_TERM: "中程施政計畫", PlanKind.ANNUAL: "年度施政計畫", PlanKind.STRATEGY_MAP: "施政計畫"}
LEGEND_INTRO = "評估體制之數字代號意義如下："
GENERATED_HEADINGS = ("關鍵策略目標", "共同性目標", "關鍵績效指標", "共同性指標")
# Column widths (cm) of the tables on an A4 landscape page (26 cm of text width); the years share the rest.
FIXED_WIDTHS = [1.0, 3.6, 1.0, 4.2, 1.5, 1.5, 6.0]
YEARS_WIDTH = 7.2


def book_chapters(cycle, agency=None) -> list[AgencyPlan]:
    """The agency chapters of the cycle in book order (one agency: its chapter only; may be empty)."""
    chapters = (cycle.chapters.filter(agency__isnull=False).select_related("agency", "cycle__city")
                .prefetch_related(Prefetch("sections", queryset=Section.objects.order_by("order", "id"))))
    if agency is not None:
        chapters = chapters.filter(agency=agency)
    return list(chapters.order_by("order", "agency__order", "id"))


def build_plan_book(cycle, agency=None, today=None) -> Document:
    """The book of `cycle` (for `agency` only when given) as a Document. Raises LookupError when there is no
    chapter to print."""
    chapters = book_chapters(cycle, agency)
    if not chapters:
        raise LookupError("no chapter")
    city = cycle.city
    kind = KIND_LABELS.get(cycle.kind, "施政計畫")
    years = cycle.years
    period = _period(cycle)
    title = f"{_issuer(city.name, agency.name)}{kind}" if agency is not None else f"{city.name}政府{kind}"
    doc = Document(title=f"{title}（{period}）", author=f"{city.name}政府", subject=kind)

    today = today or timezone.localdate()
    doc.add(Paragraph(title, style="title"))
    doc.add(Paragraph(f"({period})", style="subtitle"))
    doc.add(Paragraph(STATUS_LABELS.get(cycle.status, ""), style="subtitle"))
    doc.add(Paragraph(f"中華民國 {today.year - ROC_OFFSET} 年 {today.month:02d} 月", style="subtitle"))
    doc.add(PageBreak())
    doc.add(Contents(title="目錄", depth=3 if agency is not None else 1))
    doc.add(BodyStart())
    legend = sorted((city.eval_system_legend or {}).items(), key=lambda item: (len(item[0]), item[0]))
    for number, chapter in enumerate(chapters, start=1):
        if number > 1:
            doc.add(PageBreak(orientation="portrait"))
        _chapter(doc, chapter, number, years, period, legend, single=agency is not None)
    return doc


def _period(cycle) -> str:
    if cycle.start_year == cycle.end_year:
        return f"{cycle.start_year} 年度"
    return f"{cycle.start_year} 至 {cycle.end_year} 年度"


def _issuer(city: str, agency: str) -> str:
    """基隆市政府民政處, but 基隆市稅務局: the 局 print the city without 政府, as the seed book does."""
    return f"{city}{agency}" if agency.endswith("局") else f"{city}政府{agency}"


def _chapter(doc: Document, chapter: AgencyPlan, number: int, years, period, legend, single: bool) -> None:
    agency = chapter.agency.name
    kind = KIND_LABELS.get(chapter.cycle.kind, "施政計畫")
    doc.add(Heading(1, f"{_issuer(chapter.cycle.city.name, agency)}{kind}（{period}）",
                    toc_text="" if single else f"{chinese_number(number, capital=True)}、{agency}"))
    parts: dict[str, list[Section]] = {}
    order: list[str] = []
    current = "貳"
    for section in chapter.sections.all():
        part, _, sub = section.label.partition("、")
        if part and part[0] in "壹貳參肆伍陸柒捌玖拾" and sub:
            current = part
        parts.setdefault(current, []).append(section)
        if current not in order:
            order.append(current)
    sections = {s.label.strip(): s for s in chapter.sections.all()}

    # 壹、使命及願景: the chapter's mission and vision as edited (the imported sections 壹、一/二 are their copies)
    doc.add(Heading(2, PART_TITLES["壹"], number="壹、"))
    mission = chapter.mission or getattr(sections.get("壹、一"), "text", "")
    vision = chapter.vision or getattr(sections.get("壹、二"), "text", "")
    doc.add(Heading(3, "使命", number="一、"))
    doc.extend(prose(mission))
    doc.add(Heading(3, "願景", number="二、"))
    doc.extend(prose(vision))
    _sections(doc, [s for s in parts.get("壹", []) if s.label.strip() not in ("壹、一", "壹、二")])

    # 貳、施政重點: the narrative sections; without any, the priorities as 三、未來四年施政重點
    doc.add(Heading(2, PART_TITLES["貳"], number="貳、"))
    if parts.get("貳"):
        _sections(doc, parts["貳"])
    elif chapter.priorities:
        doc.add(Heading(3, "未來四年施政重點", number="三、"))
        for n, item in enumerate(chapter.priorities, start=1):
            doc.add(Paragraph(item, level=1, marker=f"（{chinese_number(n)}）"))

    # 參: goals from the goal records, then the two tables
    table = chapter_table(chapter, {})
    doc.add(Heading(2, PART_TITLES["參"], number="參、"))
    doc.add(Heading(3, "關鍵策略目標", number="一、"))
    _goal_list(doc, table[GoalKind.KEY])
    doc.add(Heading(3, "共同性目標", number="二、"))
    _goal_list(doc, table[GoalKind.COMMON])
    doc.add(PageBreak(orientation="landscape"))
    doc.add(Heading(3, KEY_TABLE_TITLE, number="三、"))
    doc.add(_goal_table(table[GoalKind.KEY], years, "關鍵策略目標", "關鍵績效指標",
                        f"{agency}關鍵績效指標"))
    doc.add(Paragraph("註：", style="note", keep_with_next=True))
    doc.add(Paragraph(LEGEND_INTRO, style="note", keep_with_next=True))
    for n, (code, meaning) in enumerate(legend, start=1):
        doc.add(Paragraph(meaning, level=1, marker=f"{code}.", style="note", keep_with_next=n < len(legend)))
    doc.add(Heading(3, COMMON_TABLE_TITLE, number="四、"))
    common = _goal_table(table[GoalKind.COMMON], years, "共同性目標", "共同性指標", f"{agency}共同性指標")
    common.keep_together = sum(len(row) for row in common.row_groups()) <= 6  # the usual three rows: one page
    doc.add(common)
    # the 參 sections the goals and tables above replace are dropped; any other (a city's own 參、一 施政重點 …) follows
    rest = [s for s in parts.get("參", []) if not s.heading.strip().startswith(GENERATED_HEADINGS)]
    for part in order:  # anything an editor added beyond the skeleton (參、五 …, 肆、…) follows, as written
        if part not in ("壹", "貳", "參"):
            rest.extend(parts[part])
    if rest:
        doc.add(PageBreak(orientation="portrait"))
        _sections(doc, rest)


def _sections(doc: Document, sections: list[Section]) -> None:
    for section in sections:
        part, _, sub = section.label.strip().partition("、")
        if sub and part in PART_TITLES:
            number = f"{sub}、"
        else:
            number = f"{section.label.strip()}　" if section.label.strip() else ""
        if section.heading.strip() or number:
            doc.add(Heading(3, section.heading.strip(), number=number))
        doc.extend(prose(section.text))


def _with_perspective(goal) -> str:
    return f"{goal.name}（{goal.perspective}）" if goal.perspective else goal.name


def _goal_list(doc: Document, rows) -> None:
    for n, row in enumerate(rows, start=1):
        goal = row["goal"]
        doc.add(Paragraph(_with_perspective(goal), level=1, marker=f"（{chinese_number(n)}）"))
        for item in goal.description or []:
            for paragraph in prose(str(item)):  # the goal's items: 1、 (level 2), （1） (level 3) …
                paragraph.level = max(paragraph.level, 2)
                doc.add(paragraph)


def _goal_table(rows, years, goal_heading: str, indicator_heading: str, name: str) -> Table:
    year_width = YEARS_WIDTH / max(1, len(years))
    header = [
        [Cell("序號", rowspan=2, align="center", bold=True), Cell(goal_heading, rowspan=2, align="center", bold=True),
         Cell("編號", rowspan=2, align="center", bold=True),
         Cell(indicator_heading, rowspan=2, align="center", bold=True),
         Cell("評估體制", rowspan=2, align="center", bold=True), Cell("評估方式", rowspan=2, align="center", bold=True),
         Cell("衡量標準", rowspan=2, align="center", bold=True),
         Cell("年度績效目標值", colspan=len(years), align="center", bold=True)],
        [Cell(f"{year}年", align="center", bold=True) for year in years],
    ]
    body: list[list[Cell]] = []
    for g, row in enumerate(rows, start=1):
        goal = row["goal"]
        items = row["indicators"]
        span = max(1, len(items))
        goal_cells = [Cell(str(g), rowspan=span, align="center"), Cell(_with_perspective(goal), rowspan=span)]
        if not items:
            body.append(goal_cells + [Cell() for _ in range(5)] + [Cell() for _ in years])
            continue
        for i, item in enumerate(items, start=1):
            indicator = item["indicator"]
            cells = list(goal_cells) if i == 1 else []
            cells += [
                Cell(str(i), align="center"), Cell(indicator.name), Cell(indicator.eval_system, align="center"),
                Cell(indicator.eval_method, align="center"), Cell(indicator.standard),
            ]
            cells += [Cell(target.raw if target is not None else "—", align="center")
                      for _, target in item["targets"]]
            body.append(cells)
    return Table(header=header, body=body, widths=FIXED_WIDTHS + [year_width] * len(years), name=name,
                 font_size=8.5)
