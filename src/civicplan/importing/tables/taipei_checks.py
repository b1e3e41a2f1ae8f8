"""Cross-checks of a strategy map: codes against their position, duplicates, stated against found counts.

Nothing is repaired: a KPI keeps the parent its position gives it and the code it prints; every disagreement
becomes an Anomaly naming the lines, with the reading a human may want to confirm.
"""

from __future__ import annotations

import re
from collections import defaultdict

from civicplan.importing.tables.taipei_rows import PERSPECTIVE_LETTERS
from civicplan.importing.tables.taipei_text import Preamble
from civicplan.interchange.model import Anomaly, Chapter, Source

_FOLD = str.maketrans({"台": "臺", "佔": "占"})
_SPACES = re.compile(r"\s+")


def _key(name: str) -> str:
    """A KPI name for comparison only: variants folded, spaces dropped (the stored name is untouched)."""
    return _SPACES.sub("", name.translate(_FOLD)).replace("平台", "平臺")


def _where(source: Source, *more: Source) -> Source:
    lines = [n for s in (source, *more) if s.lines for n in s.lines]
    return Source(file=source.file, page=source.page, lines=[min(lines), max(lines)] if lines else None)


def check_codes(chapter: Chapter) -> list[Anomaly]:
    """Objective code = theme letter + perspective letter + n (consecutive); KPI code = objective code + .m"""
    out = []
    theme = chapter.theme.name
    letter = chapter.theme.code
    numbers: dict[str, list[int]] = defaultdict(list)
    for goal in chapter.goals:
        code = goal.code or ""
        expected = letter + PERSPECTIVE_LETTERS.get(goal.perspective or "", "?")
        if code[:2] != expected:
            goal.flags.append("code-mismatch")
            out.append(Anomaly("code-mismatch", f"{theme}: objective {code} (line {goal.source.first_line}) "
                               f"stands under {goal.perspective or 'no perspective'} in theme {letter}; its "
                               f"code should start with {expected}", goal.source))
        elif code[2:].isdigit():
            numbers[code[:2]].append(int(code[2:]))
        if not goal.indicators:
            out.append(Anomaly("empty-goal", f"{theme}: objective {code} has no KPI", goal.source))
        for indicator in goal.indicators:
            out.extend(_check_indicator(theme, letter, code, indicator))
    for prefix, seen in numbers.items():
        if seen != list(range(1, len(seen) + 1)):
            goals = [g for g in chapter.goals if (g.code or "").startswith(prefix)]
            out.append(Anomaly("numbering-gap", f"{theme}: objectives {prefix}* are numbered {seen}",
                               _where(goals[0].source, goals[-1].source)))
    return out


def _check_indicator(theme: str, letter: str, goal_code: str, indicator) -> list[Anomaly]:
    out = []
    code = indicator.code or ""
    by_position = f"{goal_code}.{indicator.seq}"
    if not indicator.owners:
        out.append(Anomaly("missing-owner", f"{theme}: KPI {code} has no owner", indicator.source))
    if code.rsplit(".", 1)[0] != goal_code:
        indicator.flags.append("code-mismatch")
        other = "" if code[:1] == letter else f" (its letter {code[:1]} names another theme)"
        out.append(Anomaly("code-mismatch", f"{theme}: KPI {code} (line {indicator.source.first_line}) "
                           f"stands under objective {goal_code}{other}; by position it would be "
                           f"{by_position}", indicator.source))
    elif code != by_position:
        out.append(Anomaly("numbering-gap", f"{theme}: KPI {code} is KPI no. {indicator.seq} of {goal_code}; "
                           f"{by_position} was expected", indicator.source))
    return out


