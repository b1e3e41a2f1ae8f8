"""Building search entries from the records.

Narratives of demo reports (示範資料, the same placeholder sentence on every row) are not indexed: they would
bury every real hit for 計畫 or 進度.

`reindex_cycle` rebuilds a whole cycle in a handful of queries (used after bulk imports and by
`civicplan reindex`); `reindex_record` rebuilds one record's entries (called from signals on single saves).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from django.db import transaction

from civicplan.plans.models import AgencyPlan, Goal, Indicator, PlanCycle, Section, Theme
from civicplan.search.models import EntryKind, SearchEntry
from civicplan.search.text import fold, token_string
from civicplan.tracking.models import Measurement

NARRATIVE_FIELDS = ("progress_note", "delay_reason", "countermeasure")


def _lines(value) -> str:
    if isinstance(value, list):
        return "\n".join(str(v) for v in value if v)
    return str(value or "")


def _entry(kind: str, object_id: int, field: str, text, *, city_id: int, cycle_id: int, title: str,
           chapter_id: int | None = None, indicator_id: int | None = None, measurement_id: int | None = None,
           source: str = "") -> SearchEntry | None:
    text = _lines(text).strip()
    if not text:
        return None
    folded, tokens = _analyse(text)
    if not folded:
        return None
    return SearchEntry(kind=kind, object_id=object_id, field=field, city_id=city_id, cycle_id=cycle_id,
                       chapter_id=chapter_id, indicator_id=indicator_id, measurement_id=measurement_id,
                       title=title[:300], text=text, folded=folded, tokens=tokens, source=source[:300])


@lru_cache(maxsize=8192)
def _analyse(text: str) -> tuple[str, str]:
    """Folded text and token string (cached: narratives and common indicators repeat across agencies)."""
    folded = fold(text)
    return folded, token_string(folded)


def _source(obj) -> str:
    return obj.source_label if getattr(obj, "source_file", "") else ""


# --- What each record contributes ----------------------------------------------------------------

def chapter_entries(chapter: AgencyPlan, city_id: int) -> Iterable[SearchEntry | None]:
    name = chapter.agency.name if chapter.agency_id else str(chapter.theme)
    common = dict(city_id=city_id, cycle_id=chapter.cycle_id, chapter_id=chapter.pk, title=name,
                  source=_source(chapter))
    yield _entry(EntryKind.CHAPTER, chapter.pk, "name", name, **common)
    yield _entry(EntryKind.CHAPTER, chapter.pk, "mission", chapter.mission, **common)
    yield _entry(EntryKind.CHAPTER, chapter.pk, "vision", chapter.vision, **common)
    yield _entry(EntryKind.CHAPTER, chapter.pk, "priorities", chapter.priorities, **common)


def theme_entries(theme: Theme, city_id: int) -> Iterable[SearchEntry | None]:
    common = dict(city_id=city_id, cycle_id=theme.cycle_id, title=f"{theme.code} {theme.name}")
    yield _entry(EntryKind.THEME, theme.pk, "name", theme.name, **common)
    yield _entry(EntryKind.THEME, theme.pk, "priorities", theme.priorities, **common)


def section_entries(section: Section, city_id: int, cycle_id: int) -> Iterable[SearchEntry | None]:
    common = dict(city_id=city_id, cycle_id=cycle_id, chapter_id=section.chapter_id,
                  title=str(section) or "—", source=_source(section))
    yield _entry(EntryKind.SECTION, section.pk, "heading", section.heading, **common)
    yield _entry(EntryKind.SECTION, section.pk, "text", section.text, **common)


def goal_entries(goal: Goal, city_id: int, cycle_id: int) -> Iterable[SearchEntry | None]:
    common = dict(city_id=city_id, cycle_id=cycle_id, chapter_id=goal.chapter_id, title=goal.name,
                  source=_source(goal))
    yield _entry(EntryKind.GOAL, goal.pk, "name", goal.name, **common)
    yield _entry(EntryKind.GOAL, goal.pk, "description", goal.description, **common)


def indicator_entries(indicator: Indicator, city_id: int, cycle_id: int, chapter_id: int
                      ) -> Iterable[SearchEntry | None]:
    common = dict(city_id=city_id, cycle_id=cycle_id, chapter_id=chapter_id, indicator_id=indicator.pk,
                  title=indicator.name, source=_source(indicator))
    yield _entry(EntryKind.INDICATOR, indicator.pk, "name", indicator.name, **common)
    yield _entry(EntryKind.STANDARD, indicator.pk, "standard", indicator.standard, **common)


def measurement_entries(measurement: Measurement, city_id: int, cycle_id: int, chapter_id: int,
                        indicator_name: str, period_label: str) -> Iterable[SearchEntry | None]:
    common = dict(city_id=city_id, cycle_id=cycle_id, chapter_id=chapter_id,
                  indicator_id=measurement.indicator_id, measurement_id=measurement.pk, title=indicator_name,
                  source=period_label)
    for field in NARRATIVE_FIELDS:
        yield _entry(EntryKind.NARRATIVE, measurement.pk, field, getattr(measurement, field), **common)


def _save(entries: Iterable[SearchEntry | None]) -> int:
    rows = [e for e in entries if e is not None]
    SearchEntry.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


# --- A whole cycle -------------------------------------------------------------------------------

@transaction.atomic
def reindex_cycle(cycle: PlanCycle) -> int:
    """Replace every entry of `cycle`; returns the number of entries written."""
    SearchEntry.objects.filter(cycle_id=cycle.pk).delete()
    city_id = cycle.city_id
    chapters = list(AgencyPlan.objects.filter(cycle=cycle).select_related("agency", "theme"))
    chapter_cycle = {c.pk: cycle.pk for c in chapters}

    def entries():
        for theme in Theme.objects.filter(cycle=cycle):
            yield from theme_entries(theme, city_id)
        for chapter in chapters:
            yield from chapter_entries(chapter, city_id)
        for section in Section.objects.filter(chapter__cycle=cycle):
            yield from section_entries(section, city_id, cycle.pk)
        for goal in Goal.objects.filter(chapter__cycle=cycle):
            yield from goal_entries(goal, city_id, cycle.pk)
        goal_chapter = dict(Goal.objects.filter(chapter__cycle=cycle).values_list("pk", "chapter_id"))
        for indicator in Indicator.objects.filter(goal__chapter__cycle=cycle):
            yield from indicator_entries(indicator, city_id, cycle.pk, goal_chapter[indicator.goal_id])
        indicators = {i["pk"]: i for i in Indicator.objects.filter(goal__chapter__cycle=cycle)
                      .values("pk", "name", "goal__chapter_id")}
        periods: dict[int, str] = {}
        narratives = (Measurement.objects.filter(indicator__goal__chapter__cycle=cycle, report__is_demo=False)
                      .exclude(progress_note="", delay_reason="", countermeasure="")
                      .only("pk", "indicator_id", "report__period", *NARRATIVE_FIELDS)
                      .select_related("report__period"))
        for measurement in narratives.iterator(chunk_size=2000):
            indicator = indicators[measurement.indicator_id]
            period = measurement.report.period
            label = periods.get(period.pk) or periods.setdefault(period.pk, str(period))
            yield from measurement_entries(measurement, city_id, cycle.pk, indicator["goal__chapter_id"],
                                           indicator["name"], label)

    assert all(chapter_cycle.values())
    return _save(entries())


def reindex_all() -> int:
    return sum(reindex_cycle(cycle) for cycle in PlanCycle.objects.all())


# --- One record ----------------------------------------------------------------------------------

KIND_OF = {AgencyPlan: EntryKind.CHAPTER, Theme: EntryKind.THEME, Section: EntryKind.SECTION,
           Goal: EntryKind.GOAL, Measurement: EntryKind.NARRATIVE}


def forget_record(obj) -> None:
    kinds = (EntryKind.INDICATOR, EntryKind.STANDARD) if isinstance(obj, Indicator) else (KIND_OF[type(obj)],)
    SearchEntry.objects.filter(kind__in=kinds, object_id=obj.pk).delete()


def reindex_record(obj) -> None:
    """Rebuild the entries of one saved record (its own fields only)."""
    if isinstance(obj, Measurement):
        if not any(getattr(obj, f) for f in NARRATIVE_FIELDS) or obj.report.is_demo:
            forget_record(obj)
            return
        place = (Indicator.objects.filter(pk=obj.indicator_id)
                 .values("name", "goal__chapter_id", "goal__chapter__cycle_id", "goal__chapter__cycle__city_id")
                 .first())
        period = obj.report.period if obj.report_id else None
        forget_record(obj)
        _save(measurement_entries(obj, place["goal__chapter__cycle__city_id"], place["goal__chapter__cycle_id"],
                                  place["goal__chapter_id"], place["name"], str(period or "")))
        return
    forget_record(obj)
    if isinstance(obj, Theme):
        cycle = PlanCycle.objects.only("city_id").get(pk=obj.cycle_id)
        _save(theme_entries(obj, cycle.city_id))
    elif isinstance(obj, AgencyPlan):
        cycle = PlanCycle.objects.only("city_id").get(pk=obj.cycle_id)
        _save(chapter_entries(obj, cycle.city_id))
    else:
        chapter_id = obj.goal.chapter_id if isinstance(obj, Indicator) else obj.chapter_id
        place = AgencyPlan.objects.filter(pk=chapter_id).values("cycle_id", "cycle__city_id").first()
        if place is None:
            return
        city_id, cycle_id = place["cycle__city_id"], place["cycle_id"]
        if isinstance(obj, Section):
            _save(section_entries(obj, city_id, cycle_id))
        elif isinstance(obj, Goal):
            _save(goal_entries(obj, city_id, cycle_id))
        elif isinstance(obj, Indicator):
            _save(indicator_entries(obj, city_id, cycle_id, chapter_id))
