"""Bulk entry of actuals in a real browser: 民政處's editor downloads the XLSX template from the update grid, fills
it in with openpyxl as Excel would, uploads it, sees the preview (nothing saved yet) and confirms."""

import pytest
from openpyxl import load_workbook

from tests.e2e.conftest import axe_check, login

pytestmark = pytest.mark.e2e

COL = {h: i for i, h in enumerate(
    ["代碼", "指標", "單位", "年度目標值", "本期應達", "上期實際值", "實際值", "執行情形", "落後原因", "因應對策"], start=1)}


def test_download_fill_upload_preview_and_confirm(demo, page, tmp_path):
    url = demo["url"]
    login(page, url, "civil")
    page.get_by_role("link", name="列管").click()
    open_periods = page.locator("a.chip-link:not(.status-approved)")
    assert open_periods.count() >= 1, "the demo leaves the last periods open"
    open_periods.first.click()
    page.wait_for_load_state()
    grid_url = page.url

    box = page.locator("details#bulk")
    box.locator("summary").click()
    with page.expect_download() as info:
        box.get_by_role("link", name="XLSX").click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx") and "民政處" in download.suggested_filename
    template = tmp_path / download.suggested_filename
    download.save_as(template)

    book = load_workbook(template)  # as Excel opens it
    sheet = book["列管填報"]
    assert sheet.protection.sheet and "民政處" in sheet["A1"].value
    rows = range(4, sheet.max_row + 1)
    count_row = next(y for y in rows if str(sheet.cell(row=y, column=COL["年度目標值"]).value or "").endswith("件"))
    name = sheet.cell(row=count_row, column=COL["指標"]).value
    for y in rows:
        sheet.cell(row=y, column=COL["執行情形"], value="依計畫進度辦理（批次填報）")

    def upload(actual: str, name: str) -> None:
        sheet.cell(row=count_row, column=COL["實際值"], value=actual)
        book.save(tmp_path / name)
        page.goto(grid_url)
        box = page.locator("details#bulk")
        box.locator("summary").click()
        box.locator("input[type=file]").set_input_files(str(tmp_path / name))
        box.locator("button[type=submit]").click()
        page.wait_for_load_state()

    # A value that is no count: the error names the row and the column, and nothing is kept.
    upload("很多", "wrong.xlsx")
    errors = page.locator("table.errors tbody tr")
    assert errors.count() == 1
    assert errors.first.locator("td").nth(0).inner_text() == str(count_row)
    assert errors.first.locator("td").nth(1).inner_text() == "實際值" and "很多" in errors.first.inner_text()
    page.screenshot(path=str(tmp_path / "bulk-errors.png"), full_page=True)
    axe_check(page, "bulk entry errors")

    upload("300件", "filled.xlsx")
    assert "?upload=" in page.url, page.content()[:3000]
    changes = page.locator("table.changes")
    assert changes.locator("tr", has=page.locator(f"text={name}")).count() >= 1
    assert "300件" in changes.inner_text() and "依計畫進度辦理（批次填報）" in changes.inner_text()
    page.screenshot(path=str(tmp_path / "bulk-preview.png"), full_page=True)
    axe_check(page, "bulk entry preview")

    # Nothing saved yet: the grid still shows the old value.
    page.goto(grid_url)
    row = page.locator("tr", has=page.locator(f"text={name}")).first
    assert row.locator("input[name$='-actual_raw']").input_value() != "300件"
    page.go_back()
    page.wait_for_load_state()
    page.locator("button[value=confirm]").click()
    page.wait_for_load_state()
    assert page.url == grid_url
    row = page.locator("tr", has=page.locator(f"text={name}")).first
    assert row.locator("input[name$='-actual_raw']").input_value() == "300件"
    assert "filled.xlsx" in page.locator("ul.messages").inner_text()
    page.screenshot(path=str(tmp_path / "bulk-saved.png"), full_page=True)
