"""Bulk entry of actuals through the pages: download the template, fill it like a user, upload it, see every cell
error (and nothing saved) or the changes, confirm → saved as the update grid saves (values, history, AuditEvent)."""

import io
import re
import zipfile

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from odfdo import Document
from openpyxl import load_workbook

from civicplan.audit.models import Action, AuditEvent
from civicplan.tracking import services
from civicplan.tracking.models import Measurement, Report
from civicplan.tracking.periods import periods_for
from tests.factories import make_indicator

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COL = {h: i for i, h in enumerate(
    ["代碼", "指標", "單位", "年度目標值", "本期應達", "上期實際值", "實際值", "執行情形", "落後原因", "因應對策"], start=1)}


@pytest.fixture
def report(world):
    """民政處, 110年第3期: the count KPI (360件, 180 due) and a rate KPI (85%)."""
    make_indicator(world.civil_chapter, "市民滿意度", {110: "85%"})
    return services.open_report(world.civil, periods_for(world.city, 110)[2])


@pytest.fixture
def editor(world, client_for):
    client = client_for(world.civil_editor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # messages checked in English (translated later)
    return client


def urls(report):
    args = [report.agency_id, report.period_id]
    return {"grid": reverse("report-grid", args=args), "xlsx": reverse("bulk-template-xlsx", args=args),
            "ods": reverse("bulk-template-ods", args=args), "upload": reverse("bulk-upload", args=args),
            "confirm": reverse("bulk-confirm", args=args)}


def state():
    """Everything an upload could touch."""
    return (list(Measurement.objects.order_by("pk").values_list(
                "pk", "actual_raw", "progress_note", "delay_reason", "countermeasure", "light", "version")),
            list(Report.objects.order_by("pk").values_list("pk", "status", "version")),
            AuditEvent.objects.count(), Measurement.history.count(), Report.history.count())


def download(client, report, fmt="xlsx") -> bytes:
    response = client.get(urls(report)[fmt])
    assert response.status_code == 200
    return response.content


def fill_xlsx(data: bytes, values: dict) -> bytes:
    """Fill the downloaded template as a user does: {KPI name: {header: value}}; extra rows under "new"."""
    book = load_workbook(io.BytesIO(data))
    sheet = book["列管填報"]
    where = {sheet.cell(row=y, column=2).value: y for y in range(4, sheet.max_row + 1)}
    for name, cells in values.items():
        y = where.get(name) or sheet.max_row + 1
        for header, value in cells.items():
            sheet.cell(row=y, column=COL[header], value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client, report, data: bytes, name="filled.xlsx"):
    return client.post(urls(report)["upload"], {"file": SimpleUploadedFile(name, data)})


def error_rows(response) -> list[tuple[str, str, str]]:
    """The error table of the page as (row, column, why)."""
    html = response.content.decode()
    table = html.split('<table class="list errors">', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr class=\"error-[a-z-]+\"><td class=\"num\">(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>",
                      table, re.DOTALL)
    return [(r, c, re.sub(r"\s+", " ", w)) for r, c, w in rows]


def test_the_grid_offers_the_templates_and_the_upload_to_its_editors_only(world, client_for, report):
    page = client_for(world.civil_editor).get(urls(report)["grid"]).content.decode()
    assert urls(report)["xlsx"] in page and urls(report)["ods"] in page and urls(report)["upload"] in page
    page = client_for(world.reviewer).get(urls(report)["grid"]).content.decode()
    assert urls(report)["upload"] not in page


def test_the_templates_download_as_xlsx_and_ods(editor, report):
    response = editor.get(urls(report)["xlsx"])
    assert response["Content-Type"] == XLSX and "attachment" in response["Content-Disposition"]
    assert ".xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content))["列管填報"]
    assert [sheet.cell(row=y, column=2).value for y in (4, 5)] == ["里鄰建設服務案件數", "市民滿意度"]
    response = editor.get(urls(report)["ods"])
    assert response["Content-Type"] == "application/vnd.oasis.opendocument.spreadsheet"
    table = Document(io.BytesIO(response.content)).body.get_table(0)
    assert table.protected and table.get_value((1, 3)) == "里鄰建設服務案件數"


def test_a_file_with_errors_lists_each_with_row_column_and_why_and_saves_nothing(world, editor, report):
    data = fill_xlsx(download(editor, report), {
        "里鄰建設服務案件數": {"實際值": "很多件"},
        "市民滿意度": {"實際值": "x" * 301, "執行情形": "調查中"},
        "new": {"實際值": "5件"},
    })
    before = state()
    response = upload(editor, report, data)
    assert response.status_code == 400
    rows = error_rows(response)
    assert [(r, c) for r, c, _w in rows] == [("4", "實際值"), ("5", "實際值"), ("6", "代碼")]
    assert "很多件" in rows[0][2] and "360件" in rows[0][2]
    assert "301 characters" in rows[1][2] and "300" in rows[1][2]
    assert "no key" in rows[2][2]
    assert "Nothing was saved" in response.content.decode()
    assert state() == before
    assert not editor.session.get("civicplan.bulk")


def test_a_clean_file_previews_and_saves_only_after_confirming(world, editor, report):
    count, rate = (report.measurements.get(indicator__name=n) for n in ("里鄰建設服務案件數", "市民滿意度"))
    data = fill_xlsx(download(editor, report), {
        "里鄰建設服務案件數": {"實際值": "170件", "執行情形": "已完成170件", "落後原因": "雨季延宕", "因應對策": "加派人力"},
        "市民滿意度": {"實際值": "90%", "執行情形": "問卷調查完成"},
    })
    before = state()
    response = upload(editor, report, data)
    assert response.status_code == 302 and "?upload=" in response["Location"]
    preview = editor.get(response["Location"])
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "changes 2 KPIs" in html and "里鄰建設服務案件數" in html and "170件" in html and "90%" in html
    assert "Confirm and save" in html and 'light-yellow' in html  # 170 of the 180 due: yellow
    assert state() == before, "nothing is written before the confirmation"
    token = re.search(r'name="upload" value="([^"]+)"', html)[1]

    response = editor.post(urls(report)["confirm"], {"upload": token, "action": "confirm"})
    assert response.status_code == 302 and response["Location"] == urls(report)["grid"]
    count, rate = Measurement.objects.get(pk=count.pk), Measurement.objects.get(pk=rate.pk)
    assert (count.actual_raw, count.progress_note, count.delay_reason, count.countermeasure) == (
        "170件", "已完成170件", "雨季延宕", "加派人力")
    assert count.light == "yellow" and str(count.achievement_rate) == "94.4"
    assert rate.actual_raw == "90%" and rate.light == "green" and rate.version == 2
    assert count.history.first().history_user == world.civil_editor
    assert "filled.xlsx" in count.history.first().history_change_reason  # the history says the values came by file
    event = AuditEvent.objects.get(action=Action.REPORT_SAVED)
    assert event.actor == world.civil_editor and event.agency == world.civil and "filled.xlsx" in event.reason
    assert event.new_values["里鄰建設服務案件數"]["actual_raw"] == "170件"
    assert event.old_values["市民滿意度"] == {"actual_raw": "", "progress_note": ""}
    assert Report.objects.get(pk=report.pk).version == report.version + 1
    grid = editor.get(urls(report)["grid"]).content.decode()
    assert "Saved from filled.xlsx: 2 KPIs changed." in grid
    # Confirming again (a double click) saves nothing more.
    after = state()
    again = editor.post(urls(report)["confirm"], {"upload": token, "action": "confirm"})
    assert again.status_code == 302 and state() == after


def test_an_ods_filled_with_odfdo_goes_through_the_same_way(editor, report):
    document = Document(io.BytesIO(download(editor, report, "ods")))
    table = document.body.get_table(0)
    y = next(i for i, row in enumerate(table.get_values()) if row[1] == "市民滿意度")
    table.set_value((COL["實際值"] - 1, y), "86%")
    out = io.BytesIO()
    document.save(out)
    response = upload(editor, report, out.getvalue(), "filled.ods")
    assert response.status_code == 302
    token = response["Location"].split("?upload=")[1]
    editor.post(urls(report)["confirm"], {"upload": token, "action": "confirm"})
    assert report.measurements.get(indicator__name="市民滿意度").actual_raw == "86%"


def test_a_save_in_between_preview_and_confirm_is_a_conflict_not_a_lost_update(world, editor, client_for, report):
    data = fill_xlsx(download(editor, report), {"里鄰建設服務案件數": {"實際值": "170件"}})
    response = upload(editor, report, data)
    token = response["Location"].split("?upload=")[1]
    row = report.measurements.get(indicator__name="里鄰建設服務案件數")
    fresh = Report.objects.get(pk=report.pk)
    head = client_for(world.civil_head)  # the head saves the grid meanwhile
    assert head.post(urls(report)["grid"], {"version": fresh.version, "action": "save",
                                            f"m-{row.pk}-version": row.version,
                                            f"m-{row.pk}-actual_raw": "175件"}).status_code == 302
    before = state()
    preview = editor.get(f"{urls(report)['upload']}?upload={token}").content.decode()
    assert "saved by someone else since the file was read" in preview
    response = editor.post(urls(report)["confirm"], {"upload": token, "action": "confirm"})
    assert response.status_code == 409 and "changed by someone else" in response.content.decode()
    assert state() == before and Measurement.objects.get(pk=row.pk).actual_raw == "175件"


def test_a_row_saved_after_the_download_is_a_conflict_at_upload(world, editor, report):
    template = download(editor, report)
    row = report.measurements.get(indicator__name="里鄰建設服務案件數")
    services.do_save_report(Report.objects.get(pk=report.pk), entries={row.pk: {"version": row.version,
                                                                                "actual_raw": "175件"}},
                            expected_version=Report.objects.get(pk=report.pk).version, actor=world.civil_head)
    before = state()
    response = upload(editor, report, fill_xlsx(template, {"里鄰建設服務案件數": {"實際值": "170件"}}))
    assert response.status_code == 400
    assert [(r, c) for r, c, _w in error_rows(response)] == [("4", "代碼")]
    assert "someone else" in error_rows(response)[0][2]
    assert state() == before


def test_another_agencys_editor_is_refused_everywhere(world, client_for, report):
    data = fill_xlsx(download(client_for(world.civil_editor), report), {"里鄰建設服務案件數": {"實際值": "170件"}})
    finance = services.open_report(world.finance, report.period)
    before = state()
    for user in (world.finance_editor, world.reviewer, world.outsider):
        client = client_for(user)
        for name in ("xlsx", "ods", "upload"):
            assert client.get(urls(report)[name]).status_code == 403, (user, name)
        assert upload(client, report, data).status_code == 403
        assert client.post(urls(report)["confirm"], {"upload": "x", "action": "confirm"}).status_code == 403
    anonymous = client_for(None).get(urls(report)["xlsx"])
    assert anonymous.status_code == 302 and reverse("login") in anonymous["Location"]
    # 民政處's editor on 財政處's report.
    client = client_for(world.civil_editor)
    assert client.get(reverse("bulk-template-xlsx", args=[world.finance.pk, finance.period_id])).status_code == 403
    assert client.post(reverse("bulk-upload", args=[world.finance.pk, finance.period_id]),
                       {"file": SimpleUploadedFile("f.xlsx", data)}).status_code == 403
    assert state() == before


def test_a_submitted_report_takes_no_upload(world, editor, report):
    Report.objects.filter(pk=report.pk).update(status="submitted")
    assert editor.get(urls(report)["xlsx"]).status_code == 403
    assert upload(editor, report, b"x").status_code == 403


def docx_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


@pytest.mark.parametrize("data, words", [
    (b"\x8b\x00junk\xff" * 50, "not an XLSX or ODS spreadsheet"),
    (docx_bytes(), "is a Word document (.docx), not a spreadsheet"),
    (b"PK\x03\x04garbage", "damaged"),
])
def test_junk_and_a_renamed_word_document_get_a_clear_error(editor, report, data, words):
    before = state()
    response = upload(editor, report, data, "filled.xlsx")
    assert response.status_code == 400
    rows = error_rows(response)
    assert len(rows) == 1 and rows[0][0] == "—" and rows[0][1] == "whole file" and words in rows[0][2]
    assert state() == before


def test_an_empty_upload_and_a_file_that_changes_nothing(editor, report):
    response = editor.post(urls(report)["upload"], {"file": SimpleUploadedFile("empty.xlsx", b"")})
    assert response.status_code == 400  # Django's form refuses an empty file
    response = upload(editor, report, download(editor, report))
    assert response.status_code == 200 and "changes nothing" in response.content.decode()


def test_discarding_a_preview_saves_nothing(editor, report):
    data = fill_xlsx(download(editor, report), {"市民滿意度": {"實際值": "90%"}})
    token = upload(editor, report, data)["Location"].split("?upload=")[1]
    before = state()
    response = editor.post(urls(report)["confirm"], {"upload": token, "action": "discard"})
    assert response.status_code == 302 and state() == before
    assert token not in (editor.session.get("civicplan.bulk") or {})


def test_the_preview_names_behind_kpis_that_still_need_explanations(editor, report):
    data = fill_xlsx(download(editor, report), {"里鄰建設服務案件數": {"實際值": "100件"}})  # 100 of 180: red
    preview = editor.get(upload(editor, report, data)["Location"]).content.decode()
    assert "Behind target: give the reason for the delay (落後原因)." in preview
    assert "Behind target: give the countermeasure (因應對策)." in preview
    assert "light-red" in preview
