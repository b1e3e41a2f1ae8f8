"""Layout family "strategy map" (Taipei's 施政綱要 built on its 策略地圖).

A preface with the map's totals and 表 1 (objectives per theme), then one chapter per theme:
  `## 一、營造永續環境 (A)`   (any heading level; a Chinese ordinal, the theme name, the letter)
  "(一)本項策略主題共 15 項策略目標、33 項關鍵績效指標以及 14 項施政重點…"  (a paragraph)
  the KPI table (taipei_rows), grouped by perspective rows
  `## (二)營造永續環境之施政重點` and its numbered items (the bullet optional)
and a chapter without ordinal or letter whose heading is followed by a KPI table (`## \\* 共通性參考指標`): its
letter is the one its codes use, and its objectives are the map's common ones (Goal.kind "common").

Each theme becomes a Chapter with `agency=None` and a Theme (code, name, 施政重點); objectives become Goals
(code, perspective), KPIs Indicators (code, owners lead/co, the WCCD flag). Stated counts are kept in
`chapter.stated_counts` and checked (taipei_checks); nothing is repaired.
"""

from __future__ import annotations

import re
from collections import Counter

from civicplan.importing.document import Line, SourceText
from civicplan.importing.normalise import normalise, strip_markup
from civicplan.importing.tables.taipei_checks import (
    check_chapter_counts,
    check_codes,
    check_duplicates,
    check_totals,
)
from civicplan.importing.tables.taipei_rows import (
    KPI_CODE,
    PERSPECTIVE_ROW,
    TableReader,
    is_table_header,
)
from civicplan.importing.tables.taipei_text import (
    Preamble,
    find_city,
    find_period,
    read_preamble,
    read_priorities,
    stated_counts,
)
from civicplan.interchange.model import Anomaly, Chapter, PlanDocument, Source, Theme

KIND = "strategy-map"
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*(.*?)\s*$")
_THEME = re.compile(r"^([一二三四五六七八九十]+)\s*[、.．]\s*(.+?)\s*[(（]\s*([A-Z])\s*[)）]$")
_PRIORITIES = re.compile(r"^(?:[(（][一二三四五六七八九十]+[)）])?\s*(.*?)之?施政重點$")
_ESCAPE = re.compile(r"\\([*_#\\])")


def _heading_text(text: str) -> str:
    return normalise(_ESCAPE.sub(r"\1", strip_markup(text))).strip(" *")


def _has_table(lines: list[Line]) -> bool:
    return any("\t" in line.text and is_table_header(line.text.split("\t")) for line in lines)


def detect(source: SourceText) -> float:
    """How sure the text is a strategy map: its KPI table header, code-labelled rows, perspective rows."""
    headers = code_rows = perspective_rows = 0
    for line in source.lines:
        if "\t" not in line.text:
            continue
        cells = line.text.split("\t")
        if is_table_header(cells):
            headers += 1
        elif len(cells) >= 2 and (KPI_CODE.match(cells[1].strip()) or KPI_CODE.match(cells[0].strip())):
            code_rows += 1
        elif not "".join(cells[1:]).strip() and PERSPECTIVE_ROW.match(normalise(cells[0])):
            perspective_rows += 1
    score = 0.4 * (headers > 0) + 0.4 * min(code_rows / 20, 1.0) + 0.2 * min(perspective_rows / 4, 1.0)
    return round(score, 3)


class _Chapter:
    """A chapter being read: its heading, the lines of its table part and of its 施政重點 part."""

    def __init__(self, heading: Line, letter: str, name: str, kind: str):
        self.heading, self.letter, self.name, self.kind = heading, letter, name, kind
        self.body: list[Line] = []
        self.priorities: list[Line] = []
        self.priorities_heading: Line | None = None
        self.priorities_name = ""


def _segment(lines: list[Line], anomalies: list[Anomaly], file: str) -> tuple[list[Line], list[_Chapter]]:
    """(preamble lines, chapters). A region runs from a heading to the next heading."""
    starts = [i for i, line in enumerate(lines) if _HEADING.match(line.text)]
    preamble = lines[: starts[0]] if starts else list(lines)
    chapters: list[_Chapter] = []
    for k, start in enumerate(starts):
        heading = lines[start]
        region = lines[start + 1: starts[k + 1] if k + 1 < len(starts) else len(lines)]
        text = _heading_text(_HEADING.match(heading.text)[1])
        theme = _THEME.match(text)
        priorities = _PRIORITIES.match(text)
        if theme:
            chapters.append(_Chapter(heading, theme[3], theme[2], "key"))
            chapters[-1].body = region
        elif priorities and chapters:
            chapters[-1].priorities_heading, chapters[-1].priorities_name = heading, priorities[1]
            chapters[-1].priorities = region
        elif _has_table(region):
            chapters.append(_Chapter(heading, "", text, "common"))
            chapters[-1].body = region
        elif not chapters:
            preamble.extend([heading, *region])
        elif any(line.text.strip() for line in region):
            last = [line for line in region if line.text.strip()][-1]
            where = Source(file=file, page=heading.page, lines=[heading.number, last.number])
            anomalies.append(Anomaly("unread-text", f"the section {text!r} is not part of the map; not read",
                                     where))
    return preamble, chapters


