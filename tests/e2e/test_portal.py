"""The public portal in a real browser, anonymously: the demo's Keelung 109–112 plan published, from /public/
down to a KPI page, its CSV downloaded and read back, and axe-core finding no serious or critical violation."""

import csv
import io
import sqlite3
from pathlib import Path

import pytest


pytestmark = pytest.mark.e2e
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"


def _publish_keelung(db: Path) -> int:
    """The services need the whole review workflow; the test sets the status in the demo database directly."""
    with sqlite3.connect(db) as conn:
        (cycle_id,) = conn.execute(
            "SELECT c.id FROM plans_plancycle c JOIN agencies_city y ON y.id = c.city_id "
            "WHERE y.name = '基隆市' AND c.kind = 'medium-term' AND c.start_year = 109 AND c.end_year = 112"
        ).fetchone()
        conn.execute("UPDATE plans_plancycle SET status = 'published' WHERE id = ?", (cycle_id,))
    return cycle_id


def _axe(page, where: str) -> None:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    bad = [(v["id"], v["impact"], v["help"], [n["target"] for n in v["nodes"][:3]])
           for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert bad == [], f"{where}: {bad}"


def test_the_public_browses_a_published_plan_downloads_csv_and_axe_is_clean(demo, page, browser, tmp_path):
    url = demo["url"]
    cycle_id = _publish_keelung(demo["db"])

    page.goto(url + "/public/")
    assert page.locator("html").get_attribute("lang") == "zh-Hant-TW"
    assert page.locator("a[href$='/accounts/login/'], a[href='/tracking/']").count() == 0, "no staff links"
    page.screenshot(path=str(tmp_path / "portal-index.png"), full_page=True)
    _axe(page, "/public/")
    page.locator(f"a[href='/public/cycles/{cycle_id}/']").click()
    page.wait_for_load_state()

    assert page.url.endswith(f"/public/cycles/{cycle_id}/")
    assert "民政處" in page.content()
    page.screenshot(path=str(tmp_path / "portal-cycle.png"), full_page=True)
    _axe(page, "cycle")
    page.get_by_role("link", name="民政處", exact=True).click()
    page.wait_for_load_state()

    assert "/public/chapters/" in page.url
    page.screenshot(path=str(tmp_path / "portal-chapter.png"), full_page=False)
    _axe(page, "chapter")
    # A KPI with approved (simulated) results: its row shows a coloured light.
    row = page.locator("tr", has=page.locator(".light-green, .light-yellow, .light-red")).first
    row.locator("a[href*='/public/kpis/']").click()
    page.wait_for_load_state()

    assert "/public/kpis/" in page.url
    page.screenshot(path=str(tmp_path / "portal-kpi.png"), full_page=True)
    _axe(page, "KPI")
    shown = page.locator("table.results tbody tr").count()
    assert shown >= 1
    with page.expect_download() as download_info:
        page.locator("a.dl", has_text="CSV").first.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    data = Path(download.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0][:3] == ["年度（民國）", "期別", "填報機關"]
    assert len(rows) - 1 == shown, "the CSV has the rows of the page's table"
    assert all(r[-1] == "是" for r in rows[1:]), "the demo's values are marked 示範資料"
    first_period = page.locator("table.results tbody tr th").first.inner_text()
    assert first_period.startswith(f"{rows[1][0]}年第{rows[1][1]}期")

    # Nothing else of the city leaks: a draft cycle is not found.
    with sqlite3.connect(demo["db"]) as conn:
        conn.execute("UPDATE plans_plancycle SET status = 'draft' WHERE id = ?", (cycle_id,))
    assert page.goto(f"{url}/public/cycles/{cycle_id}/").status == 404

    # On a phone.
    with sqlite3.connect(demo["db"]) as conn:
        conn.execute("UPDATE plans_plancycle SET status = 'published' WHERE id = ?", (cycle_id,))
    phone = browser.new_context(locale="zh-TW", viewport={"width": 390, "height": 844}, is_mobile=True)
    try:
        small = phone.new_page()
        small.goto(f"{url}/public/cycles/{cycle_id}/")
        width = small.evaluate("document.documentElement.scrollWidth")
        assert width <= 390 + 1, f"the page is {width}px wide on a 390px phone"
        small.screenshot(path=str(tmp_path / "portal-cycle-phone.png"), full_page=True)
        _axe(small, "cycle on a phone")
    finally:
        phone.close()
