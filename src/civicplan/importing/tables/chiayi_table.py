"""Chiayi layout family: one agency's KPI table (關鍵策略目標 / 關鍵績效指標 / 衡量標準 / 年度目標值) → goals.

The table has no 評估體制, 評估方式 or weight columns. A goal starts at its numeral (一…七); its KPIs are
numbered 1/2 when a goal has two (not always printed). Row by row the cells arrive as: goal text, KPI
number, KPI text, measure text, one value per year. What the rows need:

* row 1 of a goal: goal text (up to the KPI number, or the first of three cells), KPI, measure;
* later rows: text before the KPI number continues the goal (a merged goal cell split by a page break);
  after it come KPI and measure; a row with a single text cell and no number is a second measure of the
  previous KPI (one KPI printed with two 衡量標準 rows) and becomes a second indicator of the same name,
  flagged `second-measure`, so that each measure keeps its own yearly targets.
"""

from __future__ import annotations

from civicplan.importing.document import Line
from civicplan.importing.tables.chiayi_cells import Atom, Atomiser, Piece, by_line
from civicplan.importing.tables.chiayi_runs import (
    accept_runs, as_piece, find_text_targets, group, merge_composites, pieces,
)
from civicplan.importing.tables.chiayi_text import clean_raw, is_furniture
from civicplan.interchange.model import Anomaly, Goal, Indicator, Source, Target

MERGE_COST_WARNING = 12  # display columns of slack above a merged line break worth a second look


def table_items(lines: list[Line], goals: bool = True, unit_of=None) -> list[object]:
    """Lines of a shattered table → cells (Piece) and structural atoms, with target values recognised."""
    atomiser = Atomiser(goals=goals, unit_of=unit_of)
    for line in lines:
        stripped = line.text.strip()
        if stripped and not is_furniture(stripped, appendix=unit_of is not None):
            atomiser.feed(line.number, line.text)
    atoms = atomiser.atoms
    merge_composites(atoms)
    accept_runs(atoms)
    return find_text_targets(pieces(atoms))


def read_kpi_table(lines: list[Line], years: list[int], file: str, agency: str):
    """→ (goals, anomalies) for one chapter's KPI table."""
    items = table_items(lines)
    anomalies: list[Anomaly] = []
    blocks: list[list[object]] = []
    for item in items:
        if isinstance(item, Atom) and item.kind == "GOAL":
            blocks.append([item])
        elif blocks:
            blocks[-1].append(item)
        else:
            anomalies.append(anomaly_at("shifted-row", f"{agency}: text before the first goal numeral is ignored",
                                      file, item))
    goals = [_goal(block, seq, years, file, agency, anomalies) for seq, block in enumerate(blocks, start=1)]
    return goals, anomalies


def _rows(block: list[object]):
    """Split a goal block into rows: (items before the values, the values)."""
    rows, pre, values = [], [], []
    for item in block[1:]:
        if isinstance(item, Atom) and item.kind == "V":
            values.append(item)
            continue
        if values:
            rows.append((pre, values))
            pre, values = [], []
        pre.append(item)
    if values:
        rows.append((pre, values))
        pre = []
    return rows, pre


def _split_at_number(pre: list[object], expected: int):
    """(cells before the KPI number, the number atom or None, cells after); other numbers become text."""
    before: list[Piece] = []
    after: list[Piece] = []
    number = None
    pending: Piece | None = None
    for item in pre:
        if isinstance(item, Atom) and item.kind == "NUM" and number is None and item.value == expected:
            if pending is not None:
                before.append(pending)
                pending = None
            number = item
            continue
        target = after if number is not None else before
        if isinstance(item, Atom):  # an unexpected number is text: `1 個工作天完成`
            if pending is not None:
                target.append(pending)
            pending = as_piece(item)
            continue
        piece = Piece(list(item.parts))
        if pending is not None:
            if pending.last_line == piece.first_line:
                piece.parts[:0] = pending.parts
            else:
                target.append(pending)
            pending = None
        target.append(piece)
    if pending is not None:
        (after if number is not None else before).append(pending)
    return before, number, after


