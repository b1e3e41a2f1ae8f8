"""The real seed plan books (../shared/seeds: Keelung 109–112 and 111–114, Taipei's 107 strategy map,
Chiayi 108–111), imported as `civicplan demo` imports them, render completely: every chapter page shows
every goal, KPI and target of the database, every chapter's (every theme's) strategy map draws every
objective (a Taipei theme: every perspective band), the cycle page lists every chapter, and so does the
public portal once the cycle is published.

The seeds are imported once for the module (in one transaction, rolled back at the end); each test is
parametrized by seed and loops over the seed's cycles and chapters, collecting every problem with the seed,
cycle and chapter it belongs to, so that one run names all that is missing. Without ../shared/seeds the tests
skip (the shared `seeds_dir` fixture); in CI (CI=true) a skip fails the run (tests/conftest.py).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from html import unescape

import pytest
from django.db import transaction
from django.db.models import Prefetch
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from civicplan.agencies.models import City, Membership, Role
from civicplan.plans.models import AgencyPlan, CycleStatus, Goal, Indicator, OwnerRole, PlanCycle, PlanKind
from civicplan.portal.queries import chapter_name

pytestmark = pytest.mark.django_db

SEEDS = {"keelung": "基隆市", "taipei": "臺北市", "chiayi": "嘉義市"}  # seed → the city its books name
EXPECTED_CYCLES = {"keelung": 2, "taipei": 1, "chiayi": 1}

SVG = "{http://www.w3.org/2000/svg}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
XLINK_TITLE = "{http://www.w3.org/1999/xlink}title"
KPI_ROW = re.compile(r'<tr id="indicator-(\d+)"')
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


@dataclass
class Seeded:
    cycles: dict[str, list[PlanCycle]] = field(default_factory=dict)  # seed → its cycles
    viewers: dict[str, object] = field(default_factory=dict)  # seed → a reviewer of its city (plans.view)


@pytest.fixture(scope="module")
def seeded(seeds_dir, django_db_setup, django_db_blocker):
    """Every seed book parsed, merged by plan and loaded with `do_import_plan` (as `civicplan demo` does),
    once for the module; one reviewer (a city member: plans.view, no editing) per city. Rolled back after."""
    from django.contrib.auth import get_user_model

    from civicplan.importing.pipeline import merge, parse_file
    from civicplan.plans.loading import do_import_plan

    with django_db_blocker.unblock(), transaction.atomic():
        try:
            operator = get_user_model().objects.create(username="seed-operator", is_staff=True,
                                                       is_superuser=True)
            files = sorted(path for path in seeds_dir.iterdir() if path.is_file())
            documents = merge([parse_file(path).document for path in files])
            for document in documents:
                result = do_import_plan(document, actor=operator, reason="test: seed plan books")
                assert result.status == "loaded", (document.source.file, result.status)
            data = Seeded()
            for seed, city_name in SEEDS.items():
                city = City.objects.get(name=city_name)
                data.cycles[seed] = list(PlanCycle.objects.filter(city=city).select_related("city")
                                         .order_by("start_year", "kind"))
                viewer = get_user_model().objects.create(username=f"viewer-{seed}")
                Membership.objects.create(user=viewer, city=city, role=Role.REVIEWER)
                data.viewers[seed] = viewer
            yield data
        finally:
            transaction.set_rollback(True)


def _chapters(cycle) -> list[AgencyPlan]:
    return list(cycle.chapters.select_related("cycle__city", "agency", "theme").order_by("order", "pk"))


def _goals(chapter) -> list[Goal]:
    return list(chapter.goals.order_by("kind", "order", "pk"))


def _indicators(chapter) -> list[Indicator]:
    return list(Indicator.objects.filter(goal__chapter=chapter).prefetch_related("targets").order_by("pk"))


def _where(seed, chapter) -> str:
    owner = chapter.agency.name if chapter.agency_id else str(chapter.theme)
    return f"[{seed} · {chapter.cycle} · {owner} (chapter {chapter.pk})]"


def _client(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _one_line(text: str) -> str:
    """Text as Graphviz prints it, compared without whitespace: labels are wrapped (one <text> per line)."""
    return "".join(CONTROL.sub("", text or "").split())


def _row(html: str, indicator_pk: int) -> str:
    start = html.index(f'<tr id="indicator-{indicator_pk}"')
    return html[start:html.index("</tr>", start)]


def _book_problems(html: str, chapter, where: str) -> list[str]:
    """What the chapter's KPI table (staff page or portal page) lacks: goals, KPIs, KPI rows, targets."""
    problems = []
    goals, indicators = _goals(chapter), _indicators(chapter)
    for goal in goals:
        if escape(goal.name) not in html:
            problems.append(f"{where} goal {goal.pk} not shown: {goal.name!r}")
    rows = [int(pk) for pk in KPI_ROW.findall(html)]
    if sorted(rows) != sorted(i.pk for i in indicators):
        missing = sorted({i.pk for i in indicators} - set(rows))
        twice = sorted({r for r in rows if rows.count(r) > 1})
        problems.append(f"{where} {len(rows)} KPI rows for {len(indicators)} indicators"
                        f" (missing {missing[:10]}, repeated {twice[:10]})")
    years = set(chapter.cycle.years)
    for indicator in indicators:
        if escape(indicator.name) not in html:
            problems.append(f"{where} KPI {indicator.pk} not shown: {indicator.name!r}")
            continue
        if indicator.pk not in rows:
            continue
        row = _row(html, indicator.pk)
        if escape(indicator.name) not in row:
            problems.append(f"{where} KPI {indicator.pk}'s row does not show its name {indicator.name!r}")
        for target in indicator.targets.all():
            if target.year in years and target.raw and escape(target.raw) not in row:
                problems.append(f"{where} KPI {indicator.pk}: target {target.year} {target.raw!r} "
                                "not in its row")
    return problems


