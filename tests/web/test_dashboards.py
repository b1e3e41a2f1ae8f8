"""The dashboard (city → agency → goal → KPI, laggards first, every figure linking to its list), the KPI page,
their chart options, who may see them, and that they cost a fixed number of queries."""

from decimal import Decimal
from html import unescape

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from civicplan.plans import services as plan_services
from civicplan.tracking import services
from civicplan.tracking.models import Evidence, Report
from civicplan.tracking.periods import periods_for
from tests.factories import make_indicator

pytestmark = pytest.mark.django_db


def fill(agency, editor, period, actuals: dict, **notes):
    """Open the agency's report for the period and save the actuals ({indicator: raw}) through the service."""
    report = services.open_report(agency, period)
    rows = {m.indicator_id: m for m in report.measurements.all()}
    entries = {rows[i.pk].pk: {"version": rows[i.pk].version, "actual_raw": raw, **notes}
               for i, raw in actuals.items()}
    return services.do_save_report(report, entries=entries, expected_version=report.version, actor=editor)


@pytest.fixture
def tracked(world):
    """110: 民政處 has a green KPI (360/360) and a red one (40 of 100); 財政處 a yellow one (80 / 95 %).
    In period 1 the civil KPI was yellow (50 of the 60 due)."""
    world.red_kpi = make_indicator(world.civil_chapter, "違章建築拆除件數", {110: "100件"})
    periods = periods_for(world.city, 110)
    world.periods = periods
    fill(world.civil, world.civil_editor, periods[0], {world.civil_kpi: "50件", world.red_kpi: "10件"},
         progress_note="辦理中", delay_reason="人力不足", countermeasure="增派人力")
    fill(world.civil, world.civil_editor, periods[-1], {world.civil_kpi: "360件", world.red_kpi: "40件"})
    fill(world.finance, world.finance_editor, periods[-1], {world.finance_kpi: "80%"})
    return world


def text_of(response) -> str:
    assert response.status_code == 200, response.content[:500]
    return unescape(response.content.decode())


def test_city_level_counts_lights_and_puts_laggards_first(tracked, client_for):
    w = tracked
    url = reverse("dashboard", args=[w.cycle.pk])
    page = client_for(w.reviewer).get(url + "?year=110")
    ctx = page.context
    assert ctx["level"] == "city" and ctx["choice"].year == 110
    assert dict(ctx["city"]["tally"].lights) == {"green": 1, "yellow": 1, "red": 1}
    agencies = ctx["groups"]["agency"]
    assert [f["name"] for f in agencies] == ["民政處", "財政處"], "the agency with a red KPI comes first"
    civil = agencies[0]
    assert [(light, n) for light, n, _url in civil["cells"]] == [("red", 1), ("yellow", 0), ("green", 1),
                                                                ("white", 0)]
    assert civil["tally"].rate == Decimal("70.0")  # (100 + 40) / 2
    red_url = dict((light, u) for light, _n, u in civil["cells"])["red"]
    assert red_url == f"?year=110&agency={w.civil.pk}&light=red"
    html = text_of(page)
    assert f'href="{red_url}"' in html
    assert "業務成果" in html  # by perspective
    assert 'data-chart-url="/dashboards/%d/chart.json?year=110"' % w.cycle.pk in html
    assert "echarts.min.js" in html and "charts.js" in html and "<script>" not in html


def test_every_figure_links_to_the_list_it_was_computed_from(tracked, client_for):
    w = tracked
    client = client_for(w.reviewer)
    url = reverse("dashboard", args=[w.cycle.pk])
    page = client.get(url + f"?year=110&agency={w.civil.pk}&light=red")
    listed = page.context["listed"]
    assert [r.indicator.name for r in listed] == ["違章建築拆除件數"]
    html = text_of(page)
    assert reverse("kpi", args=[w.red_kpi.pk]) in html and "40.0%" in html
    # The city's mean achievement lists every KPI, laggards first: red, yellow, then green.
    everything = client.get(url + "?year=110&list=1").context["listed"]
    assert [r.light for r in everything] == ["red", "yellow", "green"]
    # A perspective's figures list that perspective's KPIs.
    by_perspective = client.get(url + "?year=110&perspective=業務成果&light=yellow").context["listed"]
    assert [r.indicator.name for r in by_perspective] == ["稅課收入達成率"]