def check_duplicates(chapters: list[Chapter]) -> list[Anomaly]:
    """The same KPI code twice in the document, or the same KPI name twice in one theme."""
    out = []
    by_code = defaultdict(list)
    for chapter in chapters:
        by_name = defaultdict(list)
        for goal in chapter.goals:
            for indicator in goal.indicators:
                by_code[indicator.code].append((chapter, goal, indicator))
                by_name[_key(indicator.name)].append((goal, indicator))
        for rows in by_name.values():
            if len(rows) > 1:
                listed = "; ".join(f"{i.code} under {g.code} (line {i.source.first_line})" for g, i in rows)
                out.append(Anomaly("duplicate-indicator", f"{chapter.theme.name}: the KPI {rows[0][1].name} "
                                   f"appears {len(rows)} times: {listed}",
                                   _where(*(i.source for _, i in rows))))
    for code, rows in by_code.items():
        if code and len(rows) > 1:
            for _, _, indicator in rows:
                indicator.flags.append("duplicate-code")
            listed = "; ".join(f"{i.name} under {g.code} in {c.theme.code} (line {i.source.first_line})"
                               for c, g, i in rows)
            out.append(Anomaly("duplicate-indicator", f"the KPI code {code} is printed {len(rows)} times for "
                               f"different rows: {listed}", _where(*(i.source for _, _, i in rows))))
    return out


_WORDS = {"goals": "策略目標", "indicators": "關鍵績效指標", "priorities": "施政重點", "table_goals": "策略目標 (表 1)"}


def check_chapter_counts(chapter: Chapter, sentence: Source | None, table: Source | None) -> list[Anomaly]:
    """The "(一)" sentence and 表 1 (stated_counts) against the objectives, KPIs and 施政重點 found."""
    found = {
        "goals": len(chapter.goals),
        "indicators": sum(len(g.indicators) for g in chapter.goals),
        "priorities": len(chapter.theme.priorities),
        "table_goals": len(chapter.goals),
    }
    out = []
    for key, stated in chapter.stated_counts.items():
        if key in found and stated != found[key]:
            where = (table if key == "table_goals" else sentence) or chapter.source
            out.append(Anomaly("count-mismatch", f"{chapter.theme.name}: the text states {stated} "
                               f"{_WORDS[key]}, {found[key]} were found", where))
    return out


def check_totals(chapters: list[Chapter], preamble: Preamble, file: str) -> list[Anomaly]:
    """The preface's totals and 表 1's 合計 against the themes (lettered chapters) and the whole map."""
    themes = [c for c in chapters if c.goals and c.goals[0].kind == "key"]
    bases = {  # (themes only, themes + common chapter)
        "goals": (sum(len(c.goals) for c in themes), sum(len(c.goals) for c in chapters)),
        "indicators": (sum(len(g.indicators) for c in themes for g in c.goals),
                       sum(len(g.indicators) for c in chapters for g in c.goals)),
    }
    out = []
    if preamble.line is not None:
        where = Source(file=file, page=preamble.line.page, lines=[preamble.line.number] * 2)
        stated = {"goals": preamble.goals, "indicators": preamble.indicators}
        matched = {}
        for key, number in stated.items():
            themes_only, everything = bases[key]
            if number in (themes_only, everything):
                matched[key] = "the themes only" if number == themes_only else \
                    "the themes and the common chapter"
            else:
                out.append(Anomaly("count-mismatch", f"the preface states {number} {_WORDS[key]}; found "
                                   f"{themes_only} in the themes and {everything} with the common chapter",
                                   where))
        if len(set(matched.values())) > 1:
            out.append(Anomaly("count-basis", "the preface counts on two bases: " + "; ".join(
                f"{stated[key]} {_WORDS[key]} = {basis}" for key, basis in matched.items()), where))
    if preamble.table_line is not None and preamble.table_total is not None:
        where = Source(file=file, page=preamble.table_line.page, lines=[preamble.table_line.number] * 2)
        total = preamble.table_total
        if total != sum(preamble.table_goals):
            out.append(Anomaly("count-mismatch", f"表 1 合計 {total} is not the sum of its columns "
                               f"({sum(preamble.table_goals)})", where))
        if total not in bases["goals"]:
            out.append(Anomaly("count-mismatch", f"表 1 states {total} 策略目標 in all; found {bases['goals'][0]} "
                               "in the themes", where))
    return out