# --- The staff chapter page -------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", list(SEEDS))
def test_every_chapter_page_shows_every_goal_kpi_and_target(seeded, seed):
    client = _client(seeded.viewers[seed])
    assert len(seeded.cycles[seed]) == EXPECTED_CYCLES[seed]
    problems, checked = [], 0
    for cycle in seeded.cycles[seed]:
        chapters = _chapters(cycle)
        assert chapters, f"{seed}: {cycle} has no chapters"
        for chapter in chapters:
            where = _where(seed, chapter)
            response = client.get(reverse("chapter", args=[chapter.pk]))
            if response.status_code != 200:
                problems.append(f"{where} chapter page answered {response.status_code}")
                continue
            problems += _book_problems(response.content.decode(), chapter, where)
            checked += 1
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems[:200])
    assert checked


# --- Strategy maps ----------------------------------------------------------------------------------------


def _box(element) -> tuple[float, float, float, float] | None:
    """The bounding box (x0, y0, x1, y1) of the first polygon or path drawn in `element`."""
    for shape in element.iter():
        if shape.tag in (SVG + "polygon", SVG + "path"):
            numbers = [float(n) for n in NUMBER.findall(shape.get("points") or shape.get("d") or "")]
            xs, ys = numbers[0::2], numbers[1::2]
            if xs and ys:
                return min(xs), min(ys), max(xs), max(ys)
    return None


def _inside(inner, outer) -> bool:
    return (inner is not None and outer is not None and outer[0] <= inner[0] and outer[1] <= inner[1]
            and inner[2] <= outer[2] and inner[3] <= outer[3])


def _expected_agencies(chapter, goal) -> list[str]:
    """The lead agencies a goal's box names (an agency's own chapter leaves its own name out)."""
    names = dict.fromkeys(o.agency.name for i in goal.indicators.all() for o in i.ownerships.all()
                          if o.role == OwnerRole.LEAD)
    return [n for n in names if not (chapter.agency_id and n == chapter.agency.name)]


