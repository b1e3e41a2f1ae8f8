"""The dashboard in a real browser, on the demo: the reviewer opens the Keelung 109–112 dashboard and drills down
city → agency → goal → KPI page; the charts draw on a canvas and their tables give the same figures."""

import sqlite3

import pytest

from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e



def _chart_drawn(page):
    chart = page.locator("div.chart[data-chart-ready=true]")
    chart.wait_for()
    canvas = chart.locator("canvas").first
    canvas.wait_for()
    box = canvas.bounding_box()
    assert box and box["width"] > 300 and box["height"] > 150, box
    return chart


def test_reviewer_drills_down_from_the_city_to_a_kpi(demo, page, tmp_path):
    with sqlite3.connect(demo["db"]) as conn:
        (cycle_id,) = conn.execute(
            "SELECT c.id FROM plans_plancycle c JOIN agencies_city city ON city.id = c.city_id "
            "WHERE city.name = '基隆市' AND c.start_year = 109 AND c.end_year = 112 AND c.kind = 'medium-term'"
        ).fetchone()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    login(page, demo["url"], "reviewer")
    page.goto(f"{demo['url']}/dashboards/{cycle_id}/")
    assert "示範資料" in page.content()
    _chart_drawn(page)
    agencies = page.locator("#by-agency tbody tr")
    assert agencies.count() >= 5
    page.screenshot(path=str(tmp_path / "1-city.png"), full_page=True)

    # The laggard agency comes first; its name drills down to its goals.
    first_agency = agencies.first.locator("th a")
    agency_name = first_agency.inner_text()
    first_agency.click()
    page.wait_for_load_state()
    assert "agency=" in page.url and agency_name in page.locator("h1").inner_text()
    _chart_drawn(page)
    page.screenshot(path=str(tmp_path / "2-agency.png"), full_page=True)

    goal_link = page.locator("#by-goal tbody tr th a").first
    goal_name = goal_link.inner_text()
    goal_link.click()
    page.wait_for_load_state()
    assert "goal=" in page.url and goal_name in page.locator("h1").inner_text()
    page.screenshot(path=str(tmp_path / "3-goal.png"), full_page=True)

    kpi_link = page.locator("table.kpi-list tbody a[href*='/kpis/']").first
    kpi_name = kpi_link.inner_text()
    kpi_link.click()
    page.wait_for_load_state()
    assert "/kpis/" in page.url and kpi_name in page.locator("h1").inner_text()
    assert "指實際評估作業" in page.content() or "評估體制" in page.content()
    chart = _chart_drawn(page)
    chart.scroll_into_view_if_needed()
    rows = page.locator("#chart-table tbody tr")
    assert rows.count() >= 6, "a row per reported period under the chart"
    assert page.locator("table.actuals tbody tr .demo").count() >= 1, "simulated actuals are marked 示範資料"
    page.screenshot(path=str(tmp_path / "4-kpi.png"), full_page=True)

    # Every figure links to its list: the city's red count lists only red KPIs.
    page.goto(f"{demo['url']}/dashboards/{cycle_id}/")
    page.locator(".big-figures a.figure.light-red").click()
    page.wait_for_load_state()
    lights = page.locator("table.kpi-list tbody tr .light")
    assert lights.count() >= 1
    assert set(lights.all_inner_texts()) == {lights.first.inner_text()}
    page.screenshot(path=str(tmp_path / "5-red-list.png"), full_page=True)
    assert errors == [], errors
