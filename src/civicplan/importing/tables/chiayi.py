"""Chiayi layout family: a 中程施政計畫 book converted from PDF with its tables shattered into short lines.

Each agency chapter is `嘉義市政府<機關>中程(108至111年度)施政計畫` → 壹、機關任務及願景 (一、機關任務 · 二、願景)
→ 貳、環境情勢分析及策略規劃 → 參、未來4年施政重點及關鍵績效指標 (一、施政重點 · 二、關鍵績效指標(KPI)), the
last being a table of 關鍵策略目標 / 關鍵績效指標 / 衡量標準 / 年度目標值 whose cells the conversion printed one
after another as runs of short lines (chiayi_cells, chiayi_table). A 滾動修正項目彙總表 may follow the chapters
(chiayi_revisions). Cover pages, a table of contents and stray page numbers are dropped.
"""

from __future__ import annotations

import re

from civicplan.importing.document import Line, SourceText
from civicplan.importing.tables.chiayi_checks import check_document, debris_anomalies, swapped_columns
from civicplan.importing.tables.chiayi_revisions import read_appendix
from civicplan.importing.tables.chiayi_table import read_kpi_table
from civicplan.importing.tables.chiayi_text import (
    APPENDIX_TITLE, COVER_AGENCY, TITLE, YEARS_HEADER, clean_text, is_furniture,
)
from civicplan.interchange.model import Anomaly, Chapter, PlanDocument, Section, Source

_HEADER = re.compile(r"^關鍵策略目標\s*關鍵績效指標\s*衡量標準")
_SECTION = re.compile(r"^([壹貳參肆伍])、\s*(\S.*)$")
_SUBSECTION = re.compile(r"^([一二三四五])、\s*(\S.*?)[：:]?$")
_KPI_HEADING = re.compile(r"關鍵績效指標")
_ITEM = re.compile(r"^[(（][一二三四五六七八九十]+[)）]\s*")
_SCOPE = re.compile(r"^[(（]含.+[)）]$")
_STATED_UNITS = re.compile(r"一級單位\s*(\d+)\s*處.{0,8}?一級機關\s*(\d+)\s*局")


def detect(source: SourceText) -> float:
    """How sure the book is of this family: Chiayi-style titles and the 4-column shattered KPI header."""
    titles = headers = short = content = 0
    for line in source.lines:
        stripped = line.text.strip()
        if not stripped:
            continue
        content += 1
        if len(stripped) <= 12:
            short += 1
        if TITLE.match(stripped):
            titles += 1
        elif _HEADER.match(stripped) and "評估" not in stripped:
            headers += 1
    if not headers:
        return 0.0
    score = 0.5 + (0.3 if titles else 0.0) + (0.2 if content and short / content > 0.3 else 0.0)
    return min(score, 1.0)


def parse(source: SourceText) -> PlanDocument:
    lines = source.lines
    starts, appendix = _chapter_starts(lines)
    first = TITLE.match(lines[starts[0]].text.strip()) if starts else None
    city = first["city"] if first else ""
    period = {"start": int(first["start"]), "end": int(first["end"])} if first else {}
    document = PlanDocument(
        city=city, kind="medium-term", period=period,
        title=f"{city}政府中程({period.get('start')}至{period.get('end')}年度)施政計畫" if first else "",
        source=Source(file=source.name, sha256=source.sha256),
    )
    ends = starts[1:] + [appendix if appendix is not None else len(lines)]
    years = list(range(period["start"], period["end"] + 1)) if period else []
    for start, end in zip(starts, ends):
        chapter, anomalies = _chapter(lines[start:end], source.name, years)
        document.chapters.append(chapter)
        document.anomalies.extend(anomalies)
    if appendix is not None:
        body = {c.agency: {"goals": [g.name for g in c.goals],
                           "indicators": [i.name for g in c.goals for i in g.indicators]} for c in document.chapters}
        revisions, anomalies = read_appendix(lines[appendix:], list(body), years, source.name, body)
        document.revisions.extend(revisions)
        document.anomalies.extend(anomalies)
    document.anomalies.extend(_stated_units(lines, document, source.name))
    document.anomalies.extend(check_document(document))
    document.anomalies.extend(swapped_columns(document, source.name))
    document.anomalies.extend(debris_anomalies(lines, source.name))
    return document


def _chapter_starts(lines: list[Line]):
    """Indexes of the chapter titles (a repeated title after a table of contents wins) and of the appendix."""
    starts: list[int] = []
    agencies: list[str] = []
    appendix = None
    for index, line in enumerate(lines):
        stripped = line.text.strip()
        match = TITLE.match(stripped)
        if match:
            if agencies and agencies[-1] == match["agency"]:
                starts[-1] = index  # the title printed again after the table of contents
            else:
                starts.append(index)
                agencies.append(match["agency"])
        elif APPENDIX_TITLE.search(stripped) and len(stripped) < 80:
            appendix = index
            break
    return starts, appendix