def _read_chapter(part: _Chapter, file: str, anomalies: list[Anomaly]) -> tuple[Chapter, Source | None]:
    """The chapter, and the line of its "(一)" count sentence."""
    header = next((i for i, line in enumerate(part.body) if "\t" in line.text
                   and is_table_header(line.text.split("\t"))), len(part.body))
    counts, count_line = stated_counts(part.body[:header])
    reader = TableReader(file, part.name, part.kind)
    for line in part.body[header + 1:]:
        if "\t" in line.text and is_table_header(line.text.split("\t")):
            continue  # the header repeated on a new page
        reader.row(line)
    goals = reader.finish()
    anomalies.extend(reader.anomalies)
    letter = part.letter or (Counter((g.code or "?")[0] for g in goals).most_common(1) or [("", 0)])[0][0]
    priorities: list[str] = []
    if part.priorities_heading is not None:
        priorities, found = read_priorities(part.priorities, file, part.name)
        anomalies.extend(found)
        if part.priorities_name and part.priorities_name != part.name:
            anomalies.append(Anomaly("heading-mismatch", f"the 施政重點 heading names {part.priorities_name!r} "
                                     f"under the theme {part.name!r}", Source(
                                         file=file, page=part.priorities_heading.page,
                                         lines=[part.priorities_heading.number] * 2)))
    used = [line for line in (*part.body, *part.priorities) if line.text.strip()]
    last = used[-1].number if used else part.heading.number
    chapter = Chapter(agency=None, theme=Theme(code=letter, name=part.name, priorities=priorities),
                      goals=goals, stated_counts=counts,
                      source=Source(file=file, page=part.heading.page, lines=[part.heading.number, last]))
    where = Source(file=file, page=count_line.page, lines=[count_line.number] * 2) if count_line else None
    anomalies.extend(check_codes(chapter))
    return chapter, where


def _table_counts(chapters: list[Chapter], preamble: Preamble, file: str) -> list[Anomaly]:
    """Put 表 1's objective count of each theme (columns by position) into the theme's stated_counts."""
    if preamble.table_line is None:
        return []
    where = Source(file=file, page=preamble.table_line.page, lines=[preamble.table_line.number] * 2)
    themes = [c for c in chapters if c.goals and c.goals[0].kind == "key"]
    out = []
    if len(themes) != len(preamble.table_goals):
        out.append(Anomaly("table-mismatch", f"表 1 has {len(preamble.table_goals)} theme columns; the text "
                           f"has {len(themes)} themes", where))
    for chapter, short, count in zip(themes, preamble.table_names, preamble.table_goals, strict=False):
        chapter.stated_counts["table_goals"] = count
        if short not in chapter.theme.name:
            out.append(Anomaly("table-mismatch", f"表 1 column {short!r} stands where the theme "
                               f"{chapter.theme.name!r} ({chapter.theme.code}) is expected", where))
    return out


def parse(source: SourceText) -> PlanDocument:
    anomalies: list[Anomaly] = []
    preamble_lines, parts = _segment(source.lines, anomalies, source.name)
    read = [_read_chapter(part, source.name, anomalies) for part in parts]
    chapters = [chapter for chapter, _ in read]
    preamble = read_preamble(preamble_lines)
    anomalies.extend(_table_counts(chapters, preamble, source.name))
    table = preamble.table_line and Source(file=source.name, page=preamble.table_line.page,
                                           lines=[preamble.table_line.number] * 2)
    for chapter, sentence in read:
        anomalies.extend(check_chapter_counts(chapter, sentence, table))
    anomalies.extend(check_duplicates(chapters))
    anomalies.extend(check_totals(chapters, preamble, source.name))
    period = find_period(preamble_lines) or find_period(source.lines)
    if not period:
        anomalies.append(Anomaly("missing-period", "no plan year found in the text",
                                 Source(file=source.name)))
    return PlanDocument(
        city=find_city(source.lines), kind=KIND, period=period,
        source=Source(file=source.name, sha256=source.sha256), chapters=chapters, anomalies=anomalies,
    )
