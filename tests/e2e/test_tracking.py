"""The bi-monthly report in a real browser: the editor fills the update grid and submits, the head approves,
研考 passes 初核 and 複核, and the light appears on the KPI page."""

import re

import pytest

from tests.e2e.conftest import login, logout

pytestmark = pytest.mark.e2e




def test_report_filled_submitted_reviewed_and_the_light_shows(demo, page):
    url = demo["url"]
    login(page, url, "civil")
    page.get_by_role("link", name="列管").click()
    open_periods = page.locator("a.chip-link:not(.status-approved)")
    assert open_periods.count() >= 1, "the demo leaves the last periods open"
    open_periods.first.click()
    page.wait_for_load_state()
    grid_url = page.url
    assert "填報中" in page.content()

    # A count KPI: the target and what is due by this period stand beside the field.
    row = page.locator("tr", has=page.locator("text=各區里基礎零星工程")).first
    expected = row.inner_text()
    assert "350件" in expected and "本期應達" in expected
    row.locator("input[name$='-actual_raw']").fill("330件")
    for note in page.locator("textarea[name$='-progress_note']").all():
        note.fill("依計畫進度辦理")
    page.get_by_role("button", name="送單位主管").click()
    page.wait_for_load_state()
    assert "已送單位主管" in page.content()
    logout(page)

    login(page, url, "civil_head")
    page.goto(grid_url)
    page.get_by_role("button", name="主管核可").click()
    page.wait_for_load_state()
    logout(page)

    login(page, url, "reviewer")
    page.goto(grid_url)
    page.get_by_role("button", name="初核通過").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="複核通過並鎖定").click()
    page.wait_for_load_state()
    assert "複核通過（已鎖定）" in page.content()
    assert page.locator("input[name$='-actual_raw']").count() == 0, "a locked report shows no fields"

    # The KPI page shows the light of the approved value (330 of the 291.7 due by period 5: green).
    logout(page)
    login(page, url, "civil")
    page.get_by_role("link", name="民政處", exact=True).first.click()
    page.wait_for_load_state()
    kpi_row = page.locator("tr", has=page.locator("text=各區里基礎零星工程")).first
    text = kpi_row.inner_text()
    assert "綠" in text and re.search(r"113\.\d%", text), text
    assert "112年第5期" in text
