"""The Keelung layout family: 中程施政計畫 books whose tables were converted to TAB-separated lines.

Recognised by the national KPI table header written as one TAB line (`序號⇥關鍵策略目標⇥編號⇥關鍵績效指標⇥
評估體制⇥評估方式⇥衡量標準⇥年度績效目標值⇥⇥⇥`, repeated on every page) and by chapter titles of the form
`<city>(政府)?<agency>中程施政計畫（<start> 至 <end> 年度）`. A book may hold many agency chapters (after a cover
and a table of contents), one chapter of a full book, or one bare chapter.

    detect(source) -> float        how sure this family fits (0..1)
    parse(source)  -> PlanDocument chapters, goals, indicators, targets, sections, anomalies

The tables are rebuilt by keelung_table, the prose by keelung_prose, the cross-checks by keelung_validate;
the repairs and their anomalies are described in /work/shared/docs/seeds-keelung.md §2.3–§2.4.
"""

from __future__ import annotations

import re

from civicplan.importing.document import Line, SourceText
from civicplan.importing.tables.keelung_prose import ChapterProse, read_prose
from civicplan.importing.tables.keelung_table import TableBuilder
from civicplan.importing.tables.keelung_text import clean, comparable
from civicplan.importing.tables.keelung_validate import validate_chapter, validate_document
from civicplan.interchange.model import Anomaly, Chapter, PlanDocument, Section, Source

_PERIOD = r"[（(]\s*(?P<start>\d{2,3})\s*至\s*(?P<end>\d{2,3})\s*年度\s*[）)]"
TITLE = re.compile(r"^\s*(?P<city>\S{2,3}?[市縣])(?:政府)?(?P<agency>\S*?)中程施政計畫\s*" + _PERIOD + r"\s*$")
PERIOD = re.compile(_PERIOD)
TOC = re.compile(r"^(?P<ordinal>[壹貳參肆伍陸柒捌玖拾]+)、\s*(?P<agency>.+?)\s*\.{3,}\s*\tP\.\s*(?P<page>\d+)\s*$")
KPI_HEADER = "序號\t關鍵策略目標\t編號\t關鍵績效指標\t評估體制\t評估方式\t衡量標準\t年度績效目標值"
_SCAN = 400  # lines looked at for the cover and the table of contents


def detect(source: SourceText) -> float:
    headers = titles = tab_rows = eleven = 0
    for line in source.lines:
        text = line.text
        if "\t" not in text:
            if "中程施政計畫" in text and TITLE.match(text):
                titles += 1
            continue
        tab_rows += 1
        if text.count("\t") == 10:
            eleven += 1
        if text.startswith(KPI_HEADER):
            headers += 1
    if not headers:
        return 0.0
    score = 0.6 + (0.2 if titles else 0.0) + 0.2 * (eleven / tab_rows if tab_rows else 0.0)
    return round(min(score, 1.0), 3)


def parse(source: SourceText) -> PlanDocument:
    lines = source.lines
    matches = [(i, m) for i, line in enumerate(lines) if "中程施政計畫" in line.text and (m := TITLE.match(line.text))]
    titles = [(i, m) for i, m in matches if m.group("agency")]
    cover = next((m for i, m in matches if not m.group("agency") and i < _SCAN), None)
    first = cover or (titles[0][1] if titles else None)
    period_match = first or next((m for line in lines[:_SCAN] if (m := PERIOD.search(line.text))), None)
    period = {"start": int(period_match.group("start")), "end": int(period_match.group("end"))} if period_match \
        else {"start": 0, "end": 0}
    years = list(range(period["start"], period["end"] + 1))
    city = first.group("city") if first else ""
    title = clean(first.group(0)) if first else clean(next((ln.text for ln in lines if ln.text.strip()), ""))
    document = PlanDocument(city=city, kind="medium-term", period=period, title=title,
                            source=Source(file=source.name, sha256=source.sha256))
    toc = _table_of_contents(lines[: titles[0][0] if titles else _SCAN])
    for n, (index, match) in enumerate(titles):
        end = titles[n + 1][0] if n + 1 < len(titles) else len(lines)
        chapter_years = list(range(int(match.group("start")), int(match.group("end")) + 1))
        _read_chapter(document, source, lines[index], lines[index + 1: end], match, chapter_years or years, toc)
    if not titles:
        document.anomalies.append(Anomaly(kind="count-mismatch", message="no chapter title "
                                          "(<city>…<agency>中程施政計畫（<start> 至 <end> 年度）) found: nothing read",
                                          source=Source(file=source.name)))
    validate_document(document, source.name, toc, [lines[i] for i, _ in titles])
    return document


def _table_of_contents(lines: list[Line]) -> list[tuple[str, int, Line]]:
    return [(clean(m.group("agency")), int(m.group("page")), line) for line in lines if (m := TOC.match(line.text))]


def _read_chapter(document: PlanDocument, source: SourceText, title: Line, body: list[Line], match,
                  years: list[int], toc) -> None:
    agency = clean(match.group("agency"))
    last = next((line.number for line in reversed(body) if line.text.strip()), title.number)
    page = title.page if title.page is not None else next((p for a, p, _ in toc if a == agency), None)
    prose = read_prose(body)
    builder = TableBuilder(source.name, agency, years)
    for line in body:
        if "\t" in line.text:
            builder.feed(line.number, line.page, line.text)
    goals, anomalies = builder.finish()
    chapter = Chapter(
        agency=agency, mission=prose.mission, vision=prose.vision, priorities=prose.priorities,
        sections=_sections(prose, source.name), goals=goals,
        source=Source(file=source.name, page=page, lines=[title.number, last]),
        listed_goals=[goal.name for goal in prose.key_goals], stated_counts=dict(prose.stated_counts),
    )
    _describe(chapter, prose)
    document.chapters.append(chapter)
    document.anomalies.extend(anomalies)
    document.anomalies.extend(validate_chapter(chapter, prose, builder, source.name, years))


def _sections(prose: ChapterProse, file: str) -> list[Section]:
    return [
        Section(label=block.label, heading=block.heading, text=block.text(),
                source=Source(file=file, page=block.page, lines=[block.line, block.last]))
        for block in prose.blocks if block.l2 and not block.has_table
    ]


def _describe(chapter: Chapter, prose: ChapterProse) -> None:
    """Give each goal the action items its 參、一 / 參、二 entry lists under it (matched by name)."""
    for kind, listed in (("key", prose.key_goals), ("common", prose.common_goals)):
        by_name = {comparable(goal.name): goal for goal in listed}
        for goal in chapter.goals:
            entry = by_name.get(comparable(goal.name)) if goal.kind == kind else None
            if entry is not None:
                goal.description = list(entry.description)
