"""Cross-checks of a parsed Keelung chapter and book: report, never repair.

* goal-list-mismatch — the 參、一 (參、二) goal list against the goals of the KPI (common) table;
* count-mismatch — counts the text states (`6 次目標（關鍵策略目標）`, the table of contents) against those found;
* code-mismatch — goal 序號 / indicator 編號 not running 1, 2, 3 … under their parent;
* duplicate-indicator — two indicators of one goal with the same name, or the same 衡量標準 and targets;
* year-columns — a table whose year columns are not the plan period;
* unknown-eval-method / unknown-eval-system — values outside the table's vocabulary.
"""

from __future__ import annotations

from difflib import SequenceMatcher

from civicplan.importing.document import Line
from civicplan.importing.tables.keelung_text import EVAL_METHODS, comparable
from civicplan.interchange.model import Anomaly, Chapter, Goal, PlanDocument, Source

_MIN_STANDARD = 15  # a shorter 衡量標準 (「辦理次數」) is shared by many genuine indicators


def _anomaly(kind: str, message: str, file: str, first: int | None, last: int | None = None) -> Anomaly:
    lines = [first, last or first] if first else None
    return Anomaly(kind=kind, message=message, source=Source(file=file, lines=lines))


def _printed(name: str, perspective: str | None) -> str:
    return f"{name}（{perspective}）" if perspective else name


