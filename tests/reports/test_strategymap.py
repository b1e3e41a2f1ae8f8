"""Strategy maps: DOT text (band order, escaping, wrapping), SVG (names, links, colours), dot missing, the pages
(permission, fixed queries, cache), and every map of the real Taipei and Keelung seeds."""

import time
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from civicplan.plans.models import AgencyPlan, GoalKind, IndicatorOwner, OwnerRole, PlanCycle, PlanKind
from civicplan.reports import strategymap as sm
from tests.factories import AgencyFactory, GoalFactory, IndicatorFactory

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}href"


def _map():
    return sm.StrategyMap("A 營造永續環境", (
        sm.Band("顧客", (
            sm.Objective("o1", "AC1", "提升市民對環境滿意度", light="red", agencies=("環保局",), wccd=True,
                         url="/chapters/1/#goal-1"),
            sm.Objective("o2", "AC2", '名稱有"引號"與\\反斜線及<&>', light="green", url="/chapters/1/#goal-2"),
        )),
        sm.Band("內部流程", (sm.Objective("o3", "AP1", "加強公害防治", light="yellow", url="/chapters/1/#goal-3"),)),
        sm.Band("學習成長", ()),
        sm.Band("財務", (sm.Objective("o4", "AF1", "提升財務效能", url="/chapters/1/#goal-4"),)),
    ), legend=(("green", "綠燈"),))


def _nodes(svg: str) -> dict[str, ET.Element]:
    root = ET.fromstring(svg)
    return {g.get("id"): g for g in root.iter(SVG + "g") if "objective" in (g.get("class") or "").split()}


def _text(node) -> str:
    return "".join(t.text or "" for t in node.iter(SVG + "text"))


def test_roll_up_takes_the_worst_measured_light():
    assert sm.roll_up(["green", "red", "yellow", "white"]) == "red"
    assert sm.roll_up(["green", "white", "yellow"]) == "yellow"
    assert sm.roll_up(["green", "white"]) == "green"
    assert sm.roll_up(["white", "white"]) == "white"
    assert sm.roll_up([]) == "white"


def test_wrap_cjk_every_twelve_characters_keeping_words():
    name = "普及原住民族教育、培育原住民專業人才、提升原住民職場競爭力暨促進生活及經濟條件改善"
    lines = sm.wrap(name)
    assert "".join(lines) == name
    assert len(lines) == 4 and all(len(line) <= 11 for line in lines)  # balanced lines
    assert sm.wrap("推動社區環境調查及改造計畫") == ["推動社區環境調", "查及改造計畫"]
    assert sm.wrap("細懸浮微粒(PM2.5)年平均濃度") == ["細懸浮微粒(PM2.5)", "年平均濃度"]
    assert sm.wrap("提升市民對環境滿意度") == ["提升市民對環境滿意度"]
    assert "PM2.5" in "".join(sm.wrap("一二三四五六七八九十一PM2.5"))  # the word moves whole to the next line
    assert all(not line.startswith("、") for line in sm.wrap("一二三四五六七八九十一二、三"))


def test_dot_text_has_every_objective_in_band_order_and_escapes_text():
    dot = sm.build_dot(_map())
    bands = [dot.index(f'label="{name}"') for name in ("顧客", "內部流程", "學習成長", "財務")]
    assert bands == sorted(bands)
    positions = [dot.index(f'id="{key}"') for key in ("o1", "o2", "o3", "o4")]
    assert positions == sorted(positions)
    assert bands[0] < positions[0] < positions[1] < bands[1] < positions[2] < bands[2] < bands[3] < positions[3]
    # the bands are stacked by a chain of invisible edges, top to bottom
    assert "band0_r0_0 -> band1_r0_0 -> band2_empty -> band3_r0_0 -> legend;" in dot
    # HTML-like label: XML escaping; quoted attributes: DOT escaping
    assert "<TD>名稱有&quot;引號&quot;與</TD>" in dot and "<TD>\\反斜線及&lt;&amp;&gt;</TD>" in dot
    assert 'tooltip="AC2 名稱有\\"引號\\"與\\\\反斜線及<&>"' in dot
    assert sm.dot_quote('a"b\\c\nd') == '"a\\"b\\\\c d"'


def test_svg_parses_and_has_every_name_link_and_light_colour():
    svg = sm.render_svg(sm.build_dot(_map()))
    nodes = _nodes(svg)
    expected = {"o1": ("提升市民對環境滿意度", "red"), "o2": ('名稱有"引號"與\\反斜線及<&>', "green"),
                "o3": ("加強公害防治", "yellow"), "o4": ("提升財務效能", "white")}
    for key, (name, light) in expected.items():
        node = nodes[key]
        assert name in _text(node)
        assert f"light-{light}" in node.get("class").split()
        links = [a.get(XLINK) for a in node.iter(SVG + "a")]
        assert links == [f"/chapters/1/#goal-{key[1]}"]
        fill = next(p.get("fill") for p in node.iter() if p.tag in (SVG + "path", SVG + "polygon"))
        assert fill == sm.LIGHT_COLOURS[light][0]
    assert "WCCD" in _text(nodes["o1"]) and "環保局" in _text(nodes["o1"])
    assert "WCCD" not in _text(nodes["o2"])
    assert sm.inline_svg(svg).startswith("<svg")


