"""Chiayi layout family: the 滾動修正項目彙總表 (rolling-revision summary) → `document.revisions`.

Columns: 單位 | 關鍵策略目標 | 關鍵績效指標 | 衡量標準 | 年度目標值(修正後) per year | 修正理由 | 頁碼, shattered
like the body tables. The 單位, goal and page cells are merged over several rows, so they are printed once
(a row without its own goal keeps the goal above it; a page reference belongs to the row it follows). The
header is repeated on every page and dropped here.

Between the targets of two rows come: the reason of the first, its page, perhaps a new agency, then the
goal (when a new goal starts), KPI and measure of the second. Reason cells are told from goal/KPI cells by
being wide or worded as a reason; a goal is recognised by matching the agency's goals in the body, which
also finds a KPI row printed without measure or values (its cells merged with the row above).
"""

from __future__ import annotations

import re

from civicplan.importing.document import Line
from civicplan.importing.tables.chiayi_cells import Atom, Piece
from civicplan.importing.tables.chiayi_runs import group
from civicplan.importing.tables.chiayi_table import anomaly_at, table_items, targets_by_year
from civicplan.importing.tables.chiayi_text import YEARS_HEADER, similarity
from civicplan.interchange.model import Anomaly, Revision, Source

_HEADER = re.compile(r"關鍵策略目標\s*關鍵績效指標")
_HEADER_PARTS = re.compile(r"^(?:單|位|單位|年度目標值.*|修正理由\s*頁碼)$")
_REASON_WORDS = re.compile(r"修正|刪除|無需|意見|以符|檢討|疫情|爰|擬申請|增列")
REASON_WIDTH = 26  # a line this wide (13 ideographs) is wider than the goal, KPI and measure columns


def read_appendix(lines: list[Line], agencies: list[str], years: list[int], file: str,
                  body: dict | None = None):
    """→ (revisions, anomalies). `body` maps agency → {"goals": [names], "indicators": [names]}."""
    body = body or {}
    kept: list[Line] = []
    for line in lines[1:]:
        stripped = line.text.strip()
        if not stripped:
            continue
        if YEARS_HEADER.match(stripped):
            years = [int(y) for y in re.findall(r"(\d{2,3})年", stripped)]
        elif not (_HEADER.search(stripped) or _HEADER_PARTS.match(stripped)):
            kept.append(line)
    segments, trailing = _segments(table_items(kept, goals=False, unit_of=_unit_matcher(agencies)))
    anomalies: list[Anomaly] = []
    revisions: list[Revision] = []
    state = {"agency": "", "goal": "", "indicator": ""}
    pre = segments[0][0] if segments else []
    for index, (_, values) in enumerate(segments):
        last_row = index + 1 == len(segments)
        reason, page, rest = _split_tail(trailing if last_row else segments[index + 1][0], values, last_row)
        for unit in (item for item in pre if isinstance(item, Atom) and item.kind == "UNIT"):
            state.update(agency=unit.value, goal="", indicator="")
        names = body.get(state["agency"], {})
        bare, goal, kpi, measure = _row_cells(pre, names)
        for piece in bare:  # a KPI printed without measure or values: its cells are merged with the row above
            revisions.append(Revision(agency=state["agency"], goal=state["goal"], indicator=piece.text(),
                                      source=Source(file=file, lines=[piece.first_line, piece.last_line])))
            anomalies.append(anomaly_at("merged-cells", f"{state['agency']}: revision row 「{piece.text()}」 has no "
                                      "measure, targets or reason of its own (merged with the row above)",
                                      file, piece))
        if goal is not None:
            state["goal"] = goal.text()
        if kpi is not None:
            state["indicator"] = kpi.text()
        elif measure is not None:
            anomalies.append(anomaly_at("merged-cells", f"{state['agency']}: a second 衡量標準 row of 「"
                                      f"{state['indicator']}」 (the KPI cell is merged with the row above)",
                                      file, measure))
        targets, _ = targets_by_year(values, years, state["agency"], file, anomalies)
        cells = [p for p in (goal, kpi, measure) if p is not None and p.parts]
        first = min([p.first_line for p in cells] + [values[0].first_line])
        last = max([values[-1].last_line] + [p.last_line for p in reason] + ([page.last_line] if page else []))
        revisions.append(Revision(
            agency=state["agency"], goal=state["goal"], indicator=state["indicator"],
            standard=measure.text() if measure is not None else "", targets=targets,
            reason=Piece([x for p in reason for x in p.parts]).text() if reason else "",
            page=page.value if page else "", source=Source(file=file, lines=[first, last]),
        ))
        pre = rest
    return revisions, anomalies