def test_drill_down_agency_then_goal_then_kpi(tracked, client_for):
    w = tracked
    client = client_for(w.civil_head)
    url = reverse("dashboard", args=[w.cycle.pk])
    agency_page = client.get(url + f"?year=110&agency={w.civil.pk}")
    ctx = agency_page.context
    assert ctx["level"] == "agency" and ctx["agency"] == w.civil
    goals = ctx["groups"]["goal"]
    assert [f["name"] for f in goals] == [w.red_kpi.goal.name, w.civil_kpi.goal.name]
    assert goals[0]["drill_url"] == f"?year=110&goal={w.red_kpi.goal.pk}"
    assert ctx["listed"] is None
    html = text_of(agency_page)
    assert f'/dashboards/{w.cycle.pk}/chart.json?year=110&agency={w.civil.pk}' in html

    goal_page = client.get(url + goals[0]["drill_url"])
    ctx = goal_page.context
    assert ctx["level"] == "goal" and ctx["agency"] == w.civil and ctx["goal"] == w.red_kpi.goal
    assert [r.indicator for r in ctx["listed"]] == [w.red_kpi]
    html = text_of(goal_page)
    assert f'href="{reverse("kpi", args=[w.red_kpi.pk])}"' in html
    assert f'href="?year=110&agency={w.civil.pk}"' in html  # the crumb back to the agency


def test_period_filter_shows_the_lights_as_of_that_period(tracked, client_for):
    w = tracked
    first = w.periods[0]
    page = client_for(w.admin).get(reverse("dashboard", args=[w.cycle.pk]) + f"?year=110&period={first.pk}")
    ctx = page.context
    assert ctx["choice"].period == first
    # Period 1: civil 50 of 60 due (83.3% yellow), red 10 of 16.7 due (red); 財政處 had not reported (white).
    assert dict(ctx["city"]["tally"].lights) == {"yellow": 1, "red": 1, "white": 1}
    assert "110年第1期" in text_of(page)
    # Without a year the page opens on the latest year with data; an unknown period is ignored.
    default = client_for(w.admin).get(reverse("dashboard", args=[w.cycle.pk]) + "?period=999999&year=abc")
    assert default.context["choice"].year == 110 and default.context["choice"].period is None


def test_dashboard_chart_json_lists_lights_per_agency_and_per_goal(tracked, client_for):
    w = tracked
    client = client_for(w.reviewer)
    option = client.get(reverse("dashboard-chart", args=[w.cycle.pk]) + "?year=110").json()
    assert option["yAxis"]["data"] == ["民政處", "財政處"] and option["yAxis"]["inverse"] is True
    assert [s["name"] for s in option["series"]] == ["紅", "黃", "綠", "白"]  # laggards first, as in the tables
    assert [s["data"] for s in option["series"]] == [[1, 0], [0, 1], [1, 0], [0, 0]]
    assert all(s["type"] == "bar" and s["stack"] == "lights" for s in option["series"])
    assert option["civicplan"]["links"][0][0] == f"?year=110&agency={w.civil.pk}&light=red"
    by_goal = client.get(reverse("dashboard-chart", args=[w.cycle.pk]) + f"?year=110&agency={w.civil.pk}").json()
    assert by_goal["yAxis"]["data"] == [w.red_kpi.goal.name, w.civil_kpi.goal.name]
    assert by_goal["civicplan"]["links"][0][0] == f"?year=110&goal={w.red_kpi.goal.pk}&light=red"


def test_kpi_page_shows_definition_targets_actuals_and_revisions(tracked, client_for):
    w = tracked
    kpi = w.civil_kpi
    target = w.fresh(w.civil_target)
    plan_services.do_update_target(target, changes={"raw": "400件"}, expected_version=target.version,
                                   reason="依議會決議提高", actor=w.civil_editor)
    first_report = Report.objects.get(agency=w.civil, period=w.periods[0])
    Report.objects.filter(pk=first_report.pk).update(is_demo=True)
    measurement = first_report.measurements.get(indicator=kpi)
    evidence = Evidence(measurement=measurement, name="照片.pdf", content_type="application/pdf", size=5,
                        uploaded_by=w.civil_editor)
    evidence.file.save("a.pdf", ContentFile(b"%PDF-"), save=True)

    page = client_for(w.finance_editor).get(reverse("kpi", args=[kpi.pk]))
    html = text_of(page)
    assert "指實際評估作業係運用既有之組織架構進行。" in html  # the 評估體制 legend of code 1
    assert "統計數據" in html and "年度辦理件數" in html and "民政處" in html
    for raw in ("350件", "400件", "370件", "380件"):
        assert raw in html
    measurements = page.context["measurements"]
    assert [m.report.period for m in measurements] == [w.periods[-1], w.periods[0]], "newest first"
    assert "人力不足" in html and "增派人力" in html and "示範資料" in html
    assert reverse("evidence-file", args=[evidence.pk]) in html and "照片.pdf" in html
    revisions = page.context["revisions"]
    newest = revisions[0]
    assert newest["year"] == 110 and newest["record"].history_user == w.civil_editor
    assert [(old, new) for _label, old, new in newest["changes"]] == [("360件", "400件")]
    assert "依議會決議提高" in html
    assert len(revisions) == 5, "four targets created, one changed"
    # The chart's text alternative: one row per period, what was due and the actual.
    points = page.context["points"]
    assert [(p["due"], p["actual"], p["light"]) for p in points] == [
        (Decimal("60.0"), Decimal("50"), "yellow"), (Decimal("360"), Decimal("360"), "green")]
    assert "<td class=\"num\">60</td><td class=\"num\">50</td>" in html, "the due value the light was computed with"
    assert f'data-chart-url="{reverse("kpi-chart", args=[kpi.pk])}"' in html and 'id="chart-table"' in html


