"""What the staff page and the portal need around `query.search`: reading the request, where each hit links."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from civicplan.search.models import EntryKind, SearchEntry
from civicplan.search.query import Results, search

PER_PAGE = 30


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@dataclass
class Request:
    q: str
    kind: str | None
    city: int | None
    cycle: int | None
    page: int


def read(get) -> Request:
    kind = get.get("kind") or None
    return Request(q=(get.get("q") or "").strip()[:200], kind=kind if kind in EntryKind.values else None,
                   city=_int(get.get("city")), cycle=_int(get.get("cycle")), page=_int(get.get("page")) or 1)


def run(asked: Request, *, user=None, public: bool = False) -> Results:
    return search(asked.q, user=user, public=public, city_id=asked.city, cycle_id=asked.cycle, kind=asked.kind,
                  page=asked.page, per_page=PER_PAGE)


def hit_url(entry: SearchEntry, *, public: bool) -> str:
    if entry.kind in (EntryKind.INDICATOR, EntryKind.STANDARD, EntryKind.NARRATIVE):
        url = reverse("portal:indicator" if public else "kpi", args=[entry.indicator_id])
        return url + (f"#m-{entry.measurement_id}" if entry.measurement_id else "")
    if entry.chapter_id:
        url = reverse("portal:chapter" if public else "chapter", args=[entry.chapter_id])
        if entry.kind == EntryKind.SECTION:  # ?section= opens the folded section on arrival
            return f"{url}?section={entry.object_id}#section-{entry.object_id}"
        return url + (f"#goal-{entry.object_id}" if entry.kind == EntryKind.GOAL else "")
    return reverse("portal:cycle" if public else "cycle", args=[entry.cycle_id])


def where(entry: SearchEntry) -> str:
    """City, plan period and chapter of a hit, as a reader names them."""
    parts = [entry.city.name, entry.cycle.period_label]
    if entry.chapter_id:
        chapter = entry.chapter
        parts.append(chapter.agency.name if chapter.agency_id else str(chapter.theme))
    return " · ".join(parts)


def facets(results: Results) -> list[tuple[str, str, int]]:
    """(kind, its label, number of hits) for the kinds that have hits, in the order of EntryKind."""
    labels = dict(EntryKind.choices)
    return [(kind, labels[kind], count) for kind, count in results.kinds.items() if kind in labels]


def decorate(results: Results | None, *, public: bool) -> Results | None:
    """Give each hit on the page its link and its place (city · period · chapter)."""
    if results is not None:
        for hit in results.hits:
            hit.url = hit_url(hit.entry, public=public)
            hit.where = where(hit.entry)
        results.facets = facets(results)
    return results