def _goal(block, seq, years, file, agency, anomalies) -> Goal:
    numeral = block[0]
    rows, trailing = _rows(block)
    goal_cells: list[Piece] = []
    indicators: list[Indicator] = []
    kpis = 0
    for r, (pre, values) in enumerate(rows):
        before, number, after = _split_at_number(pre, kpis + 1)
        flags: list[str] = []
        if r == 0 and number is None:
            cells, cost = group(before, 3)
            if len(cells) < 3:
                anomalies.append(anomaly_at("lost-cell", f"{agency} goal {numeral.value}: expected goal, KPI and "
                                          f"measure cells, found {len(cells)}", file, *cells, *values))
                cells = [Piece([])] * (3 - len(cells)) + cells
            goal_cells.append(cells[0])
            kpi, measure = cells[1], cells[2]
        elif number is None and r > 0 and len(before) == 1 and indicators:
            kpi, measure, cost = None, before[0], 0
            flags.append("second-measure")
        else:
            if number is not None:
                goal_cells.extend(before)
                if r == 0 and not before:
                    anomalies.append(anomaly_at("lost-cell", f"{agency} goal {numeral.value}: no goal text before "
                                              "the KPI number", file, numeral))
            cells, cost = group(after if number is not None else before, 2)
            if len(cells) < 2:
                anomalies.append(anomaly_at("lost-cell", f"{agency} goal {numeral.value}: expected KPI and measure "
                                          f"cells, found {len(cells)}", file, *cells, *values))
                cells = [Piece([])] * (2 - len(cells)) + cells
            kpi, measure = cells
        if cost:
            flags.append("merged-cells")
            if cost >= MERGE_COST_WARNING:
                anomalies.append(anomaly_at("shifted-row", f"{agency} goal {numeral.value}: cells joined across a "
                                          "line break that looked like a cell end; check the split", file,
                                          kpi or measure, measure))
        if kpi is not None:
            kpis += 1
        name = kpi.text() if kpi is not None else indicators[-1].name
        label = str(number.value) if number is not None else None
        first = number or (kpi if kpi is not None and kpi.parts else measure)
        targets, target_flags = targets_by_year(values, years, agency, file, anomalies)
        indicators.append(Indicator(
            seq=len(indicators) + 1, name=name, label=label, standard=measure.text(), targets=targets,
            source=Source(file=file, lines=[first.parts[0][0], values[-1].last_line]),
            flags=flags + target_flags,
        ))
    if trailing and any(isinstance(t, Piece) for t in trailing):
        anomalies.append(anomaly_at("shifted-row", f"{agency} goal {numeral.value}: text after the last row's "
                                  "targets was not placed", file, *trailing))
    if not rows:
        anomalies.append(anomaly_at("lost-cell", f"{agency} goal {numeral.value}: no KPI row found", file, numeral))
    goal_parts = [p for cell in goal_cells for p in cell.parts]
    name_piece = Piece(goal_parts)
    last = max([numeral.last_line] + [n for n, _ in goal_parts])
    goal = Goal(kind="key", seq=seq, name=name_piece.text(), label=numeral.value, indicators=indicators,
                source=Source(file=file, lines=[numeral.first_line, last]))
    if len(goal_cells) > 1 and any(c.first_line > indicators[0].source.lines[0] for c in goal_cells if c.parts):
        goal.flags.append("continued")  # the goal cell resumes after a KPI row (page break)
    return goal


def targets_by_year(values: list[Atom], years: list[int], agency, file, anomalies):
    raws = [clean_raw(by_line(v.parts)) for v in values]
    flags: list[str] = []
    if len(raws) > len(years):
        anomalies.append(anomaly_at("shifted-row", f"{agency}: {len(raws)} target values for {len(years)} years; "
                                  "the first ones were dropped", file, *values))
        raws, values = raws[-len(years):], values[-len(years):]
    if len(raws) < len(years):
        missing = years[:len(years) - len(raws)]
        flags.append("blank-targets")
        anomalies.append(anomaly_at("blank-cells", f"{agency}: no target printed for "
                                  f"{', '.join(f'{y}年' for y in missing)} (empty cells)", file, *values))
    years = years[len(years) - len(raws):]
    return [Target(year=y, raw=raw, cumulative="累積" in raw) for y, raw in zip(years, raws)], flags


def anomaly_at(kind: str, message: str, file: str, *things) -> Anomaly:
    numbers = [n for thing in things if thing is not None for n, _ in getattr(thing, "parts", [])]
    lines = [min(numbers), max(numbers)] if numbers else None
    return Anomaly(kind=kind, message=message, source=Source(file=file, lines=lines))
