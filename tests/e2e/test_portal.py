"""The public portal in a real browser, anonymously: the demo's Keelung 109–112 plan published, from /public/
down to a KPI page, its CSV downloaded and read back, and axe-core finding no serious or critical violation."""

import csv
import io
import sqlite3
from pathlib import Path

import pytest

from tests.e2e.conftest import axe_check, publish_keelung


pytestmark = pytest.mark.e2e






def test_the_public_browses_a_published_plan_downloads_csv_and_axe_is_clean(demo, page, browser, tmp_path):
    url = demo["url"]
    cycle_id = publish_keelung(demo["db"])

    page.goto(url + "/public/")
    assert page.locator("html").get_attribute("lang") == "zh-Hant-TW"
    assert page.locator("a[href$='/accounts/login/'], a[href='/tracking/']").count() == 0, "no staff links"
    page.screenshot(path=str(tmp_path / "portal-index.png"), full_page=True)
    axe_check(page, "/public/")
    page.locator(f"a[href='/public/cycles/{cycle_id}/']").click()
    page.wait_for_load_state()

    assert page.url.endswith(f"/public/cycles/{cycle_id}/")
    assert "民政處" in page.content()
    page.screenshot(path=str(tmp_path / "portal-cycle.png"), full_page=True)
    axe_check(page, "cycle")
    page.get_by_role("link", name="民政處", exact=True).click()
    page.wait_for_load_state()

    assert "/public/chapters/" in page.url
    page.screenshot(path=str(tmp_path / "portal-chapter.png"), full_page=False)
    axe_check(page, "chapter")
    # A KPI with approved (simulated) results: its row shows a coloured light.
    row = page.locator("tr", has=page.locator(".light-green, .light-yellow, .light-red")).first
    row.locator("a[href*='/public/kpis/']").click()
    page.wait_for_load_state()

    assert "/public/kpis/" in page.url
    page.screenshot(path=str(tmp_path / "portal-kpi.png"), full_page=True)
    axe_check(page, "KPI")
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
        axe_check(small, "cycle on a phone")
    finally:
        phone.close()
