"""A chapter's KPI table as the plan book prints it, for the staff pages and the public portal alike."""

from __future__ import annotations

from django.db.models import Prefetch

from civicplan.plans.models import GoalKind, Indicator


def chapter_table(chapter, latest: dict) -> dict:
    """Goals (key, then common), each with its indicators, their targets by year of the cycle and the measurement
    `latest` gives for each indicator id (the staff pages: the latest value entered; the portal: approved only)."""
    goals = chapter.goals.prefetch_related(
        Prefetch("indicators", queryset=Indicator.objects.prefetch_related("targets", "ownerships__agency")))
    years = chapter.cycle.years
    sections = {GoalKind.KEY: [], GoalKind.COMMON: []}
    for goal in goals:
        rows = []
        for indicator in goal.indicators.all():
            by_year = {t.year: t for t in indicator.targets.all()}
            rows.append({"indicator": indicator, "targets": [(y, by_year.get(y)) for y in years],
                         "measurement": latest.get(indicator.pk)})
        sections[goal.kind].append({"goal": goal, "indicators": rows, "rowspan": max(1, len(rows))})
    return sections
