"""A plan cycle as an interchange PlanDocument (the way back out: import and export are one format),
and the differences between two documents in words a 研考 administrator can check."""

from __future__ import annotations

from django.db.models import Case, IntegerField, Prefetch, Value, When

from civicplan import interchange
from civicplan.plans.models import AgencyPlan, Goal, Indicator, IndicatorOwner, OwnerRole, PlanCycle

# A placeholder owner the loader kept as a flag (本組成員機關: every member agency of a strategy-map group).
PLACEHOLDER_FLAG = "owner:"


def _source(obj) -> interchange.Source:
    lines = [obj.source_line_start, obj.source_line_end] if obj.source_line_start else None
    return interchange.Source(file=obj.source_file, page=obj.source_page, lines=lines)


def cycle_to_document(cycle: PlanCycle) -> interchange.PlanDocument:
    chapters = (
        cycle.chapters.select_related("agency", "theme")
        .prefetch_related(
            "sections",
            Prefetch("goals", queryset=Goal.objects.order_by("-kind", "order", "id").prefetch_related(
                Prefetch("indicators", queryset=Indicator.objects.prefetch_related(
                    "targets", Prefetch("ownerships", queryset=_owners_in_order())))
            )),
        )
    )
    document = interchange.PlanDocument(city=cycle.city.name, kind=cycle.kind, title=cycle.title,
                                        period={"start": cycle.start_year, "end": cycle.end_year})
    for chapter in chapters:
        document.chapters.append(_chapter(chapter))
    latest = cycle.imports.first()
    if latest is not None:
        document.source = interchange.Source(file=latest.source_file, sha256=latest.sha256 or None)
        restored = interchange.from_dict({"format": interchange.FORMAT, "city": "", "kind": "", "period": {},
                                          "revisions": latest.revisions, "anomalies": latest.anomalies})
        document.revisions, document.anomalies = restored.revisions, restored.anomalies
    return document


def _owners_in_order():
    """Lead first, then co-owners in the order they were given (the book's order when imported) — not by the
    agencies' own order, which depends on what else the database holds: the same plan exports the same way."""
    lead_first = Case(When(role=OwnerRole.LEAD, then=Value(0)), default=Value(1), output_field=IntegerField())
    return IndicatorOwner.objects.select_related("agency").order_by(lead_first, "id")


def _owners(indicator: Indicator) -> list[interchange.Owner]:
    """The owners, and after them the placeholders kept as flags (`owner:本組成員機關`), which load as flags again."""
    owners = [interchange.Owner(agency=o.agency.name, role=o.role) for o in indicator.ownerships.all()]
    has_lead = any(o.role == OwnerRole.LEAD for o in owners)
    for flag in indicator.flags:
        if flag.startswith(PLACEHOLDER_FLAG):
            owners.append(interchange.Owner(agency=flag[len(PLACEHOLDER_FLAG):],
                                            role=(OwnerRole.CO if has_lead else OwnerRole.LEAD).value))
            has_lead = True
    return owners


def _chapter(chapter: AgencyPlan) -> interchange.Chapter:
    theme = None
    if chapter.theme_id:
        theme = interchange.Theme(code=chapter.theme.code, name=chapter.theme.name,
                                  priorities=list(chapter.theme.priorities))
    return interchange.Chapter(
        agency=chapter.agency.name if chapter.agency_id else None, theme=theme, mission=chapter.mission,
        vision=chapter.vision, priorities=list(chapter.priorities), source=_source(chapter),
        sections=[interchange.Section(label=s.label, heading=s.heading, text=s.text, source=_source(s))
                  for s in chapter.sections.all()],
        goals=[_goal(g) for g in chapter.goals.all()],
    )


def _goal(goal: Goal) -> interchange.Goal:
    return interchange.Goal(
        kind=goal.kind, seq=goal.order, name=goal.name, label=goal.label or None, code=goal.code or None,
        perspective=goal.perspective or None, description=list(goal.description), source=_source(goal),
        indicators=[_indicator(i) for i in goal.indicators.all()],
    )


def _indicator(indicator: Indicator) -> interchange.Indicator:
    return interchange.Indicator(
        seq=indicator.order, name=indicator.name, label=indicator.label or None, code=indicator.code or None,
        eval_system=indicator.eval_system or None, eval_method=indicator.eval_method or None,
        standard=indicator.standard, unit=indicator.unit,
        direction=indicator.direction if indicator.direction_confirmed else None,
        weight=float(indicator.weight) if indicator.weight is not None else None,
        owners=_owners(indicator), wccd=indicator.wccd,
        flags=[f for f in indicator.flags if not f.startswith(PLACEHOLDER_FLAG)],
        targets=[interchange.Target(year=t.year, raw=t.raw, note=t.note, cumulative=t.cumulative)
                 for t in indicator.targets.all()],
        source=_source(indicator),
    )


def chapter_key(chapter: interchange.Chapter) -> str:
    return chapter.agency or (f"{chapter.theme.code} {chapter.theme.name}" if chapter.theme else "?")


def diff_documents(old: interchange.PlanDocument, new: interchange.PlanDocument, limit: int = 500) -> list[str]:
    """What changes if `new` replaces `old`: chapters, goals, indicators and targets added, removed or changed.

    Indicators are matched by chapter, goal name and indicator name; wording changes show as removed + added.
    """
    out: list[str] = []
    old_chapters = {chapter_key(c): c for c in old.chapters}
    new_chapters = {chapter_key(c): c for c in new.chapters}
    for key in old_chapters.keys() - new_chapters.keys():
        out.append(f"- {key}")
    for key in new_chapters.keys() - old_chapters.keys():
        out.append(f"+ {key}")
    for key in [k for k in new_chapters if k in old_chapters]:
        a, b = old_chapters[key], new_chapters[key]
        for name in ("mission", "vision"):
            if getattr(a, name) != getattr(b, name):
                out.append(f"~ {key} {name}")
        old_rows = {(g.kind, g.name, i.name): i for g in a.goals for i in g.indicators}
        new_rows = {(g.kind, g.name, i.name): i for g in b.goals for i in g.indicators}
        old_goals = {(g.kind, g.name) for g in a.goals}
        new_goals = {(g.kind, g.name) for g in b.goals}
        out += [f"- {key} › {g[1]}" for g in sorted(old_goals - new_goals)]
        out += [f"+ {key} › {g[1]}" for g in sorted(new_goals - old_goals)]
        out += [f"- {key} › {r[1]} › {r[2]}" for r in old_rows.keys() - new_rows.keys()]
        out += [f"+ {key} › {r[1]} › {r[2]}" for r in new_rows.keys() - old_rows.keys()]
        for row in [r for r in new_rows if r in old_rows]:
            x, y = old_rows[row], new_rows[row]
            for name in ("eval_system", "eval_method", "standard", "weight", "wccd"):
                if (getattr(x, name) or None) != (getattr(y, name) or None):
                    out.append(f"~ {key} › {row[2]} › {name}: {getattr(x, name)!r} → {getattr(y, name)!r}")
            xt = {t.year: t.raw for t in x.targets}
            yt = {t.year: t.raw for t in y.targets}
            for year in sorted(xt.keys() | yt.keys()):
                if xt.get(year) != yt.get(year):
                    out.append(f"~ {key} › {row[2]} › {year}: {xt.get(year, '—')} → {yt.get(year, '—')}")
        if len(out) >= limit:
            break
    return out[:limit]
