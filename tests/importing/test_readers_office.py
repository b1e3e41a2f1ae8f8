"""DOCX and ODT readers: paragraphs and tables in document order, merged cells once, pages, bad files."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from odfdo import Document, Element, Header, List, ListItem, Paragraph, Table

from civicplan.importing.document import ReadError
from civicplan.importing.readers import read_bytes, read_file


def _docx_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _odt_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _kpi_docx():
    document = docx.Document()
    document.add_paragraph("基隆市政府109至112年度中程施政計畫")
    document.add_heading("民政處", level=1)
    intro = document.add_paragraph("使命")
    intro.add_run().add_break()
    intro.add_run("願景")
    table = document.add_table(rows=4, cols=4)
    table.cell(0, 0).merge(table.cell(1, 0)).text = "關鍵策略目標"
    table.cell(0, 1).merge(table.cell(1, 1)).text = "關鍵績效指標"
    table.cell(0, 2).merge(table.cell(0, 3)).text = "年度目標值"
    table.cell(1, 2).text, table.cell(1, 3).text = "109", "110"
    goal = table.cell(2, 0).merge(table.cell(3, 0))
    goal.text = "普及原住民族教育、培育原住民專業人才"
    goal.add_paragraph("暨促進生活及經濟條件改善")
    table.cell(2, 1).text = "辦理原住民豐年祭\t等傳統文化活動"
    table.cell(2, 2).text, table.cell(2, 3).text = "100%", "100%"
    table.cell(3, 1).text = "原住民購屋及住宅修繕補助"
    table.cell(3, 2).text, table.cell(3, 3).text = "5 件", "5 件"
    document.add_paragraph("註：評估體制")
    return document


def test_docx_paragraphs_and_table_rows_in_document_order():
    source = read_bytes(_docx_bytes(_kpi_docx()), "plan.docx")
    assert [line.text for line in source.lines] == [
        "基隆市政府109至112年度中程施政計畫",
        "民政處",
        "使命",
        "願景",
        "關鍵策略目標\t關鍵績效指標\t年度目標值\t",
        "\t\t109\t110",
        "普及原住民族教育、培育原住民專業人才暨促進生活及經濟條件改善\t辦理原住民豐年祭 等傳統文化活動\t100%\t100%",
        "\t原住民購屋及住宅修繕補助\t5 件\t5 件",
        "註：評估體制",
    ]
    assert [line.number for line in source.lines] == list(range(1, 10))
    assert {line.page for line in source.lines} == {None}  # no page breaks: pages unknown
    assert (source.kind, source.encoding) == ("docx", "binary")


def test_docx_merged_cells_are_written_once_and_columns_stay_aligned():
    source = read_bytes(_docx_bytes(_kpi_docx()), "plan.docx")
    (table,) = source.tables
    assert table.row_lines == [5, 6, 7, 8]
    assert table.rows[0] == ["關鍵策略目標", "關鍵績效指標", "年度目標值", ""]  # horizontal span: once
    assert table.rows[1][:2] == ["", ""]  # vertical merge: empty in the continuation row
    assert table.rows[3][0] == ""
    assert all(len(row) == 4 for row in table.rows)


def test_docx_page_breaks_number_the_pages():
    document = docx.Document()
    document.add_paragraph("第一頁")
    paragraph = document.add_paragraph("仍在第一頁")
    paragraph.add_run().add_break(WD_BREAK.PAGE)
    paragraph.add_run("第二頁開頭")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "甲", "乙"
    document.add_paragraph("結尾").paragraph_format.page_break_before = True
    source = read_bytes(_docx_bytes(document), "pages.docx")
    assert [(line.text, line.page) for line in source.lines] == [
        ("第一頁", 1), ("仍在第一頁", 1), ("第二頁開頭", 2), ("甲\t乙", 2), ("結尾", 3)]
    assert source.tables[0].page == 2


def test_docx_rendered_page_breaks_are_preferred():
    document = docx.Document()
    document.add_paragraph("一")
    second = document.add_paragraph()
    second.add_run()._r.append(OxmlElement("w:lastRenderedPageBreak"))
    second.add_run("二")
    source = read_bytes(_docx_bytes(document), "rendered.docx")
    assert [(line.text, line.page) for line in source.lines] == [("一", 1), ("二", 2)]


def _kpi_odt():
    document = Document("text")
    document.body.clear()
    document.body.append(Paragraph("基隆市政府109至112年度中程施政計畫"))
    document.body.append(Header(1, "民政處"))
    items = List()
    items.append(ListItem("使命"))
    items.append(ListItem("願景"))
    document.body.append(items)
    table = Table("KPI", width=4, height=4)
    for (x, y), value in {(0, 0): "關鍵策略目標", (1, 0): "關鍵績效指標", (2, 0): "年度目標值", (2, 1): "109",
                          (3, 1): "110", (0, 2): "零星工程", (1, 2): "各區里基礎零星工程", (2, 2): "350件",
                          (3, 2): "350件", (1, 3): "辦理各區里鄰工程", (2, 3): "40件", (3, 3): "40件"}.items():
        table.set_value((x, y), value)
    table.set_span((2, 0, 3, 0))
    table.set_span((0, 0, 0, 1))
    table.set_span((1, 0, 1, 1))
    table.set_span((0, 2, 0, 3))
    document.body.append(table)
    document.body.append(Paragraph("註：評估體制"))
    return document


def test_odt_headings_lists_and_tables_in_document_order():
    source = read_bytes(_odt_bytes(_kpi_odt()), "plan.odt")
    assert [line.text for line in source.lines] == [
        "基隆市政府109至112年度中程施政計畫", "民政處", "使命", "願景",
        "關鍵策略目標\t關鍵績效指標\t年度目標值\t",
        "\t\t109\t110",
        "零星工程\t各區里基礎零星工程\t350件\t350件",
        "\t辦理各區里鄰工程\t40件\t40件",
        "註：評估體制",
    ]
    (table,) = source.tables
    assert table.row_lines == [5, 6, 7, 8] and table.rows[3] == ["", "辦理各區里鄰工程", "40件", "40件"]
    assert (source.kind, source.encoding) == ("odt", "binary")


def test_odt_cell_paragraphs_line_breaks_and_spaces():
    document = Document("text")
    document.body.clear()
    table = Table("T", width=2, height=1)
    cell = table.get_cell((0, 0))
    cell.clear()
    first = Paragraph("PM2.5")
    first.append(Element.from_tag("<text:s text:c='2'/>"))
    first.append("年平均")
    cell.append(first)
    second = Paragraph("濃度")
    second.append(Element.from_tag("<text:line-break/>"))
    second.append("下降")
    cell.append(second)
    table.set_cell((0, 0), cell)
    table.set_value((1, 0), "x")
    document.body.append(table)
    source = read_bytes(_odt_bytes(document), "cell.odt")
    assert source.tables[0].rows == [["PM2.5  年平均濃度下降", "x"]]  # <text:s c=2/> is two spaces


def test_odt_soft_page_breaks_number_the_pages():
    document = Document("text")
    document.body.clear()
    document.body.append(Paragraph("第一頁"))
    document.body.append(Element.from_tag("<text:soft-page-break/>"))
    document.body.append(Paragraph("第二頁"))
    source = read_bytes(_odt_bytes(document), "pages.odt")
    assert [(line.text, line.page) for line in source.lines] == [("第一頁", 1), ("第二頁", 2)]


# -- bad files -------------------------------------------------------------------------------------


def test_truncated_docx_is_refused(tmp_path):
    data = _docx_bytes(_kpi_docx())
    path = tmp_path / "cut.docx"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ReadError, match=r"cut\.docx: the zip container is damaged or truncated"):
        read_file(path)


def test_docx_with_a_corrupt_member_is_refused(tmp_path):
    data = bytearray(_docx_bytes(_kpi_docx()))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for offset in range(start + 10, start + 40):
        data[offset] ^= 0xFF
    path = tmp_path / "bad.docx"
    path.write_bytes(bytes(data))
    with pytest.raises(ReadError, match=r"bad\.docx.*damaged"):
        read_file(path)


def test_docx_without_text_is_refused(tmp_path):
    document = docx.Document()
    document.add_paragraph("")
    document.add_table(rows=2, cols=2)
    path = tmp_path / "blank.docx"
    path.write_bytes(_docx_bytes(document))
    with pytest.raises(ReadError, match=r"blank\.docx: the DOCX document has no text"):
        read_file(path)


def test_odt_without_text_is_refused(tmp_path):
    document = Document("text")
    document.body.clear()
    document.body.append(Paragraph(""))
    path = tmp_path / "blank.odt"
    path.write_bytes(_odt_bytes(document))
    with pytest.raises(ReadError, match=r"blank\.odt: the ODT document has no text"):
        read_file(path)


def test_truncated_odt_is_refused(tmp_path):
    data = _odt_bytes(_kpi_odt())
    path = tmp_path / "cut.odt"
    path.write_bytes(data[: len(data) - 200])
    with pytest.raises(ReadError, match=r"cut\.odt: the zip container is damaged or truncated"):
        read_file(path)


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize("members, message", [
    ({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"}, "an Excel workbook, not a Word"),
    ({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"},
     "an OpenDocument spreadsheet, not a text document"),
    ({"notes.txt": b"hello"}, "neither a .docx nor an .odt"),
])
def test_other_zip_files_are_refused_by_what_they_are(members, message):
    with pytest.raises(ReadError, match=message):
        read_bytes(_zip(members), "plan.docx")


def test_docx_whose_document_part_is_not_xml_is_refused():
    data = _zip({"[Content_Types].xml": b"<Types", "word/document.xml": b"not xml"})
    with pytest.raises(ReadError, match=r"x\.docx: the DOCX file is damaged"):
        read_bytes(data, "x.docx")


def test_text_file_named_docx_is_refused(tmp_path):
    path = tmp_path / "plan.docx"
    path.write_text("民政處", encoding="utf-8")
    with pytest.raises(ReadError, match=r"plan\.docx: this is not a DOCX file"):
        read_file(path)
