"""Roll-ups of the lights (by goal, agency, perspective, theme, city) and the freshness of reporting."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from decimal import Decimal

from civicplan.plans.models import Indicator
from civicplan.tracking.models import Measurement, Period, Report, ReportStatus
from civicplan.tracking.periods import ROC_OFFSET

LIGHTS = ("green", "yellow", "red", "white")


class Tally:
    """Lights counted, and the (weighted) mean achievement rate of the measured ones."""

    def __init__(self, name: str):
        self.name = name
        self.lights = Counter()
        self.weighted = Decimal(0)
        self.weights = Decimal(0)

    def add(self, light: str, rate, weight) -> None:
        self.lights[light] += 1
        if rate is not None:
            w = Decimal(weight) if weight else Decimal(1)
            self.weighted += min(Decimal(rate), Decimal(200)) * w  # one 985% KPI does not hide the rest
            self.weights += w

    @property
    def total(self) -> int:
        return sum(self.lights.values())

    @property
    def rate(self) -> Decimal | None:
        return (self.weighted / self.weights).quantize(Decimal("0.1")) if self.weights else None

    @property
    def counts(self) -> list[tuple[str, int]]:
        return [(light, self.lights.get(light, 0)) for light in LIGHTS]


def latest_measurements(cycle, year: int):
    """For each indicator of the cycle, its measurement of the latest period of `year` that has one."""
    rows = (Measurement.objects.filter(indicator__goal__chapter__cycle=cycle, report__period__year=year)
            .exclude(actual_raw="")
            .select_related("indicator__goal__chapter__agency", "indicator__goal__theme", "report__period",
                            "report")
            .order_by("indicator_id", "-report__period__seq"))
    latest = {}
    for m in rows:
        latest.setdefault(m.indicator_id, m)
    return latest


def overview(cycle, year: int) -> dict:
    latest = latest_measurements(cycle, year)
    groups = {key: defaultdict(lambda k=key: None) for key in ("goal", "agency", "perspective", "theme")}
    tallies: dict[str, dict[str, Tally]] = {key: {} for key in groups}
    city = Tally(cycle.city.name)
    indicators = Indicator.objects.filter(goal__chapter__cycle=cycle).select_related(
        "goal__chapter__agency", "goal__chapter__theme", "goal__theme")
    for indicator in indicators:
        m = latest.get(indicator.pk)
        light = m.shown_light if m else "white"
        rate = m.achievement_rate if m else None
        goal = indicator.goal
        chapter = goal.chapter
        keys = {
            "goal": f"{chapter.agency.name if chapter.agency_id else chapter.theme} › {goal.name}",
            "agency": chapter.agency.name if chapter.agency_id else str(chapter.theme),
            "perspective": goal.perspective or "—",
            "theme": str(goal.theme or chapter.theme) if (goal.theme_id or chapter.theme_id) else "—",
        }
        for key, name in keys.items():
            tallies[key].setdefault(name, Tally(name)).add(light, rate, indicator.weight)
        city.add(light, rate, indicator.weight)
    periods = sorted({m.report.period for m in latest.values()}, key=lambda p: p.seq)
    return {
        "city_tally": city,
        "by": {key: sorted(values.values(), key=lambda t: t.name) for key, values in tallies.items()},
        "as_of": periods[-1] if periods else None,
        "demo": any(m.report.is_demo for m in latest.values()),
    }


def reporting_agencies(city, year: int):
    """Agencies owning KPIs in a medium-term plan of the city that covers `year` (not superseded)."""
    from civicplan.agencies.models import Agency
    from civicplan.plans.models import CycleStatus, PlanCycle, PlanKind

    in_force = (PlanCycle.objects.filter(city=city, kind=PlanKind.MEDIUM_TERM, start_year__lte=year,
                                         end_year__gte=year).exclude(status=CycleStatus.SUPERSEDED))
    return Agency.objects.filter(
        city=city, indicator_ownerships__indicator__goal__chapter__cycle__in=in_force).distinct()


def freshness(city, *, today: date, year: int | None = None) -> dict:
    """Per agency: the share of its KPIs updated by the due date, overdue reports, periods due without any
    report (`missing`), KPIs never updated. Agencies that report that year but never opened a report are listed
    too (they are the most overdue)."""
    due_periods = Period.objects.filter(city=city, due_on__lt=today)
    if year is None:
        year = due_periods.order_by("-year").values_list("year", flat=True).first() or (today.year - ROC_OFFSET)
    periods = list(due_periods.filter(year=year).order_by("seq"))
    reports = (Report.objects.filter(period__in=periods).select_related("agency", "period")
               .prefetch_related("measurements"))
    by_agency = defaultdict(list)
    for report in reports:
        by_agency[report.agency].append(report)
    if periods:
        for agency in reporting_agencies(city, year):
            by_agency.setdefault(agency, [])
    rows = []
    for agency, agency_reports in sorted(by_agency.items(), key=lambda item: (item[0].order, item[0].name)):
        on_time = total = 0
        overdue = []
        updated_ever = set()
        all_indicators = set()
        for report in agency_reports:
            for m in report.measurements.all():
                all_indicators.add(m.indicator_id)
                total += 1
                filled = bool(m.actual_raw or m.progress_note)
                if filled:
                    updated_ever.add(m.indicator_id)
                if filled and report.submitted_at and report.submitted_at.date() <= report.period.due_on:
                    on_time += 1
            if report.status in (ReportStatus.DRAFT, ReportStatus.RETURNED):
                overdue.append(report)
        reported = {r.period_id for r in agency_reports}
        rows.append({
            "agency": agency, "share": round(100 * on_time / total, 1) if total else None,
            "overdue": overdue, "missing": [p for p in periods if p.pk not in reported],
            "never": len(all_indicators - updated_ever), "indicators": len(all_indicators),
        })
    missing = [p for p in periods]  # periods due, for agencies without any report the page lists them too
    return {"year": year, "periods": periods, "rows": rows, "due_periods": missing, "today": today}