def _row_cells(pre: list[object], names: dict):
    """(KPI-only rows, goal, KPI, measure) of one row from the cells before its values."""
    cells = [item for item in pre if isinstance(item, Piece)]
    number = next((i for i, item in enumerate(pre) if isinstance(item, Atom) and item.kind == "NUM"), None)
    if number is not None:
        before = [item for item in pre[:number] if isinstance(item, Piece)]
        after = [item for item in pre[number + 1:] if isinstance(item, Piece)]
        goal = Piece([x for p in before for x in p.parts]) if before else None
        kpi, measure = _pair(after, names)
        return [], goal, kpi, measure
    if not cells:
        return [], None, None, None
    if len(cells) == 1:
        return [], None, None, cells[0]  # a second measure of the KPI above
    best = None
    for start in range(0, len(cells) - 2):
        for end in range(start + 1, min(start + 4, len(cells) - 1)):
            score = _similarity(_joined(cells[start:end]), names.get("goals", []))
            if score >= 0.6 and (best is None or score > best[0]):
                best = (score, start, end)
    if best:
        _, start, end = best
        kpi, measure = _pair(cells[end:], names)
        return cells[:start], _joined(cells[start:end]), kpi, measure
    if len(cells) == 2:
        return [], None, cells[0], cells[1]
    if _similarity(_joined(cells[:-1]), names.get("indicators", [])) >= 0.8:
        return [], None, _joined(cells[:-1]), cells[-1]
    merged, _ = group(cells, 3)
    return [], merged[0], merged[1], merged[2]


def _pair(cells: list[Piece], names: dict):
    """(KPI, measure): where false line breaks left more cells, the KPI is the prefix naming a body KPI."""
    if not cells:
        return None, None
    if len(cells) == 1:
        return None, cells[0]
    if len(cells) > 2:
        scores = [(_similarity(_joined(cells[:k]), names.get("indicators", [])), k) for k in range(1, len(cells))]
        score, k = max(scores)
        if score >= 0.9:
            return _joined(cells[:k]), _joined(cells[k:])
    merged, _ = group(cells, 2)
    return merged[0], merged[1]


def _joined(cells: list[Piece]) -> Piece:
    return Piece([x for p in cells for x in p.parts])


def _similarity(piece: Piece, names: list[str]) -> float:
    text = piece.text()
    return max((similarity(text, name) for name in names), default=0.0)


def _unit_matcher(agencies: list[str]):
    """Partial agency cell → (agency when complete, still possible). Abbreviations such as 智科處 (智慧科技處)
    are the agency's characters in order, same first and last character."""
    def subsequence(short: str, name: str) -> bool:
        it = iter(name)
        return all(ch in it for ch in short)

    def match(partial: str):
        possible = [a for a in agencies if a and a[0] == partial[0] and subsequence(partial, a)]
        complete = [a for a in possible if a[-1] == partial[-1] and len(partial) >= 2]
        exact = [a for a in complete if a == partial]
        return (exact or complete or [None])[0], bool(possible)
    return match


def _segments(items: list[object]):
    """([(items before the values, the values)] for each row with values, items after the last values)."""
    segments, gap, values = [], [], []
    for item in items:
        if isinstance(item, Atom) and item.kind == "V":
            values.append(item)
            continue
        if values:
            segments.append((gap, values))
            gap, values = [], []
        gap.append(item)
    if values:
        segments.append((gap, values))
        gap = []
    return segments, gap


def _split_tail(gap: list[object], values: list[Atom], last_row: bool = False):
    """(reason pieces, page atom, what is left for the next row) of the items after a row's values."""
    reason: list[Piece] = []
    page = None
    if not gap:
        return reason, page, gap
    last_value_line = values[-1].last_line
    units = [i for i, item in enumerate(gap) if isinstance(item, Atom) and item.kind == "UNIT"]
    pages = [i for i, item in enumerate(gap) if isinstance(item, Atom) and item.kind == "PAGE"]
    if last_row:
        cut = len(gap)
    elif units:
        cut = units[0]
    elif pages:
        cut = pages[0] + 1
    else:
        cut = 0
        while cut < len(gap) and isinstance(gap[cut], Piece) and (
                gap[cut].first_line == last_value_line or _reason_like(gap[cut])):
            cut += 1
        cells_left = sum(isinstance(item, Piece) for item in gap[cut:])
        while cut > 0 and cells_left < 1:
            cut -= 1
            cells_left += 1
    for item in gap[:cut]:
        if isinstance(item, Piece):
            reason.append(item)
        elif item.kind == "PAGE":
            page = item
    return reason, page, gap[cut:]


def _reason_like(piece: Piece) -> bool:
    text = piece.text()
    return text.endswith("。") or bool(_REASON_WORDS.search(text)) or max(piece.widths()) >= REASON_WIDTH