def _svg_problems(svg: str, chapter, where: str) -> list[str]:
    """What the drawn map lacks: an <svg> that parses; one linked box per goal showing its name, its lead
    agencies and its WCCD mark, inside the band of its perspective; the bands in the city's order, top to
    bottom (a strategy-map cycle: every perspective of the city, even one without objectives)."""
    try:
        root = ET.fromstring(svg)
    except ET.ParseError as error:
        return [f"{where} the SVG does not parse: {error}"]
    if root.tag != SVG + "svg":
        return [f"{where} the root element is {root.tag}, not <svg>"]
    problems = []
    nodes = {g.get("id"): g for g in root.iter(SVG + "g") if "objective" in (g.get("class") or "").split()}
    bands = {_one_line("".join(t.text or "" for t in band.findall(SVG + "text"))): _box(band)
             for band in root.iter(SVG + "g") if "band" in (band.get("class") or "").split()}
    perspectives = [_one_line(p) for p in chapter.cycle.city.perspectives]
    goals = list(chapter.goals.order_by("kind", "order", "pk").prefetch_related(
        Prefetch("indicators", queryset=Indicator.objects.prefetch_related("ownerships__agency"))))
    if not goals:
        problems.append(f"{where} the chapter has no goals to draw")
    if len(nodes) != len(goals):
        problems.append(f"{where} {len(nodes)} objective boxes for {len(goals)} goals")
    for goal in goals:
        node = nodes.get(f"sm-goal-{goal.pk}")
        if node is None:
            problems.append(f"{where} goal {goal.pk} has no box: {goal.name!r}")
            continue
        text = _one_line("".join(t.text or "" for t in node.iter(SVG + "text")))
        if _one_line(goal.name) not in text:
            problems.append(f"{where} goal {goal.pk}'s box lacks its name {goal.name!r} (shows {text!r})")
        agencies = _expected_agencies(chapter, goal)
        if agencies and _one_line("、".join(agencies)) not in text:
            problems.append(f"{where} goal {goal.pk}'s box lacks its lead agencies {agencies} ({text!r})")
        if any(i.wccd for i in goal.indicators.all()) and "WCCD" not in text:
            problems.append(f"{where} goal {goal.pk} has a WCCD KPI but its box has no WCCD mark")
        links = list(node.iter(SVG + "a"))
        hrefs = [a.get(XLINK_HREF) for a in links]
        if hrefs != [f"/chapters/{chapter.pk}/#goal-{goal.pk}"]:
            problems.append(f"{where} goal {goal.pk}'s box links to {hrefs}")
        titles = _one_line(" ".join(a.get(XLINK_TITLE) or "" for a in links))
        if _one_line(goal.name) not in titles:
            problems.append(f"{where} goal {goal.pk}'s tooltip lacks its name: {titles!r}")
        perspective = _one_line(goal.perspective)
        if perspective in perspectives:
            if perspective not in bands:
                problems.append(f"{where} no band {perspective!r} for goal {goal.pk}")
            elif not _inside(_box(node), bands[perspective]):
                problems.append(f"{where} goal {goal.pk}'s box is not inside its band {perspective!r}")
        elif not any(_inside(_box(node), box) for name, box in bands.items() if name not in perspectives):
            problems.append(f"{where} goal {goal.pk} (perspective {goal.perspective!r}) is in no other band")
    names = list(bands)
    if chapter.cycle.kind == PlanKind.STRATEGY_MAP and names != perspectives:
        problems.append(f"{where} perspective bands {names}, expected {perspectives}")
    shown = [name for name in names if name in perspectives]
    if shown != [p for p in perspectives if p in shown]:
        problems.append(f"{where} bands {shown} are not in the city's order {perspectives}")
    tops = [bands[name][1] for name in names if bands[name] is not None]
    if tops != sorted(tops):
        problems.append(f"{where} the bands are not stacked top to bottom in order: {names}")
    return problems


@pytest.mark.parametrize("seed", list(SEEDS))
def test_every_strategy_map_draws_every_objective(seeded, seed):
    client = _client(seeded.viewers[seed])
    problems, checked = [], 0
    for cycle in seeded.cycles[seed]:
        for chapter in _chapters(cycle):
            where = _where(seed, chapter)
            page = client.get(reverse("strategy-map", args=[chapter.pk]))
            if page.status_code != 200:
                problems.append(f"{where} strategy map page answered {page.status_code}: "
                                f"{unescape(page.content.decode())[:300]!r}")
            else:
                html = page.content.decode()
                if "<svg" not in html or "</svg>" not in html:
                    problems.append(f"{where} the strategy map page has no <svg>")
                else:
                    problems += _svg_problems(html[html.index("<svg"):html.index("</svg>") + 6], chapter,
                                              where + " (page)")
                for goal in _goals(chapter):  # the text list beside the map
                    if escape(goal.name) not in html:
                        problems.append(f"{where} the map page's list lacks goal {goal.pk}: {goal.name!r}")
            raw = client.get(reverse("strategy-map-svg", args=[chapter.pk]))
            if raw.status_code != 200 or not raw["Content-Type"].startswith("image/svg+xml"):
                problems.append(f"{where} the .svg answered {raw.status_code} {raw['Content-Type']}")
            else:
                problems += _svg_problems(raw.content.decode(), chapter, where + " (.svg)")
            checked += 1
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems[:200])
    assert checked


