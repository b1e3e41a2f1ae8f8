"""What the public may read, as querysets: published plans and the results of approved reports only.

* Cycles: published or superseded (the anonymous user's `visible_cycles`); anything else is not found.
* Results: measurements of reports whose status is “approved” (複核通過, locked). Values being filled in,
  submitted, returned or under review never leave the building; evidence files never do.
* Target changes: the versions of the KPI's Target records (django-simple-history), each with when, old → new
  and the reason; who changed it is told as the agency (its editors and heads) or 研考, never a person.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from civicplan.agencies.models import Membership
from civicplan.plans.models import AgencyPlan, GoalKind, Indicator, PlanCycle, Target
from civicplan.plans.visibility import visible_cycles
from civicplan.tracking.models import Measurement, ReportStatus

LIGHTS = ("green", "yellow", "red", "white")
LIGHT_ZH = {"green": "綠燈", "yellow": "黃燈", "red": "紅燈", "white": "白燈"}
KIND_ZH = {"medium-term": "中程施政計畫", "annual": "年度施政計畫", "strategy-map": "策略地圖"}
STATUS_ZH = {"published": "已公布", "superseded": "已由新版取代"}
YANKAO = "研考"


def public_cycles() -> QuerySet[PlanCycle]:
    return visible_cycles(AnonymousUser())


def public_cycle_q(via: str) -> Q:
    return Q(**{f"{via}in": public_cycles().values("pk")})


def approved_measurements() -> QuerySet[Measurement]:
    return Measurement.objects.filter(report__status=ReportStatus.APPROVED)


def latest_approved(indicators: QuerySet[Indicator]) -> dict[int, Measurement]:
    """Indicator id → its measurement of the latest period with an approved report (one query)."""
    newest = (approved_measurements().filter(indicator=OuterRef("pk"))
              .order_by("-report__period__year", "-report__period__seq", "-id").values("pk")[:1])
    ids = indicators.order_by().annotate(latest=Subquery(newest)).filter(latest__isnull=False).values("latest")
    return {m.indicator_id: m for m in Measurement.objects.filter(pk__in=ids).select_related("report__period")}


def shown_light(measurement: Measurement | None) -> str:
    return measurement.shown_light if measurement is not None else "white"


@dataclass
class Tally:
    name: str
    key_goals: int = 0
    indicators: int = 0
    lights: Counter | None = None
    link: int | None = None

    def __post_init__(self):
        self.lights = self.lights or Counter()

    @property
    def counts(self) -> list[tuple[str, int]]:
        return [(light, self.lights.get(light, 0)) for light in LIGHTS]

    def share(self, light: str) -> float:
        return round(100 * self.lights.get(light, 0) / self.indicators, 1) if self.indicators else 0


def cycle_tallies(cycle: PlanCycle) -> tuple[list[Tally], list[Tally], Tally]:
    """Per chapter (agency or strategy-map theme) and per lead agency of a strategy map: KPIs and their lights."""
    chapters = list(
        cycle.chapters.select_related("agency", "theme")
        .annotate(key_goals=Count("goals", filter=Q(goals__kind=GoalKind.KEY), distinct=True))
    )
    indicators = Indicator.objects.filter(goal__chapter__cycle=cycle)
    lights = {i: shown_light(m) for i, m in latest_approved(indicators).items()}
    by_chapter = {c.pk: Tally(chapter_name(c), key_goals=c.key_goals, link=c.pk) for c in chapters}
    city = Tally(cycle.city.name)
    for indicator_id, chapter_id in indicators.values_list("pk", "goal__chapter_id"):
        light = lights.get(indicator_id, "white")
        for tally in (by_chapter[chapter_id], city):
            tally.indicators += 1
            tally.lights[light] += 1
    leads: dict[str, Tally] = {}
    if any(c.theme_id for c in chapters):  # a strategy map: also by lead agency (主責局處)
        for indicator_id, agency in indicators.filter(ownerships__role="lead").values_list(
                "pk", "ownerships__agency__name"):
            tally = leads.setdefault(agency, Tally(agency))
            tally.indicators += 1
            tally.lights[lights.get(indicator_id, "white")] += 1
    return [by_chapter[c.pk] for c in chapters], sorted(leads.values(), key=lambda t: t.name), city


def chapter_name(chapter: AgencyPlan) -> str:
    if chapter.agency_id:
        return chapter.agency.name
    return f"{chapter.theme.code} {chapter.theme.name}".strip()


@dataclass
class TargetChange:
    when: datetime
    year: int
    old: str
    new: str
    reason: str
    by: str


def target_changes(indicator: Indicator, city_id: int) -> list[TargetChange]:
    """Every change of the KPI's yearly targets, newest first (two queries)."""
    records = list(Target.history.filter(indicator_id=indicator.pk)
                   .order_by("id", "history_date", "history_id")
                   .only("id", "year", "raw", "history_date", "history_change_reason", "history_user_id",
                         "history_type"))
    users = {r.history_user_id for r in records if r.history_user_id}
    agencies: dict[int, str] = {}
    for user_id, agency in (Membership.objects.filter(user_id__in=users, city_id=city_id, agency__isnull=False)
                            .order_by("agency__order").values_list("user_id", "agency__name")):
        agencies.setdefault(user_id, agency)
    changes = []
    for older, newer in zip(records, records[1:]):
        if older.id != newer.id or newer.history_type != "~" or older.raw == newer.raw:
            continue
        changes.append(TargetChange(
            when=newer.history_date, year=newer.year, old=older.raw, new=newer.raw,
            reason=newer.history_change_reason or "", by=agencies.get(newer.history_user_id, YANKAO),
        ))
    changes.sort(key=lambda c: c.when, reverse=True)
    return changes
