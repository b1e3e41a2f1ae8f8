"""Cross-checks on a parsed PlanDocument: report, never repair. Each anomaly names its lines.

The family parsers report what only they can see (shifted cells, the 參、一 goal list, stated counts, codes);
this module adds the checks that hold for every layout, without repeating a kind a parser already reported
for the same place.
"""

from __future__ import annotations

from collections import Counter

from civicplan.interchange import Anomaly, PlanDocument, Source


def _lines(source: Source) -> str:
    if source.lines:
        first, last = source.lines
        return f"L{first}" + (f"–{last}" if last and last != first else "")
    return ""


def _add(document: PlanDocument, kind: str, message: str, source: Source) -> None:
    key = (kind, tuple(source.lines or ()))
    if any((a.kind, tuple(a.source.lines or ())) == key for a in document.anomalies):
        return
    document.anomalies.append(Anomaly(kind=kind, message=message, source=source))


def validate(document: PlanDocument) -> PlanDocument:
    years = set(range(document.period.get("start") or 0, (document.period.get("end") or -1) + 1))
    reported_kinds = Counter(a.kind for a in document.anomalies)
    for chapter in document.chapters:
        name = chapter.agency or (f"{chapter.theme.code} {chapter.theme.name}" if chapter.theme else "?")
        key_goals = [g for g in chapter.goals if g.kind == "key"]
        # The chapter's own goal list (參、一) against the goals of its KPI table.
        if chapter.listed_goals and not reported_kinds["goal-list-mismatch"]:
            table = [g.name for g in key_goals]
            missing = [g for g in chapter.listed_goals if g not in table]
            extra = [g for g in table if g not in chapter.listed_goals]
            if missing or extra:
                _add(document, "goal-list-mismatch",
                     f"{name}: goal list and KPI table differ (only in the list: {missing}; only in the table: {extra})",
                     chapter.source)
        # Counts the text states against counts found.
        if chapter.stated_counts and not reported_kinds["count-mismatch"]:
            found = {"goals": len(key_goals), "indicators": sum(len(g.indicators) for g in key_goals)}
            for what, stated in chapter.stated_counts.items():
                if what in found and found[what] != stated:
                    _add(document, "count-mismatch", f"{name}: the text states {stated} {what}, found {found[what]}",
                         chapter.source)
        seen: dict[tuple, Source] = {}
        for goal in chapter.goals:
            if not goal.indicators:
                _add(document, "goal-without-indicators", f"{name}: goal “{goal.name}” has no indicator", goal.source)
            for indicator in goal.indicators:
                if not indicator.name.strip():
                    _add(document, "empty-name", f"{name}: an indicator without a name {_lines(indicator.source)}",
                         indicator.source)
                identity = (goal.kind, indicator.name, indicator.standard)
                if identity in seen and indicator.name:
                    _add(document, "duplicate-indicator",
                         f"{name}: “{indicator.name}” appears twice ({_lines(seen[identity])} and "
                         f"{_lines(indicator.source)})", indicator.source)
                seen.setdefault(identity, indicator.source)
                if goal.code and indicator.code and not indicator.code.startswith(goal.code) \
                        and not reported_kinds["code-mismatch"]:
                    _add(document, "code-mismatch",
                         f"{name}: KPI {indicator.code} does not belong to objective {goal.code}", indicator.source)
                target_years = [t.year for t in indicator.targets]
                outside = sorted(set(target_years) - years) if years else []
                if outside:
                    _add(document, "target-outside-period",
                         f"{name}: “{indicator.name}” has targets for {outside}, outside the plan period",
                         indicator.source)
    return document