# --- The cycle page ---------------------------------------------------------------------------------------


def _cycle_problems(html: str, cycle, where: str, link_name: str) -> list[str]:
    problems = []
    for chapter in _chapters(cycle):
        owner = chapter.agency.name if chapter.agency_id else str(chapter.theme)
        url = reverse(link_name, args=[chapter.pk])
        if f'href="{url}"' not in html:
            problems.append(f"{where} no link to {owner} ({url})")
        if escape(owner) not in html:
            problems.append(f"{where} {owner!r} not named")
    return problems


@pytest.mark.parametrize("seed", list(SEEDS))
def test_cycle_page_lists_every_chapter_with_its_counts(seeded, seed):
    client = _client(seeded.viewers[seed])
    problems = []
    for cycle in seeded.cycles[seed]:
        where = f"[{seed} · {cycle}]"
        response = client.get(reverse("cycle", args=[cycle.pk]))
        assert response.status_code == 200, where
        html = response.content.decode()
        problems += _cycle_problems(html, cycle, where, "chapter")
        for chapter in _chapters(cycle):
            url = reverse("chapter", args=[chapter.pk])
            if f'href="{url}"' not in html:
                continue
            row = html[html.index(f'href="{url}"'):]
            row = row[:row.index("</tr>")]
            numbers = [int(n) for n in re.findall(r'<td class="num">(\d+)</td>', row)]
            expected = [chapter.goals.filter(kind="key").count(), len(_indicators(chapter))]
            if numbers != expected:
                problems.append(f"{_where(seed, chapter)} the cycle page counts {numbers}, not {expected}")
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems[:200])


# --- The public portal ------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", list(SEEDS))
def test_the_portal_shows_every_chapter_of_a_published_cycle(seeded, seed):
    for cycle in seeded.cycles[seed]:  # rolled back with the test
        PlanCycle.objects.filter(pk=cycle.pk).update(status=CycleStatus.PUBLISHED)
    public = _client(None)
    index = public.get(reverse("portal:index"))
    assert index.status_code == 200
    problems = []
    for cycle in seeded.cycles[seed]:
        where = f"[{seed} · {cycle} · portal]"
        if f'href="{reverse("portal:cycle", args=[cycle.pk])}"' not in index.content.decode():
            problems.append(f"{where} the portal's index does not list the cycle")
        response = public.get(reverse("portal:cycle", args=[cycle.pk]))
        assert response.status_code == 200, where
        html = response.content.decode()
        problems += _cycle_problems(html, cycle, where, "portal:chapter")
        tally = public.get(reverse("portal:cycle", args=[cycle.pk]) + "?format=json").json()
        by_chapter = {row["機關或策略主題"]: row["指標數"] for row in tally["rows"]}
        for chapter in _chapters(cycle):
            place = _where(seed, chapter) + " (portal)"
            indicators = _indicators(chapter)
            name = chapter_name(chapter)
            if by_chapter.get(name) != len(indicators):
                problems.append(f"{place} the cycle's open data counts {by_chapter.get(name)} indicators, "
                                f"expected {len(indicators)}")
            page = public.get(reverse("portal:chapter", args=[chapter.pk]))
            if page.status_code != 200:
                problems.append(f"{place} answered {page.status_code}")
                continue
            problems += _book_problems(page.content.decode(), chapter, place)
            if indicators:  # KPI links lead to pages that render (each chapter's first, to stay fast)
                first = indicators[0]
                kpi = public.get(reverse("portal:indicator", args=[first.pk]))
                if kpi.status_code != 200 or escape(first.name) not in kpi.content.decode():
                    problems.append(f"{place} KPI page {first.pk}: {kpi.status_code}, name missing")
            data = public.get(reverse("portal:chapter", args=[chapter.pk]) + "?format=json")
            rows = len(data.json()["rows"]) if data.status_code == 200 else None
            if rows != len(indicators):
                problems.append(f"{place} the chapter's open data answered {data.status_code} with {rows}"
                                f" rows for {len(indicators)} indicators")
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems[:200])