def _chapter(lines: list[Line], file: str, years: list[int]):
    title = TITLE.match(lines[0].text.strip())
    agency = title["agency"]
    chapter = Chapter(agency=agency, source=Source(file=file, lines=[lines[0].number, lines[-1].number]))
    anomalies: list[Anomaly] = []
    section_label = ""
    current: dict | None = None
    blocks: list[dict] = []
    table: list[Line] = []
    in_table = False
    last_content = lines[0].number
    for line in lines[1:]:
        stripped = line.text.strip()
        cover = COVER_AGENCY.match(stripped)
        if not stripped or is_furniture(stripped) or (cover and cover["city"] == title["city"]) or TITLE.match(stripped):
            continue
        last_content = line.number
        if in_table:
            if YEARS_HEADER.match(stripped):
                years = [int(y) for y in re.findall(r"(\d{2,3})年", stripped)]
            elif not (_HEADER.match(stripped) or stripped.startswith("年度目標值")):
                table.append(line)
            continue
        section = _SECTION.match(stripped)
        sub = _SUBSECTION.match(stripped) if len(stripped) <= 24 else None
        if section:
            section_label = section.group(1)
            current = None
        elif sub and section_label:
            current = {"label": f"{section_label}、{sub.group(1)}", "heading": _heading(sub.group(2)),
                       "lines": [], "first": line.number}
            if _KPI_HEADING.search(sub.group(2)) and section_label == "參":
                in_table = True
                current = None
                continue
            blocks.append(current)
        elif current is not None:
            current["lines"].append(line)
        elif not section_label and _SCOPE.match(stripped):
            continue
    for block in blocks:
        text = "\n".join(_paragraphs(block["lines"]))
        last = block["lines"][-1].number if block["lines"] else block["first"]
        chapter.sections.append(Section(label=block["label"], heading=block["heading"], text=text,
                                        source=Source(file=file, lines=[block["first"], last])))
        if block["label"] == "壹、一":
            chapter.mission = text
        elif block["label"] == "壹、二":
            chapter.vision = text
        elif block["label"] == "參、一":
            chapter.priorities = [_ITEM.sub("", p) for p in _items(block["lines"])]
    chapter.source.lines = [lines[0].number, last_content]
    if table:
        chapter.goals, table_anomalies = read_kpi_table(table, years, file, agency)
        anomalies.extend(table_anomalies)
        anomalies.extend(_linked_goals(chapter, file))
    else:
        anomalies.append(Anomaly(kind="lost-cell", message=f"{agency}: no KPI table found",
                                 source=Source(file=file, lines=chapter.source.lines)))
    return chapter, anomalies


def _heading(text: str) -> str:
    return clean_text([text]).rstrip("：:")


_SENTENCE_END = re.compile(r"[。：:；;！？]\s*$")
_ITEM_START = re.compile(r"^(?:[(（][一二三四五六七八九十\d]+[)）]|\d{1,2}[.、．](?!\d)|[A-Z][.．]|[①-⑳]|A?○\d)")


def _paragraphs(lines: list[Line]) -> list[str]:
    """Rebuild paragraphs from hard-wrapped prose: a paragraph ends with a sentence (。：) or before an item."""
    paragraphs: list[list[str]] = []
    ended = True
    for line in lines:
        piece = line.text.strip()
        if ended or _ITEM_START.match(piece) or not paragraphs:
            paragraphs.append([piece])
        else:
            paragraphs[-1].append(piece)
        ended = bool(_SENTENCE_END.search(piece))
    return [text for text in (clean_text(p) for p in paragraphs) if text]


def _items(lines: list[Line]) -> list[str]:
    """Numbered items (一)(二)… of a section, each with its sub-items."""
    items: list[str] = []
    for paragraph in _paragraphs(lines):
        if _ITEM.match(paragraph) or not items:
            items.append(paragraph)
        else:
            items[-1] += paragraph
    return items


_GOAL_LINK = re.compile(r"[(（](?:關鍵)?策略(?:績效)?目標([一二三四五六七八九十]+)[)）]")


def _linked_goals(chapter: Chapter, file: str) -> list[Anomaly]:
    """施政重點 headings that name their goal (`(關鍵策略目標三)`) against the goals of the KPI table."""
    linked = {m.group(1) for p in chapter.priorities for m in _GOAL_LINK.finditer(p)}
    table = {g.label for g in chapter.goals}
    if not linked or linked == table:
        return []
    return [Anomaly(kind="goal-list-mismatch", message=(
        f"{chapter.agency}: 施政重點 name goals {sorted(linked)}, the KPI table has {sorted(table)}"),
        source=Source(file=file, lines=chapter.source.lines))]


def _stated_units(lines: list[Line], document: PlanDocument, file: str) -> list[Anomaly]:
    """`一級單位14處，所屬一級機關6局` vs the chapters found."""
    found_offices = sum(1 for c in document.chapters if c.agency and c.agency.endswith("處"))
    found_bureaus = sum(1 for c in document.chapters if c.agency and c.agency.endswith("局"))
    for index, line in enumerate(lines):
        if "一級單位" not in line.text:
            continue
        match = _STATED_UNITS.search("".join(following.text.strip() for following in lines[index:index + 3]))
        if match:
            offices, bureaus = int(match.group(1)), int(match.group(2))
            if (offices, bureaus) != (found_offices, found_bureaus):
                return [Anomaly(kind="count-mismatch", message=(
                    f"the text states {offices} 處 and {bureaus} 局; the book has chapters for {found_offices} 處 "
                    f"and {found_bureaus} 局"), source=Source(file=file, lines=[line.number, line.number]))]
            return []
    return []
