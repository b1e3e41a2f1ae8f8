"""Bulk entry of actuals: the template (XLSX and ODS) read back with openpyxl and odfdo, filled like a user
fills it, and read again — every cell error with its row, column and why; only changed rows become entries."""

import io
import zipfile
from datetime import datetime
from decimal import Decimal

import pytest
from django.db.models import F
from django.utils import translation
from odfdo import Document
from openpyxl import Workbook, load_workbook

from civicplan.tracking import services, spreadsheet
from civicplan.tracking.models import Measurement, Report
from civicplan.tracking.periods import periods_for
from tests.factories import make_indicator

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The messages are checked in English (their translations come later)."""
    with translation.override("en"):
        yield

HEADERS = ["代碼", "指標", "單位", "年度目標值", "本期應達", "上期實際值", "實際值", "執行情形", "落後原因", "因應對策"]
COL = {h: i for i, h in enumerate(HEADERS, start=1)}  # header → column number (1 = A)
FIRST = 4  # the first KPI row: title, instructions, headers above it


@pytest.fixture
def kpis(world):
    """民政處 reports four KPIs in 110: a count (360件), a rate (85%), a deadline and a text target."""
    return {
        "count": world.civil_kpi,
        "rate": make_indicator(world.civil_chapter, "市民滿意度", {110: "85%"}),
        "deadline": make_indicator(world.civil_chapter, "完成里長聯繫會報", {110: "110年7月31日前"}),
        "text": make_indicator(world.civil_chapter, "美術館籌建", {110: "美術館籌備中"}),
    }


@pytest.fixture
def report(world, kpis):
    """110年第3期 (of 6); 第2期 has 100件 saved for the count KPI (the 上期實際值 column)."""
    periods = periods_for(world.city, 110)
    earlier = services.open_report(world.civil, periods[1])
    row = earlier.measurements.get(indicator=world.civil_kpi)
    services.do_save_report(earlier, entries={row.pk: {"version": row.version, "actual_raw": "100件"}},
                            expected_version=earlier.version, actor=world.civil_editor)
    return services.open_report(world.civil, periods[2])


def fresh(report):
    return Report.objects.get(pk=report.pk)


def rows_of(report):
    """{indicator name: measurement} of the report."""
    return {m.indicator.name: m for m in fresh(report).measurements.select_related("indicator")}


def xlsx_book(report):
    return load_workbook(io.BytesIO(spreadsheet.make_template(report, "xlsx")))


def save(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xlsx_row(sheet, name) -> int:
    for y in range(FIRST, sheet.max_row + 1):
        if sheet.cell(row=y, column=COL["指標"]).value == name:
            return y
    raise AssertionError(f"{name} not in the sheet")


def filled_xlsx(report, values: dict) -> bytes:
    """The template filled in like a user: {KPI name: {header: value}}."""
    book = xlsx_book(report)
    sheet = book[spreadsheet.SHEET]
    for name, cells in values.items():
        y = xlsx_row(sheet, name)
        for header, value in cells.items():
            sheet.cell(row=y, column=COL[header], value=value)
    return save(book)


def errors_of(report, data, name="filled.xlsx"):
    entries, errors = spreadsheet.read_upload(fresh(report), name, data)
    return entries, [(e.kind, e.row, e.column) for e in errors], errors


# --- The template ---------------------------------------------------------------------------------------------


def test_xlsx_template_has_the_title_headers_one_row_per_kpi_and_the_prefilled_values(world, kpis, report):
    book = xlsx_book(report)
    assert book.sheetnames == ["列管填報", "civicplan"]
    sheet = book["列管填報"]
    title = sheet["A1"].value
    period = report.period
    assert "基隆市" in title and "民政處" in title and "110年第3期" in title
    assert f"110/{period.due_on.month:02d}/{period.due_on.day:02d}" in title  # the due date, ROC
    assert [c.value for c in sheet[3]] == HEADERS
    names = [sheet.cell(row=y, column=COL["指標"]).value for y in range(FIRST, sheet.max_row + 1)]
    assert names == [m.indicator.name for m in fresh(report).measurements.all()]
    assert len(names) == 4
    y = xlsx_row(sheet, "里鄰建設服務案件數")
    row = {h: sheet.cell(row=y, column=COL[h]).value for h in HEADERS}
    measurement = rows_of(report)["里鄰建設服務案件數"]
    assert row["代碼"] == f"M{measurement.pk}-v{measurement.version}"
    assert row["年度目標值"] == "360件" and row["本期應達"].startswith("180") and row["上期實際值"] == "100件"
    assert row["單位"] == "件" and row["實際值"] is None
    rate = xlsx_row(sheet, "市民滿意度")
    assert sheet.cell(row=rate, column=COL["年度目標值"]).value == "85%"
    assert sheet.cell(row=rate, column=COL["本期應達"]).value == "85%"  # a rate is due as printed
    assert sheet.cell(row=rate, column=COL["上期實際值"]).value is None


def test_xlsx_template_is_protected_with_only_the_input_cells_unlocked(report):
    book = xlsx_book(report)
    sheet = book["列管填報"]
    assert sheet.protection.sheet is True
    assert book.security.lockStructure  # no sheets added, removed, renamed or unhidden
    for y in range(FIRST, sheet.max_row + 1):
        for header, x in COL.items():
            locked = sheet.cell(row=y, column=x).protection.locked
            assert locked == (header not in ("實際值", "執行情形", "落後原因", "因應對策")), (y, header)
    assert all(sheet.cell(row=3, column=x).protection.locked for x in COL.values())
    assert book["civicplan"].sheet_state == "hidden"
    meta = {a.value: b.value for a, b in book["civicplan"].iter_rows(max_col=2)}
    assert meta["format"] == "civicplan.bulk-actuals/1" and meta["report"] == str(report.pk)
    rules = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    actual = rules[f"G{FIRST}:G{FIRST + 3}"]
    assert (actual.type, actual.operator, actual.formula1) == ("textLength", "lessThanOrEqual", "300")


def ods_table(data: bytes, name="列管填報"):
    document = Document(io.BytesIO(data))
    return document, next(t for t in document.body.get_tables() if t.name == name)


def test_ods_template_has_the_same_rows_and_a_protected_table_with_unprotected_inputs(report):
    data = spreadsheet.make_template(report, "ods")
    document, table = ods_table(data)
    assert [t.name for t in document.body.get_tables()] == ["列管填報", "civicplan"]
    assert table.protected is True
    values = table.get_values()
    assert "民政處" in values[0][0] and "110年第3期" in values[0][0]
    assert values[2] == HEADERS
    kpi_rows = [v for v in values[3:] if v[0]]
    assert [v[1] for v in kpi_rows] == [m.indicator.name for m in fresh(report).measurements.all()]
    count = next(v for v in kpi_rows if v[1] == "里鄰建設服務案件數")
    assert count[3] == "360件" and count[5] == "100件"

    def protect(cell):
        style = document.get_style("table-cell", cell.style)
        return style.get_element("style:table-cell-properties").get_attribute("style:cell-protect")

    for x, header in enumerate(HEADERS):
        expected = "none" if header in ("實際值", "執行情形", "落後原因", "因應對策") else "protected"
        assert protect(table.get_cell((x, FIRST - 1))) == expected, header
    hidden = next(t for t in document.body.get_tables() if t.name == "civicplan")
    table_style = document.get_style("table", hidden.style)
    assert table_style.get_element("style:table-properties").get_attribute("table:display") in (False, "false")
    assert "of:cell-content-text-length()&lt;=300" in zipfile.ZipFile(io.BytesIO(data)).read("content.xml").decode()


def test_an_unchanged_template_changes_nothing_and_has_no_errors(world, report):
    row = rows_of(report)["市民滿意度"]  # the grid's textarea sends CRLF; a pasted text may hold control characters
    services.do_save_report(fresh(report), entries={row.pk: {"version": row.version, "actual_raw": "80%",
                                                             "progress_note": "第一行\r\n第二行\x0b"}},
                            expected_version=fresh(report).version, actor=world.civil_editor)
    for fmt in ("xlsx", "ods"):
        entries, errors = spreadsheet.read_upload(fresh(report), f"t.{fmt}", spreadsheet.make_template(report, fmt))
        assert (entries, errors) == ({}, [])


# --- Filling it in --------------------------------------------------------------------------------------------


def test_a_filled_xlsx_gives_the_entries_of_the_changed_cells_only(world, report):
    rows = rows_of(report)
    data = filled_xlsx(report, {
        "里鄰建設服務案件數": {"實際值": "170件", "執行情形": "辦理中\n第二行"},
        "市民滿意度": {"實際值": 0.9},  # typed as a number in a cell formatted as a percentage: see below
    })
    book = load_workbook(io.BytesIO(data))
    sheet = book["列管填報"]
    sheet.cell(row=xlsx_row(sheet, "市民滿意度"), column=COL["實際值"]).number_format = "0%"
    entries, errors = spreadsheet.read_upload(fresh(report), "filled.xlsx", save(book))
    assert errors == []
    count, rate = rows["里鄰建設服務案件數"], rows["市民滿意度"]
    assert entries == {
        count.pk: {"version": count.version, "actual_raw": "170件", "progress_note": "辦理中\n第二行"},
        rate.pk: {"version": rate.version, "actual_raw": "90%"},
    }
    services.do_save_report(fresh(report), entries=entries, expected_version=fresh(report).version,
                            actor=world.civil_editor)
    after = rows_of(report)
    assert after["里鄰建設服務案件數"].actual_value == Decimal(170) and after["市民滿意度"].actual_raw == "90%"
    assert after["市民滿意度"].light == "green"


def test_text_that_looks_like_a_formula_stays_text_and_a_number_typed_as_a_number_reads(world, report):
    row = rows_of(report)["市民滿意度"]
    services.do_save_report(fresh(report), entries={row.pk: {"version": row.version, "progress_note": "=SUM(A1)"}},
                            expected_version=fresh(report).version, actor=world.civil_editor)
    sheet = xlsx_book(report)["列管填報"]
    assert sheet.cell(row=xlsx_row(sheet, "市民滿意度"), column=COL["執行情形"]).value == "=SUM(A1)"
    assert sheet.cell(row=xlsx_row(sheet, "市民滿意度"), column=COL["執行情形"]).data_type == "s"
    entries, errors = spreadsheet.read_upload(fresh(report), "t.xlsx", filled_xlsx(report, {
        "里鄰建設服務案件數": {"實際值": 170}}))
    assert errors == [] and [e["actual_raw"] for e in entries.values()] == ["170"]


def test_numbers_and_dates_typed_into_cells_read_as_the_text_a_user_means():
    assert spreadsheet.cell_text(300) == "300"
    assert spreadsheet.cell_text(300.0) == "300"
    assert spreadsheet.cell_text(12.5) == "12.5"
    assert spreadsheet.cell_text(0.955, "0.0%") == "95.5%"
    assert spreadsheet.cell_text(datetime(2021, 7, 20)) == "110/07/20"
    assert spreadsheet.cell_text("  完成 \r\n") == "完成"


def test_a_filled_ods_reads_back_the_same(world, report):
    data = spreadsheet.make_template(report, "ods")
    document, table = ods_table(data)
    values = table.get_values()
    y = next(i for i, v in enumerate(values) if v[1] == "完成里長聯繫會報")
    table.set_value((COL["實際值"] - 1, y), "110/07/20")
    table.set_value((COL["執行情形"] - 1, y), "已於7月召開")
    out = io.BytesIO()
    document.save(out)
    entries, errors = spreadsheet.read_upload(fresh(report), "filled.ods", out.getvalue())
    assert errors == []
    measurement = rows_of(report)["完成里長聯繫會報"]
    assert entries == {measurement.pk: {"version": measurement.version, "actual_raw": "110/07/20",
                                        "progress_note": "已於7月召開"}}


def test_the_file_type_is_read_from_the_content_not_the_name(report):
    data = spreadsheet.make_template(report, "ods")
    assert spreadsheet.read_upload(fresh(report), "renamed.xlsx", data) == ({}, [])


def test_an_ods_ending_in_a_million_empty_rows_reads_quickly(report):
    """LibreOffice writes the rest of a sheet as one row repeated 1,048,000 times."""
    data = spreadsheet.make_template(report, "ods")
    document, table = ods_table(data)
    from odfdo import Element

    table.append(Element.from_tag('<table:table-row table:number-rows-repeated="1048000">'
                                  '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>'))
    out = io.BytesIO()
    document.save(out)
    assert spreadsheet.read_upload(fresh(report), "t.ods", out.getvalue()) == ({}, [])


# --- Errors: each with its row, its column and why ------------------------------------------------------------


def test_every_cell_error_names_its_row_column_and_why(world, report):
    finance = services.open_report(world.finance, report.period)
    foreign = finance.measurements.get()
    book = xlsx_book(report)
    sheet = book["列管填報"]
    count, rate = xlsx_row(sheet, "里鄰建設服務案件數"), xlsx_row(sheet, "市民滿意度")
    deadline, text = xlsx_row(sheet, "完成里長聯繫會報"), xlsx_row(sheet, "美術館籌建")
    sheet.cell(row=count, column=COL["實際值"], value="大約一百多件吧")  # not a number
    sheet.cell(row=rate, column=COL["實際值"], value="90件")  # a count for a rate target
    sheet.cell(row=deadline, column=COL["實際值"], value="x" * 301)  # too long
    sheet.cell(row=text, column=COL["實際值"], value="籌備中")  # a text target takes anything
    sheet.cell(row=text, column=COL["執行情形"], value="y" * 4001)  # too long
    extra = sheet.max_row + 1
    sheet.cell(row=extra, column=COL["實際值"], value="5件")  # a row added without a key
    sheet.cell(row=extra + 1, column=COL["代碼"], value="abc")  # a key typed over
    sheet.cell(row=extra + 1, column=COL["實際值"], value="1件")
    sheet.cell(row=extra + 2, column=COL["代碼"], value=f"M{foreign.pk}-v{foreign.version}")  # 財政處's row
    sheet.cell(row=extra + 2, column=COL["實際值"], value="96%")
    sheet.cell(row=extra + 3, column=COL["代碼"], value="M999999-v1")  # no such row
    sheet.cell(row=extra + 3, column=COL["實際值"], value="1件")
    before = list(fresh(report).measurements.values_list("id", "actual_raw", "version"))
    entries, found, errors = errors_of(report, save(book))
    assert entries == {}
    assert sorted(found, key=lambda e: e[1]) == sorted([
        ("kind", count, "實際值"),
        ("kind", rate, "實際值"),
        ("too-long", deadline, "實際值"),
        ("too-long", text, "執行情形"),
        ("missing-key", extra, "代碼"),
        ("unknown-key", extra + 1, "代碼"),
        ("other-report", extra + 2, "代碼"),
        ("unknown-key", extra + 3, "代碼"),
    ], key=lambda e: e[1])
    why = {e.row: e.message for e in errors}
    assert "大約一百多件吧" in why[count] and "360件" in why[count]
    assert "件" in why[rate] and "%" in why[rate]
    assert "301" in why[deadline] and "300" in why[deadline]
    assert "財政處" in why[extra + 2] and "稅課收入達成率" in why[extra + 2]
    assert list(fresh(report).measurements.values_list("id", "actual_raw", "version")) == before


def test_a_row_saved_meanwhile_by_someone_else_is_a_conflict_not_a_lost_update(world, report):
    data = filled_xlsx(report, {"里鄰建設服務案件數": {"實際值": "170件"}, "市民滿意度": {"實際值": "88%"}})
    count = rows_of(report)["里鄰建設服務案件數"]
    services.do_save_report(fresh(report), entries={count.pk: {"version": count.version, "actual_raw": "175件"}},
                            expected_version=fresh(report).version, actor=world.civil_head)
    entries, found, errors = errors_of(report, data)
    assert found == [("conflict", FIRST, "代碼")] and entries == {}
    assert "someone else" in errors[0].message
    # A stale row the user did not change is no conflict: it is simply not an entry (here the version moved on
    # without a change of the template's cells, as a reviewer's light override does).
    data = filled_xlsx(report, {"市民滿意度": {"實際值": "88%"}})
    Measurement.objects.filter(pk=count.pk).update(version=F("version") + 1)
    entries, found, _errors = errors_of(report, data)
    assert found == [] and list(entries) == [rows_of(report)["市民滿意度"].pk]


def test_duplicate_rows_and_rows_whose_key_does_not_match_the_name(report):
    book = xlsx_book(report)
    sheet = book["列管填報"]
    count, rate = xlsx_row(sheet, "里鄰建設服務案件數"), xlsx_row(sheet, "市民滿意度")
    key = sheet.cell(row=count, column=1).value
    sheet.protection.sheet = False  # the user removed the protection (no password) and pasted over the keys
    sheet.cell(row=rate, column=1, value=key)
    _entries, found, errors = errors_of(report, save(book))
    assert found == [("name-mismatch", rate, "指標")]
    sheet.cell(row=rate, column=COL["指標"], value="里鄰建設服務案件數")
    _entries, found, errors = errors_of(report, save(book))
    assert found == [("duplicate-key", rate, "代碼")] and f"row {count}" in errors[0].message


def test_another_reports_template_is_refused_whole(world, report):
    other = services.open_report(world.civil, periods_for(world.city, 110)[3])
    _entries, found, errors = errors_of(report, spreadsheet.make_template(other, "xlsx"))
    assert found == [("other-report", None, "")]
    assert "110年第4期" in errors[0].message and "110年第3期" in errors[0].message


def docx_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


@pytest.mark.parametrize("data, kind, words", [
    (b"", "empty", "empty"),
    (b"\x00\x01junk that is no spreadsheet at all" * 10, "format", "not an XLSX or ODS"),
    ("指標,實際值\n里鄰,1\n".encode(), "format", "not an XLSX or ODS"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "format", ".xls"),
    (b"%PDF-1.4 ...", "format", "PDF"),
    (b"PK\x03\x04 broken zip", "format", "damaged"),
])
def test_files_that_are_not_spreadsheets_get_a_clear_error(report, data, kind, words):
    _entries, found, errors = errors_of(report, data, "filled.xlsx")
    assert found == [(kind, None, "")] and words in errors[0].message


def test_a_word_document_renamed_xlsx_is_named_as_such(report):
    _entries, found, errors = errors_of(report, docx_bytes(), "filled.xlsx")
    assert found == [("format", None, "")] and "Word document" in errors[0].message


def test_a_damaged_xlsx_and_a_spreadsheet_that_is_not_the_template(report):
    data = spreadsheet.make_template(report, "xlsx")
    _entries, found, errors = errors_of(report, data[: len(data) // 2])
    assert found == [("format", None, "")]
    book = Workbook()
    book.active.append(["指標", "數值"])
    book.active.append(["里鄰建設服務案件數", 100])
    _entries, found, errors = errors_of(report, save(book))
    assert found == [("not-template", None, "")] and "代碼" in errors[0].message


def test_a_template_without_rows_is_empty(report):
    book = xlsx_book(report)
    sheet = book["列管填報"]
    sheet.delete_rows(FIRST, sheet.max_row)
    _entries, found, _errors = errors_of(report, save(book))
    assert found == [("empty", None, "")]


def test_copied_into_a_new_workbook_the_rows_still_read(world, report):
    """Without the hidden sheet (the rows pasted into a fresh workbook) the keys still tie rows to KPIs."""
    template = xlsx_book(report)["列管填報"]
    book = Workbook()
    for row in template.iter_rows(values_only=True):
        book.active.append(row)
    y = xlsx_row(book.active, "里鄰建設服務案件數")
    book.active.cell(row=y, column=COL["實際值"], value="170件")
    entries, found, _errors = errors_of(report, save(book))
    assert found == [] and list(entries) == [rows_of(report)["里鄰建設服務案件數"].pk]


# --- The preview ---------------------------------------------------------------------------------------------


def test_the_preview_lists_old_and_new_values_the_light_and_what_a_behind_kpi_still_needs(report):
    data = filled_xlsx(report, {
        "里鄰建設服務案件數": {"實際值": "120件"},  # 120 of the 180 due: red, no explanation given
        "市民滿意度": {"實際值": "80%", "落後原因": "調查延後", "因應對策": "加強宣導"},  # yellow, explained
    })
    upload = spreadsheet.read(fresh(report), "filled.xlsx", data)
    assert upload.errors == []
    preview = spreadsheet.describe(fresh(report), upload.entries, upload.rows)
    by_name = {c.measurement.indicator.name: c for c in preview.changes}
    count = by_name["里鄰建設服務案件數"]
    assert count.fields == [("實際值", "", "120件")] and count.light == "red" and count.row == FIRST
    assert by_name["市民滿意度"].light == "yellow" and preview.unchanged == 2
    assert [(w.kind, w.row, w.column) for w in preview.warnings] == [
        ("behind", FIRST, "落後原因"), ("behind", FIRST, "因應對策")]