def test_kpi_chart_json_has_due_and_actual_by_period(tracked, client_for):
    w = tracked
    option = client_for(w.reviewer).get(reverse("kpi-chart", args=[w.civil_kpi.pk])).json()
    assert option["xAxis"]["data"] == ["110年第1期", "110年第6期"]
    due, actual = option["series"]
    assert due["data"] == [60.0, 360.0] and due["lineStyle"]["type"] == "dashed"
    assert [p["value"] for p in actual["data"]] == [50.0, 360.0]
    assert [p["itemStyle"]["color"] for p in actual["data"]] == ["#e0a800", "#2e8b4a"]
    assert option["yAxis"]["name"] == "件"


def test_kpi_chart_of_a_rate_kpi_without_numbers_plots_rates(world, client_for):
    kpi = make_indicator(world.civil_chapter, "完成系統建置", {110: "110年6月底前完成"})
    period = periods_for(world.city, 110)[-1]
    fill(world.civil, world.civil_editor, period, {kpi: "110年5月31日完成"})
    option = client_for(world.reviewer).get(reverse("kpi-chart", args=[kpi.pk])).json()
    target, rate = option["series"]
    assert target["data"] == [100.0] and option["yAxis"]["name"] == "%"
    assert rate["data"][0]["value"] is not None


@pytest.mark.parametrize("name", ["dashboard", "dashboard-chart", "kpi", "kpi-chart"])
def test_outsiders_are_refused_and_anonymous_users_sent_to_log_in(tracked, client_for, name):
    w = tracked
    arg = w.cycle.pk if name.startswith("dashboard") else w.civil_kpi.pk
    url = reverse(name, args=[arg])
    assert client_for(w.outsider).get(url).status_code == 403
    anonymous = client_for(None).get(url)
    assert anonymous.status_code == 302 and reverse("login") in anonymous["Location"]
    assert client_for(w.finance_editor).get(url).status_code == 200


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def test_queries_do_not_grow_with_the_number_of_kpis(world, client_for, django_assert_max_num_queries):
    periods = periods_for(world.city, 110)
    client = client_for(world.reviewer)
    kpis = [world.civil_kpi]

    def urls():
        goal = kpis[-1].goal
        base = reverse("dashboard", args=[world.cycle.pk])
        return [base + "?year=110", base + f"?year=110&agency={world.civil.pk}", base + f"?year=110&goal={goal.pk}",
                base + "?year=110&list=1", reverse("dashboard-chart", args=[world.cycle.pk]) + "?year=110",
                reverse("kpi", args=[kpis[-1].pk]), reverse("kpi-chart", args=[kpis[-1].pk])]

    def report_all():
        for period in periods[:3]:
            report = services.open_report(world.civil, period)
            rows = list(report.measurements.all())
            services.do_save_report(report, entries={m.pk: {"version": m.version, "actual_raw": "30件"}
                                                     for m in rows if not m.actual_raw},
                                    expected_version=report.version, actor=world.civil_editor)

    kpis.append(make_indicator(world.civil_chapter, "指標甲", {110: "120件", 111: "130件"}))
    report_all()
    few = [_queries(client, u) for u in urls()]
    for n in range(65):
        kpis.append(make_indicator(world.civil_chapter if n % 2 else world.finance_chapter, f"指標{n}",
                                   {110: f"{n + 1}0件", 111: f"{n + 2}0件"}))
    report_all()
    for period in periods[:2]:
        services.open_report(world.finance, period)
    many = [_queries(client, u) for u in urls()]
    assert many == few, f"queries with 2 KPIs: {few}; with 67: {many}"
    for u in urls():
        with django_assert_max_num_queries(9):
            client.get(u)
