"""Open data: every list as CSV (UTF-8 with BOM), JSON, XLSX and ODS, read back with the real libraries."""

import csv
import io
import json
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from civicplan.portal import opendata

FORMATS = ["csv", "json", "xlsx", "ods"]


def read_back(data: bytes, fmt: str) -> tuple[list[str], list[list[str]]]:
    """(headers, rows) as text, read with the library a user's program would use."""
    if fmt == "csv":
        assert data.startswith(b"\xef\xbb\xbf"), "CSV starts with the UTF-8 BOM (Excel)"
        table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    elif fmt == "json":
        document = json.loads(data.decode("utf-8"))
        columns = document["columns"]
        table = [columns] + [[row[c] for c in columns] for row in document["rows"]]
    elif fmt == "xlsx":
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(data), read_only=True)
        assert len(book.sheetnames) == 1
        table = [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
    else:
        from odfdo import Document

        document = Document(io.BytesIO(data))
        sheets = document.body.get_tables()
        assert [s.name for s in sheets] != ["Feuille1"] and len(sheets) == 1, "no stray template sheet"
        table = sheets[0].get_values()
    return [str(h) for h in table[0]], [[opendata.text(v) for v in row] for row in table[1:]]


SAMPLE = opendata.Table("測試表", ["年度（民國）", "指標", "達成度（%）", "示範資料"], [
    [110, "里鄰建設服務案件數，含「引號」", Decimal("101.7"), True],
    [111, "多行\n文字", None, False],
    [112, "x", Decimal("95.0"), None],
])


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_gives_back_the_same_rows(fmt):
    headers, rows = read_back(opendata.render(SAMPLE, fmt), fmt)
    assert headers == SAMPLE.columns
    assert rows == [["110", "里鄰建設服務案件數，含「引號」", "101.7", "是"], ["111", "多行\n文字", "", "否"],
                    ["112", "x", "95", ""]]


def test_rows_must_fit_the_columns():
    with pytest.raises(ValueError):
        opendata.Table("t", ["a", "b"], [[1]])


def test_sheet_names_are_valid():
    assert opendata.sheet_name("a/b:c*?[d]" + "長" * 40) == ("a b c   d " + "長" * 40)[:31]


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", ["index", "cycle", "chapter", "indicator"])
def test_every_page_downloads_its_table(published, name, fmt):
    pk = {"index": None, "cycle": published.cycle.pk, "chapter": published.civil_chapter.pk,
          "indicator": published.civil_kpi.pk}[name]
    url = reverse(f"portal:{name}", args=[pk] if pk else [])
    response = Client().get(url + f"?format={fmt}")
    assert response.status_code == 200
    assert response["Content-Type"] == opendata.FORMATS[fmt][0]
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and disposition.endswith(f'.{fmt}"')
    headers, rows = read_back(response.content, fmt)
    expected = {
        "index": (["縣市", "計畫", "起始年度（民國）", "結束年度（民國）", "狀態", "章數", "指標數"],
                  [["基隆市", "中程施政計畫", "109", "112", "已公布", "2", "2"]]),
        "cycle": (["機關或策略主題", "關鍵策略目標數", "指標數", "綠燈", "黃燈", "紅燈", "白燈"],
                  [["民政處", "1", "1", "1", "0", "0", "0"], ["財政處", "1", "1", "0", "0", "0", "1"]]),
    }
    if name in expected:
        assert (headers, rows) == expected[name]
    elif name == "chapter":
        assert headers[7:11] == ["109年目標值", "110年目標值", "111年目標值", "112年目標值"]
        assert len(rows) == 1
        assert rows[0][3] == "里鄰建設服務案件數" and rows[0][7:11] == ["350件", "360件", "370件", "380件"]
        assert rows[0][11:] == ["綠燈", "101.7", "110年第1期（1–2月）", "否"]
    else:
        assert headers[:3] == ["年度（民國）", "期別", "填報機關"]
        assert rows == [["110", "1", "民政處", "360件", "60件", "61件", "101.7", "綠燈", "已公開的執行情形", "", "", "否"]]


def test_csv_keeps_the_bom_for_excel(published):
    data = Client().get(reverse("portal:index") + "?format=csv").content
    assert data[:3] == b"\xef\xbb\xbf" and "基隆市".encode() in data