def _compare_lists(agency: str, what: str, listed, goals: list[Goal], file: str) -> list[Anomaly]:
    out: list[Anomaly] = []
    if not listed and not goals:
        return out
    if not listed:
        first = goals[0].source.first_line
        return [_anomaly("goal-list-mismatch", f"{agency}: no {what} goal list found for the {len(goals)} goals "
                         "of the table", file, first)]
    keys_listed = [(comparable(g.name), g.perspective) for g in listed]
    keys_table = [(comparable(g.name), g.perspective) for g in goals]
    matcher = SequenceMatcher(a=keys_listed, b=keys_table, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            continue
        for i in range(max(a2 - a1, b2 - b1)):
            entry = listed[a1 + i] if a1 + i < a2 else None
            goal = goals[b1 + i] if b1 + i < b2 else None
            if entry and goal:
                message = (f"{agency}: {what} lists 「{_printed(entry.name, entry.perspective)}」 (line {entry.line}) "
                           f"but the table has 「{_printed(goal.name, goal.perspective)}」 "
                           f"(line {goal.source.first_line})")
                out.append(_anomaly("goal-list-mismatch", message, file, entry.line, goal.source.first_line))
            elif entry:
                printed = _printed(entry.name, entry.perspective)
                out.append(_anomaly("goal-list-mismatch", f"{agency}: {what} lists 「{printed}」 (line {entry.line}), "
                                    "which the table does not have", file, entry.line))
            else:
                printed = _printed(goal.name, goal.perspective)
                out.append(_anomaly("goal-list-mismatch", f"{agency}: the table has 「{printed}」 (line "
                                    f"{goal.source.first_line}), which {what} does not list", file,
                                    *goal.source.lines))
    return out


def _numbering(agency: str, goals: list[Goal], file: str) -> list[Anomaly]:
    out = []
    for expected, goal in enumerate(goals, start=1):
        if goal.seq != expected:
            out.append(_anomaly("code-mismatch", f"{agency}: goal 「{goal.name}」 is numbered {goal.seq}, expected "
                                f"{expected}", file, goal.source.first_line))
        for number, indicator in enumerate(goal.indicators, start=1):
            if indicator.seq != number:
                out.append(_anomaly("code-mismatch", f"{agency}: indicator 「{indicator.name}」 of goal {goal.seq} "
                                    f"is numbered {indicator.seq}, expected {number}", file,
                                    *indicator.source.lines))
    return out


def _duplicates(agency: str, goal: Goal, file: str) -> list[Anomaly]:
    out = []
    names: dict[str, object] = {}
    standards: dict[tuple, object] = {}
    for indicator in goal.indicators:
        where = f"{goal.seq}.{indicator.seq}"
        name_key = comparable(indicator.name)
        if name_key in names:
            first = names[name_key]
            out.append(_anomaly("duplicate-indicator", f"{agency}: indicator {where} 「{indicator.name}」 repeats "
                                f"indicator {goal.seq}.{first.seq} (line {first.source.first_line})", file,
                                *indicator.source.lines))
            continue
        names[name_key] = indicator
        standard = comparable(indicator.standard)
        if len(standard) >= _MIN_STANDARD:
            key = (standard, tuple(t.raw for t in indicator.targets))
            if key in standards:
                first = standards[key]
                out.append(_anomaly("duplicate-indicator", f"{agency}: indicator {where} 「{indicator.name}」 has the "
                                    f"same 衡量標準 and targets as {goal.seq}.{first.seq} 「{first.name}」 (line "
                                    f"{first.source.first_line}): a copied row?", file, *indicator.source.lines))
            else:
                standards[key] = indicator
    return out


def _values(agency: str, goal: Goal, file: str) -> list[Anomaly]:
    out = []
    for indicator in goal.indicators:
        if indicator.eval_method not in EVAL_METHODS:
            out.append(_anomaly("unknown-eval-method", f"{agency}: 評估方式 「{indicator.eval_method or ''}」 of "
                                f"「{indicator.name}」 is not one of {'、'.join(EVAL_METHODS)}", file,
                                *indicator.source.lines))
        if not (indicator.eval_system or "").isdigit():
            out.append(_anomaly("unknown-eval-system", f"{agency}: 評估體制 「{indicator.eval_system or ''}」 of "
                                f"「{indicator.name}」 is not a legend code", file, *indicator.source.lines))
    return out


def validate_chapter(chapter: Chapter, prose, builder, file: str, years: list[int]) -> list[Anomaly]:
    agency = chapter.agency or ""
    out: list[Anomaly] = []
    for line, found in builder.header_years:
        if found != years:
            out.append(_anomaly("year-columns", f"{agency}: table years {found} are not the plan period {years}",
                                file, line))
            break
    key = [g for g in chapter.goals if g.kind == "key"]
    common = [g for g in chapter.goals if g.kind == "common"]
    out += _compare_lists(agency, "參、一", prose.key_goals, key, file)
    out += _compare_lists(agency, "參、二", prose.common_goals, common, file)
    out += _numbering(agency, key, file)
    out += _numbering(agency, common, file)
    for goal in chapter.goals:
        out += _duplicates(agency, goal, file)
        out += _values(agency, goal, file)
    found = {"key_goals": len(key), "key_indicators": sum(len(g.indicators) for g in key)}
    for what, stated in chapter.stated_counts.items():
        if what in found and found[what] != stated:
            out.append(_anomaly("count-mismatch", f"{agency}: the text states {stated} {what.replace('_', ' ')}, "
                                f"the table has {found[what]}", file, prose.stated_lines.get(what)))
    if not key:
        out.append(_anomaly("count-mismatch", f"{agency}: no 關鍵績效指標 table found", file,
                            *chapter.source.lines))
    return out


def validate_document(document: PlanDocument, file: str, toc: list[tuple[str, int, Line]],
                      titles: list[Line]) -> None:
    found = [chapter.agency for chapter in document.chapters]
    seen: set[str] = set()
    for chapter in document.chapters:
        if chapter.agency in seen:
            document.anomalies.append(_anomaly("duplicate-chapter", f"{chapter.agency}: a second chapter", file,
                                               *chapter.source.lines))
        seen.add(chapter.agency)
    if not toc:
        return
    listed = [agency for agency, _, _ in toc]
    missing = [agency for agency in listed if agency not in seen]
    extra = [agency for agency in found if agency not in listed]
    if missing:
        document.anomalies.append(_anomaly(
            "count-mismatch", f"the table of contents lists {len(listed)} chapters; the file holds {len(found)} "
            f"(not in the file: {'、'.join(missing)})", file, toc[0][2].number, toc[-1][2].number))
    for agency in extra:
        line = next((t.number for t, c in zip(titles, document.chapters) if c.agency == agency), None)
        document.anomalies.append(_anomaly("count-mismatch", f"{agency}: a chapter the table of contents does not "
                                           "list", file, line))