def test_dot_missing_is_a_clear_error(monkeypatch):
    with pytest.raises(sm.GraphvizMissing, match="Graphviz is not installed.*apt-get install graphviz"):
        sm.render_svg("digraph { a }", dot_binary="/nonexistent/bin/dot")
    monkeypatch.setenv("PATH", "")
    with pytest.raises(sm.GraphvizMissing, match="“dot” was not found"):
        sm.render_svg("digraph { a }")


def test_dot_failure_is_reported():
    with pytest.raises(sm.GraphvizError, match="failed with exit code"):
        sm.render_svg("digraph { this is not dot")


# --- Pages ----------------------------------------------------------------------------------------------


def _light(world, indicator, light, *, override=""):
    from civicplan.tracking import services
    from civicplan.tracking.models import Measurement
    from civicplan.tracking.periods import periods_for

    agency = indicator.ownerships.get().agency
    report = services.open_report(agency, periods_for(world.city, 110)[0])
    Measurement.objects.filter(report=report, indicator=indicator).update(light=light, light_override=override,
                                                                           actual_raw="1件")


@pytest.mark.django_db
def test_page_shows_the_svg_inline_with_a_text_list(world, client_for):
    _light(world, world.civil_kpi, "yellow")
    response = client_for(world.reviewer).get(reverse("strategy-map", args=[world.civil_chapter.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    goal = world.civil_kpi.goal
    assert '<figure class="strategy-map"' in html and "<svg" in html and "<?xml" not in html
    assert f'xlink:href="/chapters/{world.civil_chapter.pk}/#goal-{goal.pk}"' in html
    svg = html[html.index("<svg"):html.index("</svg>") + 6]
    assert "light-yellow" in _nodes(svg)[f"sm-goal-{goal.pk}"].get("class").split()
    listed = html.split('id="strategy-map-list"')[1]
    assert goal.name in listed and f'href="/chapters/{world.civil_chapter.pk}/#goal-{goal.pk}"' in listed


@pytest.mark.django_db
def test_svg_route_serves_svg(world, client_for):
    response = client_for(world.civil_editor).get(reverse("strategy-map-svg", args=[world.civil_chapter.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    nodes = _nodes(response.content.decode())
    assert f"sm-goal-{world.civil_kpi.goal.pk}" in nodes
    assert reverse("strategy-map-svg", args=[7]) == "/strategy-maps/7.svg"


@pytest.mark.django_db
def test_permission_is_plans_view(world, client_for):
    for name in ("strategy-map", "strategy-map-svg"):
        url = reverse(name, args=[world.civil_chapter.pk])
        assert client_for(world.outsider).get(url).status_code == 403
        assert client_for(None).get(url).status_code == 302
        assert client_for(world.finance_editor).get(url).status_code == 200


@pytest.mark.django_db
def test_dot_missing_on_the_page_keeps_the_text_list(world, client_for, monkeypatch, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    monkeypatch.setenv("PATH", "")
    client = client_for(world.reviewer)
    response = client.get(reverse("strategy-map", args=[world.civil_chapter.pk]))
    assert response.status_code == 503
    assert "Graphviz" in response.content.decode() and world.civil_kpi.goal.name in response.content.decode()
    response = client.get(reverse("strategy-map-svg", args=[world.civil_chapter.pk]))
    assert response.status_code == 503 and "apt-get install graphviz" in response.content.decode()


@pytest.mark.django_db
def test_lights_roll_up_worst_and_override_counts(world, client_for):
    chapter = world.civil_chapter
    goal = world.civil_kpi.goal
    second = IndicatorFactory(goal=goal, name="第二指標")
    IndicatorOwner.objects.create(indicator=second, agency=world.civil, role=OwnerRole.LEAD)
    from civicplan.web.strategymap import map_for_chapter

    assert map_for_chapter(chapter).objectives[0].light == "white"
    _light(world, world.civil_kpi, "green")
    assert map_for_chapter(chapter).objectives[0].light == "green"  # the unmeasured KPI does not whiten it
    _light(world, second, "green", override="red")
    objective = map_for_chapter(chapter).objectives[0]
    assert objective.light == "red"
    assert "(" in objective.tooltip and "2" not in objective.tooltip.split("(")[1].split()[0]


@pytest.mark.django_db
def test_cache_draws_once_per_data_version(world, client_for, monkeypatch):
    from django.core.cache import cache

    cache.clear()
    calls = []
    real = sm.render_svg
    monkeypatch.setattr(sm, "render_svg", lambda dot, **kw: calls.append(dot) or real(dot, **kw))
    client = client_for(world.reviewer)
    url = reverse("strategy-map-svg", args=[world.civil_chapter.pk])
    first = client.get(url).content
    assert client.get(url).content == first and len(calls) == 1
    _light(world, world.civil_kpi, "red")  # the data changed: a new drawing
    node = _nodes(client.get(url).content.decode())[f"sm-goal-{world.civil_kpi.goal.pk}"]
    assert "light-red" in node.get("class").split() and len(calls) == 2


@pytest.mark.django_db
def test_page_runs_a_fixed_number_of_queries(world, client_for, django_assert_max_num_queries):
    chapter = world.civil_chapter
    other = AgencyFactory(city=world.city, name="協辦處")
    for g in range(12):
        goal = GoalFactory(chapter=chapter, perspective=["業務成果", "行政效率"][g % 2],
                           kind=GoalKind.COMMON if g > 9 else GoalKind.KEY, label=str(g))
        for i in range(6):
            indicator = IndicatorFactory(goal=goal, wccd=i == 0)
            IndicatorOwner.objects.create(indicator=indicator, agency=other if i == 1 else world.civil)
    _light(world, world.civil_kpi, "green")
    client = client_for(world.reviewer)
    url = reverse("strategy-map", args=[chapter.pk])
    client.get(url)  # warm the session
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="node objective') == 13 and "協辦處" in html and "WCCD" in html


# --- The real seeds -------------------------------------------------------------------------------------


def _import(seeds_dir, name, django_user_model):
    from civicplan.importing.pipeline import parse_file
    from civicplan.plans.loading import do_import_plan

    root, _ = django_user_model.objects.get_or_create(username="root", defaults={"is_superuser": True})
    do_import_plan(parse_file(seeds_dir / name).document, actor=root)


def _render_all(chapters):
    from civicplan.web.strategymap import map_for_chapter

    timings = {}
    for chapter in chapters:
        data = map_for_chapter(chapter)
        started = time.perf_counter()
        svg = sm.render_svg(sm.build_dot(data))
        timings[chapter] = (len(data.objectives), time.perf_counter() - started)
        nodes = _nodes(svg)
        goals = list(chapter.goals.all())
        assert len(nodes) == len(goals) and goals
        for goal in goals:
            node = nodes[f"sm-goal-{goal.pk}"]
            assert "".join(goal.name.split()) in "".join(_text(node).split())
            assert [a.get(XLINK) for a in node.iter(SVG + "a")] == [f"/chapters/{chapter.pk}/#goal-{goal.pk}"]
    return timings


@pytest.mark.django_db
def test_every_taipei_theme_renders_with_its_bands_in_the_books_order(seeds_dir, django_user_model):
    _import(seeds_dir, "003_f78f01ac8dc70682.txt", django_user_model)
    cycle = PlanCycle.objects.get(kind=PlanKind.STRATEGY_MAP, city__name="臺北市")
    chapters = list(cycle.chapters.select_related("cycle__city", "theme", "agency"))
    assert len(chapters) == 9
    from civicplan.web.strategymap import map_for_chapter

    for chapter in chapters:
        assert [b.name for b in map_for_chapter(chapter).bands] == ["顧客", "內部流程", "學習成長", "財務"]
    timings = _render_all(chapters)
    biggest = max(timings, key=lambda c: timings[c][0])
    print(f"\nTaipei theme with the most objectives: {biggest.theme} ({timings[biggest][0]} objectives), "
          f"dot took {timings[biggest][1]:.2f} s")
    wccd = [o for c in chapters for o in map_for_chapter(c).objectives if o.wccd]
    objectives = [o for c in chapters for o in map_for_chapter(c).objectives]
    from civicplan.plans.models import Indicator

    wccd_goals = set(Indicator.objects.filter(goal__chapter__cycle=cycle, wccd=True).values_list("goal_id", flat=True))
    assert len(objectives) == 153 and {o.key for o in wccd} == {f"sm-goal-{pk}" for pk in wccd_goals}
    assert len(wccd_goals) == 10  # the 15 (WCCD) KPIs belong to 10 objectives
    # lead agencies on every objective whose KPIs name one (a few 學習成長/財務 rows name only placeholders)
    assert sum(bool(o.agencies) for o in objectives) >= 0.9 * len(objectives)


@pytest.mark.django_db
def test_every_keelung_109_112_agency_chapter_renders(seeds_dir, django_user_model):
    _import(seeds_dir, "000_f42f77be8cbf6647.txt", django_user_model)
    chapters = list(AgencyPlan.objects.filter(cycle__city__name="基隆市", cycle__start_year=109,
                                              cycle__end_year=112).select_related("cycle__city", "agency", "theme"))
    assert len(chapters) >= 20
    _render_all(chapters)
