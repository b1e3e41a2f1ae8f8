"""Text, markdown and HTML readers: encodings detected, pages from form feeds, bad files refused clearly."""

from __future__ import annotations

import pytest

from civicplan.importing.document import ReadError
from civicplan.importing.readers import read_bytes, read_file
from civicplan.importing.readers.html import html_lines

TEXT = "基隆市政府中程施政計畫\n(109 至 112 年度)\n民政處\t辦理次數\t100%\n"


@pytest.mark.parametrize("encoding, data, expected", [
    ("utf-8", TEXT.encode("utf-8"), "utf-8"),
    ("utf-8 with BOM", b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "utf-8-sig"),
    ("utf-16 with BOM", TEXT.encode("utf-16"), "utf-16"),
    ("utf-16-le without BOM", TEXT.encode("utf-16-le"), "utf-16-le"),
    ("utf-16-be without BOM", TEXT.encode("utf-16-be"), "utf-16-be"),
    ("big5", TEXT.encode("cp950"), "cp950"),
])
def test_text_encodings_are_detected(encoding, data, expected):
    source = read_bytes(data, "plan.txt")
    assert source.encoding == expected
    assert [line.text for line in source.lines[:3]] == TEXT.split("\n")[:3]
    assert [line.number for line in source.lines] == [1, 2, 3, 4]
    assert source.kind == "txt" and source.name == "plan.txt" and len(source.sha256) == 64


def test_windows_line_ends_are_dropped():
    source = read_bytes("甲\r\n乙\r\n".encode("cp950"), "crlf.txt")
    assert [line.text for line in source.lines] == ["甲", "乙", ""]


def test_form_feeds_number_the_pages():
    source = read_bytes("封面\n\f第一頁\n內容\n\f第二頁\n".encode(), "pages.txt")
    assert [(line.text, line.page) for line in source.lines] == [
        ("封面", 1), ("第一頁", 2), ("內容", 2), ("第二頁", 3), ("", 3)]


def test_without_form_feeds_pages_are_unknown():
    assert {line.page for line in read_bytes(TEXT.encode(), "a.txt").lines} == {None}


def test_markdown_keeps_the_file_lines():
    source = read_bytes("# 民政處\n\n| a | b |\n|---|---|\n| 1 | 2 |\n".encode(), "plan.md")
    assert source.kind == "md" and source.lines[4].text == "| 1 | 2 |" and source.lines[4].number == 5


def test_empty_file_is_refused(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    with pytest.raises(ReadError, match=r"empty\.txt: the file is empty"):
        read_file(path)


def test_whitespace_only_file_has_no_text(tmp_path):
    path = tmp_path / "blank.md"
    path.write_bytes(b"\n  \n\t\n")
    with pytest.raises(ReadError, match=r"blank\.md: the file has no text"):
        read_file(path)


def test_binary_junk_is_refused(tmp_path):
    path = tmp_path / "junk.txt"
    path.write_bytes(bytes(range(256)) * 40)
    with pytest.raises(ReadError, match=r"junk\.txt.*(binary|not text)"):
        read_file(path)


def test_binary_with_many_nul_bytes_is_refused(tmp_path):
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06\x00" * 50)
    with pytest.raises(ReadError, match=r"image\.txt.*binary"):
        read_file(path)


def test_text_in_another_legacy_encoding_is_refused_not_garbled(tmp_path):
    path = tmp_path / "gbk.txt"
    path.write_bytes(("基隆市政府中程施政計畫：關鍵績效指標、衡量標準及年度目標值。" * 5).encode("gbk"))
    with pytest.raises(ReadError, match=r"gbk\.txt, line 1: not (UTF-8|text)"):
        read_file(path)


def test_latin1_text_is_refused(tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes("Résumé du plan : dépenses, échéances et coûts élevés à réévaluer.\n".encode("latin-1") * 5)
    with pytest.raises(ReadError, match=r"latin\.txt, line 1"):
        read_file(path)


def test_truncated_utf16_is_refused(tmp_path):
    path = tmp_path / "cut16.txt"
    path.write_bytes(TEXT.encode("utf-16")[:-1])
    with pytest.raises(ReadError, match=r"cut16\.txt: broken UTF-16"):
        read_file(path)


@pytest.mark.parametrize("data, message", [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "an old binary Office file"),
    (b"{\\rtf1\\ansi plan}", "an RTF file"),
])
def test_old_office_and_rtf_files_are_refused_by_name(data, message):
    with pytest.raises(ReadError, match=rf"plan\.doc: {message}"):
        read_bytes(data, "plan.doc")


def test_missing_file_is_a_read_error(tmp_path):
    with pytest.raises(ReadError, match=r"cannot open the file"):
        read_file(tmp_path / "nowhere.txt")


# -- HTML ------------------------------------------------------------------------------------------


HTML = """<!doctype html><html><head><title>基隆市政府中程施政計畫</title><style>td {color: red}</style>
<script>var x = "<td>not a cell</td>";</script></head><body>
<h1>民政處</h1>
<p>細懸浮微粒（PM<sub>2.5</sub>）年平均濃度 &amp; 臭氧<br>第二行</p>
<table>
 <tr><th rowspan="2">關鍵策略目標</th><th rowspan="2">關鍵績效指標</th><th colspan="2">年度目標值</th></tr>
 <tr><th>109</th><th>110</th></tr>
 <tr><td rowspan="2">零星<br>工程</td><td>各區里基礎零星工程</td><td>350件</td><td>350 件</td></tr>
 <tr><td>辦理各區<p>里鄰工程</p></td><td>40件</td><td>40件</td></tr>
</table>
<p>註：評估體制</p>
</body></html>"""


def test_html_tags_are_stripped_and_blocks_are_lines():
    lines = html_lines(HTML)
    assert [line.text for line in lines[:4]] == [
        "基隆市政府中程施政計畫", "民政處", "細懸浮微粒（PM2.5）年平均濃度 & 臭氧", "第二行"]
    assert [line.number for line in lines] == list(range(1, len(lines) + 1))
    assert lines[-1].text == "註：評估體制"


def test_html_table_rows_are_tab_lines_with_spans_kept_aligned():
    source = read_bytes(HTML.encode("utf-8"), "plan.html")
    rows = [line.text.split("\t") for line in source.lines if "\t" in line.text]
    assert rows == [
        ["關鍵策略目標", "關鍵績效指標", "年度目標值", ""],
        ["", "", "109", "110"],
        ["零星工程", "各區里基礎零星工程", "350件", "350 件"],
        ["", "辦理各區里鄰工程", "40件", "40件"],
    ]
    (table,) = source.tables
    assert table.rows == rows
    assert [source.lines[n - 1].text for n in table.row_lines] == ["\t".join(row) for row in rows]
    assert source.kind == "html"


def test_html_in_big5_is_decoded():
    source = read_bytes(HTML.encode("cp950"), "plan.htm")
    assert source.encoding == "cp950" and source.lines[1].text == "民政處"


def test_html_without_text_is_refused():
    with pytest.raises(ReadError, match=r"x\.html: the file has no text"):
        read_bytes(b"<html><body><img src='a.png'></body></html>", "x.html")
