"""The 研考 console in a real browser, on the demo: the 研考 administrator opens Keelung's console, sees the
cycles and the reporting freshness, submits a small cycle's chapters and approves them from the console's
review list, then sends the cycle for review, approves and publishes it with the console's buttons."""

import sqlite3

import pytest

from tests.e2e.conftest import axe_check, login

pytestmark = pytest.mark.e2e





def _smallest_keelung_cycle(db) -> tuple[int, list[int]]:
    """The Keelung draft cycle with the fewest chapters, and its chapters."""
    with sqlite3.connect(db) as conn:
        cycle_id = conn.execute(
            "SELECT c.id FROM plans_plancycle c JOIN agencies_city city ON city.id = c.city_id "
            "JOIN plans_agencyplan ch ON ch.cycle_id = c.id "
            "WHERE city.name = '基隆市' AND c.status = 'draft' GROUP BY c.id ORDER BY COUNT(ch.id), c.id LIMIT 1"
        ).fetchone()[0]
        chapters = [row[0] for row in conn.execute(
            "SELECT id FROM plans_agencyplan WHERE cycle_id = ? ORDER BY id", (cycle_id,))]
    return cycle_id, chapters


def _status(page, cycle_id) -> str:
    return page.locator(f"#cycle-{cycle_id}").get_attribute("data-status")


def _move(page, console_url, cycle_id, status, comment):
    """Press one of the cycle's status buttons on the console (it posts to the cycle's status page, which sends
    the administrator back to the console with the outcome)."""
    page.goto(console_url)
    row = page.locator(f"#cycle-{cycle_id}")
    row.locator("textarea[name=reason]").fill(comment)
    row.locator(f"button[name=status][value={status}]").click()
    page.wait_for_load_state()
    assert page.url == console_url, page.url
    assert page.locator(".messages").count() == 1
    assert _status(page, cycle_id) == status


def test_the_yankao_admin_reviews_and_publishes_a_cycle_from_the_console(demo, page, tmp_path):
    url = demo["url"]
    cycle_id, chapters = _smallest_keelung_cycle(demo["db"])
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    login(page, url, "yankao")
    page.locator("header a[href='/console/']").click()
    page.wait_for_load_state()
    if page.url.endswith("/console/"):  # an administrator of several demo cities chooses one
        page.get_by_role("link", name="基隆市", exact=True).click()
        page.wait_for_load_state()
    console_url = page.url
    assert "/console/" in console_url and "基隆市" in page.locator("h1").inner_text()

    # The cycles with their status and counts, and the freshness by agency.
    cycles = page.locator("table.console tbody tr.cycle-row")
    assert cycles.count() >= 1
    row = page.locator(f"#cycle-{cycle_id}")
    assert _status(page, cycle_id) == "draft"
    assert row.locator("td.chapters-draft").inner_text() == str(len(chapters))
    assert row.locator("button[name=status][value=in-review]").count() == 1
    freshness = page.locator("table.console-freshness tbody tr")
    assert freshness.count() >= 1, "the demo leaves the last periods of each plan open"
    assert page.locator("#freshness a[href*='/tracking/freshness/']").count() == 1
    assert page.locator("#imports a[href='/imports/']").count() == 1
    page.screenshot(path=str(tmp_path / "console-1.png"), full_page=True)
    axe_check(page, "console")

    # The chapters are submitted (the 研考 admin may do it for the head) and show in the console's review list.
    for chapter_id in chapters:
        page.goto(f"{url}/chapters/{chapter_id}/")
        page.locator("button[name=action][value=submit]").click()
        page.wait_for_load_state()
    page.goto(console_url)
    assert page.locator(f"#cycle-{cycle_id} td.chapters-submitted").inner_text() == str(len(chapters))
    for chapter_id in chapters:
        page.goto(console_url)
        page.locator(f"#chapters a[href='/chapters/{chapter_id}/']").click()
        page.wait_for_load_state()
        page.locator("button[name=action][value=approve]").click()
        page.wait_for_load_state()
    page.goto(console_url)
    assert page.locator(f"#cycle-{cycle_id} td.chapters-approved").inner_text() == str(len(chapters))
    for chapter_id in chapters:
        waiting = page.locator(f"#chapters a[href='/chapters/{chapter_id}/']")
        assert waiting.count() == 0, "approved: no longer waiting"

    # 送審 → 核定 → 公布 with the console's buttons.
    _move(page, console_url, cycle_id, "in-review", "送審")
    _move(page, console_url, cycle_id, "approved", "各機關計畫均已核定")
    page.screenshot(path=str(tmp_path / "console-2-approved.png"), full_page=True)
    _move(page, console_url, cycle_id, "published", "公布")
    row = page.locator(f"#cycle-{cycle_id}")
    assert row.locator(".status-published").count() == 1
    assert row.locator("button[name=status][value=superseded]").count() == 1
    page.screenshot(path=str(tmp_path / "console-3-published.png"), full_page=True)
    assert not errors, errors

    # Published: on the public portal.
    page.goto(f"{url}/public/")
    assert page.locator(f"a[href='/public/cycles/{cycle_id}/']").count() >= 1
