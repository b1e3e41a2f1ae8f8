"""With the demo: the reviewer opens a Taipei theme's strategy map, clicks an objective and arrives at its KPIs."""

import sqlite3

import pytest

from tests.e2e.conftest import login

pytestmark = pytest.mark.e2e



def test_reviewer_opens_a_taipei_map_and_clicks_an_objective(demo, page, tmp_path):
    with sqlite3.connect(demo["db"]) as conn:
        chapter_id, theme = conn.execute(
            "SELECT c.id, t.code || ' ' || t.name FROM plans_agencyplan c JOIN plans_theme t ON t.id = c.theme_id "
            "JOIN plans_plancycle y ON y.id = c.cycle_id WHERE y.kind = 'strategy-map' AND t.code = 'A'"
        ).fetchone()
        goal_id, goal_name = conn.execute(
            "SELECT id, name FROM plans_goal WHERE chapter_id = ? AND perspective = '內部流程' ORDER BY \"order\", id",
            (chapter_id,)).fetchone()
        kpis = [row[0] for row in conn.execute("SELECT name FROM plans_indicator WHERE goal_id = ?", (goal_id,))]
    assert kpis
    login(page, demo["url"], "reviewer")

    response = page.goto(f"{demo['url']}/strategy-maps/{chapter_id}/")
    assert response.status == 200
    figure = page.locator("figure.strategy-map svg")
    assert figure.is_visible()
    assert theme in page.locator("figure.strategy-map svg title").first.text_content()
    bands = page.locator("figure.strategy-map svg g.cluster text").all_text_contents()
    assert [b for b in bands if b in ("顧客", "內部流程", "學習成長", "財務")] == ["顧客", "內部流程", "學習成長", "財務"]
    box = page.locator(f"figure.strategy-map svg g#sm-goal-{goal_id}")
    assert box.is_visible()
    page.screenshot(path=str(tmp_path / "strategy-map.png"), full_page=True)

    box.locator("a").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/chapters/{chapter_id}/#goal-{goal_id}")
    row = page.locator(f"#goal-{goal_id}")
    assert row.is_visible() and goal_name in row.text_content()
    table = page.locator("table.book").first.text_content()
    assert all(kpi in table for kpi in kpis)
    page.screenshot(path=str(tmp_path / "objective-kpis.png"))

    svg = page.request.get(f"{demo['url']}/strategy-maps/{chapter_id}.svg")
    assert svg.status == 200 and svg.headers["content-type"].startswith("image/svg+xml")

    # An agency's plan with (simulated) actuals: objectives coloured by their lights, grouped by 構面.
    with sqlite3.connect(demo["db"]) as conn:
        agency_chapter, lit = conn.execute(
            "SELECT g.chapter_id, COUNT(*) FROM tracking_measurement m JOIN plans_indicator i ON i.id = m.indicator_id "
            "JOIN plans_goal g ON g.id = i.goal_id WHERE COALESCE(NULLIF(m.light_override, ''), m.light) <> 'white' "
            "GROUP BY g.chapter_id ORDER BY COUNT(*) DESC LIMIT 1").fetchone()
    assert lit
    page.goto(f"{demo['url']}/strategy-maps/{agency_chapter}/")
    coloured = page.locator("figure.strategy-map svg g.objective:is(.light-green, .light-yellow, .light-red)")
    assert coloured.count() >= 1
    page.screenshot(path=str(tmp_path / "agency-map.png"), full_page=True)
    print(f"\nscreenshots: {tmp_path}")
