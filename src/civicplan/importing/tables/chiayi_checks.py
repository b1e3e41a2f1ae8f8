"""Chiayi layout family: cross-checks between the revision appendix and the body (reported, never repaired).

Each appendix row is matched to a body KPI of the same agency by its goal, KPI and measure wording (the
appendix words them slightly differently and uses unified characters where the body has compatibility
ones, so matching is fuzzy on normalised text). Rows whose reason says the item was deleted are not
compared: the body no longer has them. Targets are compared by value, not notation: `4萬5,000人次` equals
`45,000人次(因疫情影響)`, `30` equals `30%`, `--` equals `---`; a dash against a number, or two different
numbers, is a contradiction.
"""

from __future__ import annotations

import re
import unicodedata

from civicplan.importing.tables.chiayi_text import comparable, debris, similarity
from civicplan.interchange.model import Anomaly, PlanDocument, Source

_DELETED = re.compile(r"刪除|取消")
_NUMBER = re.compile(r"(\d+(?:,\d{3})*(?:\.\d+)?)(萬)?(\d+(?:,\d{3})*)?(千)?")
KPI_MATCH = 0.7
GOAL_MATCH = 0.5


def value_key(raw: str) -> str:
    """What a printed target means, without its notation: comparator + number, a dash, or the text."""
    text = unicodedata.normalize("NFKC", raw or "").strip()
    text = re.sub(r"\([^)]*\)", "", text).replace(" ", "")
    if re.fullmatch(r"[-–—]{1,3}", text):
        return "-"
    comparator = text[0] if text[:1] in "≧≦<>≥≤" else ""
    match = _NUMBER.search(text)
    if not match:
        return comparable(text)
    number = float(match.group(1).replace(",", ""))
    if match.group(2):  # 4萬5,000 · 2萬8千 · 150萬
        rest = float((match.group(3) or "0").replace(",", ""))
        number = number * 10000 + rest * (1000 if match.group(4) else 1)
    elif match.group(4):
        number *= 1000
    return f"{comparator.replace('≥', '≧').replace('≤', '≦')}{number:g}"


_ratio = similarity


def check_document(document: PlanDocument) -> list[Anomaly]:
    anomalies: list[Anomaly] = []
    chapters = {c.agency: c for c in document.chapters}
    for revision in document.revisions:
        chapter = chapters.get(revision.agency)
        if chapter is None:
            anomalies.append(Anomaly(kind="appendix-unmatched", message=(
                f"revision row for 「{revision.agency}」, which has no chapter"), source=revision.source))
            continue
        if _DELETED.search(revision.reason) or not revision.targets:
            continue
        best, best_score = None, 0.0
        for goal in chapter.goals:
            goal_score = _ratio(goal.name, revision.goal)
            for indicator in goal.indicators:
                name_score = _ratio(indicator.name, revision.indicator)
                standard_score = _ratio(indicator.standard, revision.standard)
                kpi_score = max(name_score, standard_score)
                if goal_score < GOAL_MATCH and kpi_score < 0.95:
                    continue
                score = 2 * name_score + standard_score + goal_score / 2  # standards like 則數 are shared
                if kpi_score >= KPI_MATCH and score > best_score:
                    best, best_score = (goal, indicator), score
        if best is None:
            anomalies.append(Anomaly(kind="appendix-unmatched", message=(
                f"{revision.agency}: revision row 「{revision.indicator}」/「{revision.standard}」 matches no KPI in "
                "the body"), source=revision.source))
            continue
        goal, indicator = best
        body = {t.year: t.raw for t in indicator.targets}
        differences = [(t.year, body[t.year], t.raw) for t in revision.targets
                       if t.year in body and value_key(body[t.year]) != value_key(t.raw)]
        if differences:
            listed = "; ".join(f"{y}年 body {b} vs appendix {a}" for y, b, a in differences)
            body_lines = indicator.source.lines or []
            anomalies.append(Anomaly(kind="appendix-contradicts-body", message=(
                f"{revision.agency} 「{indicator.name}」 ({indicator.standard}): {listed}; body lines "
                f"{body_lines[0] if body_lines else '?'}–{body_lines[-1] if body_lines else '?'}"),
                source=Source(file=revision.source.file, lines=revision.source.lines)))
    return anomalies


def debris_anomalies(lines, file: str) -> list[Anomaly]:
    """Conversion debris removed from the text (Word EQ circled numbers, their stray `A` markers): reported."""
    out = []
    for line in lines:
        if ("○" in line.text or "A" in line.text) and debris(line.text):
            out.append(Anomaly(kind="conversion-debris", message=(
                f"conversion debris {' '.join(d.strip() for d in debris(line.text))!r} in 「{line.text.strip()}」 was removed from the text"),
                source=Source(file=file, lines=[line.number, line.number])))
    return out


_RATE = re.compile(r"率$")


def swapped_columns(document: PlanDocument, file: str) -> list[Anomaly]:
    """A goal cell worded as an indicator (…涵蓋率) above a KPI cell that is not: the columns look swapped."""
    out = []
    for chapter in document.chapters:
        for goal in chapter.goals:
            first = goal.indicators[0] if goal.indicators else None
            if first and _RATE.search(goal.name) and not _RATE.search(first.name) and not re.match(
                    r"^(提[高升昇]|增加|降低|減少|強化|推動|落實)", goal.name):
                out.append(Anomaly(kind="swapped-columns", message=(
                    f"{chapter.agency} goal {goal.label} 「{goal.name}」 reads like an indicator and its KPI "
                    f"「{first.name}」 like a goal: the goal and KPI columns may be swapped (kept as printed)"),
                    source=Source(file=file, lines=[goal.source.lines[0], first.source.lines[-1]])))
    return out
