"""The dashboard's drill-down: city → agency → goal → KPI, with lights counted at every level (rollups.Tally).

Everything is read in a fixed number of queries (indicators, their latest measurements, the year's targets),
whatever the size of the plan; grouping and sorting happen in Python.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Max

from civicplan.plans.models import Indicator, Target
from civicplan.tracking.models import Measurement, Period
from civicplan.tracking.rollups import Tally

# Laggards first: red, then yellow; a KPI without data (white) after those that were measured.
LIGHT_RANK = {"red": 0, "yellow": 1, "green": 2, "white": 3}
NO_RATE = Decimal("1e9")


@dataclass
class Row:
    """One KPI of the drill-down: the indicator, its year's target and its latest measurement (or None)."""

    indicator: Indicator
    target: Target | None
    measurement: Measurement | None

    @property
    def light(self) -> str:
        return self.measurement.shown_light if self.measurement else "white"

    @property
    def rate(self) -> Decimal | None:
        return self.measurement.achievement_rate if self.measurement else None

    @property
    def chapter(self):
        return self.indicator.goal.chapter


@dataclass
class Group:
    """A group of KPIs (an agency, a goal, a perspective, a theme) with its tally and the filter that lists them."""

    key: str
    name: str
    params: dict
    tally: Tally
    rows: list = field(default_factory=list)
    obj: object = None

    def add(self, row: Row) -> None:
        self.rows.append(row)
        self.tally.add(row.light, row.rate, row.indicator.weight)


def laggards_first(rows: list[Row]) -> list[Row]:
    """Red, then yellow (each lowest rate first), then green (lowest first), then those without data."""
    return sorted(rows, key=lambda r: (LIGHT_RANK.get(r.light, 3), r.rate if r.rate is not None else NO_RATE,
                                       r.chapter.order, r.indicator.goal.order, r.indicator.order, r.indicator.pk))


def groups_laggards_first(groups) -> list[Group]:
    """Most red KPIs first, then most yellow, then the lowest mean achievement."""
    return sorted(groups, key=lambda g: (-g.tally.lights["red"], -g.tally.lights["yellow"],
                                         g.tally.rate if g.tally.rate is not None else NO_RATE, g.name))


def years_with_data(cycle) -> int | None:
    """The latest year of the cycle with any measurement (the dashboard's default year)."""
    return (Measurement.objects.filter(indicator__goal__chapter__cycle=cycle,
                                       report__period__year__in=cycle.years)
            .aggregate(latest=Max("report__period__year"))["latest"])


def periods_of(cycle, year: int) -> list[Period]:
    return list(Period.objects.filter(city=cycle.city, year=year, frequency=cycle.city.reporting_frequency)
                .order_by("seq"))


def rows_for(cycle, year: int, period: Period | None = None) -> list[Row]:
    """Every KPI of the cycle with its target for `year` and its latest measurement of that year
    (as of `period`, when given). Three queries."""
    indicators = list(Indicator.objects.filter(goal__chapter__cycle=cycle).select_related(
        "goal__chapter__agency", "goal__chapter__theme", "goal__theme").order_by(
        "goal__chapter__order", "goal__chapter_id", "-goal__kind", "goal__order", "order", "id"))
    targets = {t.indicator_id: t for t in Target.objects.filter(indicator__goal__chapter__cycle=cycle, year=year)}
    # A row opened but not filled in yet says nothing: the latest light is that of the latest value entered.
    measurements = Measurement.objects.filter(indicator__goal__chapter__cycle=cycle,
                                              report__period__year=year).exclude(actual_raw="")
    if period is not None:
        measurements = measurements.filter(report__period__seq__lte=period.seq,
                                           report__period__frequency=period.frequency)
    latest = {}
    for m in measurements.select_related("report__period").order_by("indicator_id", "-report__period__seq", "-id"):
        latest.setdefault(m.indicator_id, m)
    return [Row(i, targets.get(i.pk), latest.get(i.pk)) for i in indicators]


def _agency_key(row: Row) -> tuple[str, str, dict, object]:
    chapter = row.chapter
    if chapter.agency_id:
        return f"a{chapter.agency_id}", chapter.agency.name, {"agency": chapter.agency_id}, chapter.agency
    return f"t{chapter.theme_id}", str(chapter.theme), {"theme": chapter.theme_id}, chapter.theme


def _theme(row: Row):
    goal = row.indicator.goal
    return goal.theme if goal.theme_id else row.chapter.theme


def group_by(rows: list[Row], how: str) -> list[Group]:
    """Group rows by "agency", "goal", "perspective" or "theme", laggards first."""
    groups: dict[str, Group] = {}
    for row in rows:
        if how == "agency":
            key, name, params, obj = _agency_key(row)
        elif how == "goal":
            goal = row.indicator.goal
            key, name, params, obj = f"g{goal.pk}", goal.name, {"goal": goal.pk}, goal
        elif how == "perspective":
            p = row.indicator.goal.perspective
            key, name, params, obj = f"p{p}", p or "—", {"perspective": p or "-"}, None
        else:
            theme = _theme(row)
            if theme is None:
                continue
            key, name, params, obj = f"t{theme.pk}", str(theme), {"theme": theme.pk}, theme
        group = groups.get(key)
        if group is None:
            group = groups[key] = Group(key, name, params, Tally(name), obj=obj)
        group.add(row)
    return groups_laggards_first(groups.values())


def select(rows: list[Row], *, agency=None, goal=None, perspective=None, theme=None, light=None) -> list[Row]:
    """The rows a figure was computed from (ids as given in the page's GET parameters)."""
    chosen = rows
    if agency is not None:
        chosen = [r for r in chosen if r.chapter.agency_id == agency]
    if goal is not None:
        chosen = [r for r in chosen if r.indicator.goal_id == goal]
    if perspective is not None:
        chosen = [r for r in chosen if (r.indicator.goal.perspective or "-") == perspective]
    if theme is not None:
        chosen = [r for r in chosen if getattr(_theme(r), "pk", None) == theme]
    if light is not None:
        chosen = [r for r in chosen if r.light == light]
    return chosen


def tally(rows: list[Row], name: str) -> Tally:
    total = Tally(name)
    for row in rows:
        total.add(row.light, row.rate, row.indicator.weight)
    return total
