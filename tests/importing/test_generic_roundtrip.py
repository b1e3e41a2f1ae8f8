"""The issue's "done when": a plan written as real tables in DOCX, ODT, markdown, TAB text (UTF-16, Big5), HTML
and PDF imports (read_file + generic.parse) to exactly the goals, indicators and targets it was written from.

The structured data is the demo sample (src/civicplan/demo/sample_keelung_109_112.json: three agencies of the
Keelung 109–112 book, 79 KPIs). Each test writes it as a document in tmp_path, reads it back and compares
every field.
"""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from odfdo import Document, Header, Paragraph, Table

import civicplan.demo
from civicplan.importing.readers import read_file
from civicplan.importing.tables import generic
from civicplan.interchange.serialise import from_json
from tests.importing.test_readers_pdf import PAGE_HEIGHT, PdfWriter, draw_table

SAMPLE = Path(civicplan.demo.__file__).with_name("sample_keelung_109_112.json")
TITLE = "基隆市政府109至112年度中程施政計畫"
FIELDS = ["關鍵績效指標", "評估體制", "評估方式", "衡量標準"]


@pytest.fixture(scope="module")
def plan():
    return from_json(SAMPLE.read_text(encoding="utf-8"))


def summary(document) -> list:
    """Every field the import must reproduce, chapter by chapter."""
    return [
        (chapter.agency, [
            (goal.kind, goal.seq, goal.label, goal.name, goal.perspective, [
                (i.seq, i.label, i.name, i.eval_system, i.eval_method, i.standard, i.weight,
                 [(o.agency, o.role) for o in i.owners], [(t.year, t.raw) for t in i.targets])
                for i in goal.indicators])
            for goal in chapter.goals])
        for chapter in document.chapters
    ]


def years(plan) -> list[int]:
    return list(range(plan.period["start"], plan.period["end"] + 1))


def header(plan, kind: str, *, perspective_column: bool = True, year_format: str = "{}年") -> list[str]:
    goal, indicator = ("關鍵策略目標", "關鍵績效指標") if kind == "key" else ("共同性目標", "共同性指標")
    return (["序號", goal] + (["構面"] if perspective_column else []) + ["編號", indicator] + FIELDS[1:]
            + [year_format.format(year) for year in years(plan)])


def rows(plan, chapter, kind: str, *, perspective_column: bool = True) -> list[tuple[list[str], int]]:
    """(cells, rows the goal spans) for each KPI row; goal cells only on the goal's first row."""
    out = []
    for goal in (g for g in chapter.goals if g.kind == kind):
        for n, indicator in enumerate(goal.indicators):
            name = goal.name if perspective_column else f"{goal.name}（{goal.perspective}）"
            goal_cells = [goal.label, name] + ([goal.perspective] if perspective_column else [])
            if n:
                goal_cells = [""] * len(goal_cells)
            targets = {t.year: t.raw for t in indicator.targets}
            out.append((goal_cells + [indicator.label, indicator.name, indicator.eval_system, indicator.eval_method,
                                      indicator.standard] + [targets.get(year, "") for year in years(plan)],
                        len(goal.indicators) if n == 0 else 0))
    return out


def check(plan, path: Path) -> None:
    source = read_file(path)
    assert generic.detect(source) >= 0.45
    document = generic.parse(source)
    assert (document.city, document.kind, document.period, document.title) == (
        "基隆市", "medium-term", {"start": 109, "end": 112}, TITLE)
    assert document.anomalies == []
    assert summary(document) == summary(plan)
    # every KPI cites the row it was read from
    for indicator in document.indicators():
        first, last = indicator.source.lines
        assert first == last and indicator.name in source.lines[first - 1].text.replace("\t", "")
        assert indicator.source.file == path.name
    assert document.source.sha256 == source.sha256


# -- DOCX ------------------------------------------------------------------------------------------


def _docx_table(document, head: list[str] | None, body: list[tuple[list[str], int]], merge_goals: int) -> None:
    table = document.add_table(rows=0, cols=len(body[0][0]))
    if head:
        for cell, text in zip(table.add_row().cells, head):
            cell.text = text
    offset = len(table.rows)
    for cells, _ in body:
        for cell, text in zip(table.add_row().cells, cells):
            cell.text = text
    for n, (_, span) in enumerate(body):
        if span > 1:  # the goal's number, name and perspective as vertically merged cells
            for column in range(merge_goals):
                top = table.cell(offset + n, column)
                text = top.text
                top.merge(table.cell(offset + n + span - 1, column)).text = text


def test_docx_tables_import_exactly(plan, tmp_path):
    document = docx.Document()
    document.add_paragraph(TITLE, style="Title")
    for number, chapter in enumerate(plan.chapters):
        document.add_heading(chapter.agency, level=1)
        document.add_paragraph("三、關鍵績效指標、衡量標準及年度目標值")
        key = rows(plan, chapter, "key")
        if number == 1:  # a table broken in two (the second part without header) continues
            cut = next(i for i in range(len(key) // 2, len(key)) if key[i][1])
            _docx_table(document, header(plan, "key"), key[:cut], 3)
            _docx_table(document, None, key[cut:], 3)
        else:
            _docx_table(document, header(plan, "key"), key, 3)
        document.add_paragraph("四、共同性指標、衡量標準及年度目標值")
        _docx_table(document, header(plan, "common"), rows(plan, chapter, "common"), 3)
    path = tmp_path / "keelung.docx"
    document.save(path)
    check(plan, path)


# -- ODT -------------------------------------------------------------------------------------------


def _odt_table(name: str, head: list[str], body: list[tuple[list[str], int]]) -> Table:
    table = Table(name, width=len(head), height=len(body) + 1)
    for x, text in enumerate(head):
        table.set_value((x, 0), text)
    for y, (cells, span) in enumerate(body, start=1):
        for x, text in enumerate(cells):
            if text:
                table.set_value((x, y), text)
        if span > 1:
            for x in range(3):
                table.set_span((x, y, x, y + span - 1))
    return table


def test_odt_tables_import_exactly(plan, tmp_path):
    document = Document("text")
    document.body.clear()
    document.body.append(Paragraph(TITLE))
    for number, chapter in enumerate(plan.chapters, start=1):
        document.body.append(Header(1, f"第{'一二三'[number - 1]}章 {chapter.agency}"))
        document.body.append(_odt_table(f"K{number}", header(plan, "key"), rows(plan, chapter, "key")))
        document.body.append(_odt_table(f"C{number}", header(plan, "common"), rows(plan, chapter, "common")))
    path = tmp_path / "keelung.odt"
    document.save(path)
    check(plan, path)


# -- markdown --------------------------------------------------------------------------------------


def test_markdown_pipe_tables_with_a_two_row_header_import_exactly(plan, tmp_path):
    lines = [f"# {TITLE}", ""]
    for chapter in plan.chapters:
        lines += [f"## {chapter.agency}", "", "### 三、關鍵績效指標、衡量標準及年度目標值", ""]
        for kind in ("key", "common"):
            head = header(plan, kind, perspective_column=False)
            first = head[:-4] + ["年度目標值", "", "", ""]  # 年度目標值 over the years, which are in the row below
            second = [""] * (len(head) - 4) + [str(year) for year in years(plan)]
            lines += ["| " + " | ".join(first) + " |", "|" + "---|" * len(head), "| " + " | ".join(second) + " |"]
            lines += ["| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"
                      for cells, _ in rows(plan, chapter, kind, perspective_column=False)]
            lines += ["", "註：評估體制之數字代號意義如下", ""]
    path = tmp_path / "keelung.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    check(plan, path)


# -- TAB text in UTF-16 and Big5 -------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-16", "cp950"])
def test_tab_text_in_utf16_and_big5_imports_exactly(plan, tmp_path, encoding):
    lines = [TITLE, ""]
    for number, chapter in enumerate(plan.chapters, start=1):
        lines += [f"第{'一二三'[number - 1]}章 {chapter.agency}", ""]
        for kind in ("key", "common"):
            lines.append("\t".join(header(plan, kind, year_format="{}年度")))
            lines += ["\t".join(cells) for cells, _ in rows(plan, chapter, kind)]
            lines.append("")
    path = tmp_path / f"keelung-{encoding}.txt"
    path.write_bytes("\r\n".join(lines).encode(encoding))
    assert read_file(path).encoding == encoding
    check(plan, path)


# -- HTML ------------------------------------------------------------------------------------------


def test_html_tables_with_rowspans_import_exactly(plan, tmp_path):
    parts = [f"<html><head><title>{TITLE}</title></head><body><h1>{TITLE}</h1>"]
    for chapter in plan.chapters:
        parts.append(f"<h2>{chapter.agency}</h2>")
        for kind in ("key", "common"):
            parts.append("<table border=1><tr>" + "".join(f"<th>{h}</th>" for h in header(plan, kind)) + "</tr>")
            for cells, span in rows(plan, chapter, kind):
                goal = "".join(f"<td rowspan='{span}'>{c}</td>" for c in cells[:3]) if span else ""
                parts.append("<tr>" + goal + "".join(f"<td>{c}</td>" for c in cells[3:]) + "</tr>")
            parts.append("</table>")
    path = tmp_path / "keelung.html"
    path.write_text("\n".join(parts) + "</body></html>", encoding="utf-8")
    check(plan, path)


# -- PDF -------------------------------------------------------------------------------------------


def test_pdf_tables_import_exactly(plan, tmp_path):
    """Drawn by hand (tests/importing/test_readers_pdf.py): CJK text via a ToUnicode CMap, ruled cells, long
    tables continued on the next page with the header printed again."""
    writer = PdfWriter()
    widths = [3, 10, 5, 3, 12, 4, 5, 24, 9, 9, 9, 9]
    for number, chapter in enumerate(plan.chapters):
        page = writer.page()
        top = PAGE_HEIGHT - 40
        if number == 0:
            writer.text(page, 20, top, TITLE, size=14)
            top -= 30
        draw_table(writer, header(plan, "key"), [cells for cells, _ in rows(plan, chapter, "key")], widths,
                   page=page, top=top, heading=chapter.agency)
        draw_table(writer, header(plan, "common"), [cells for cells, _ in rows(plan, chapter, "common")], widths,
                   heading="四、共同性指標、衡量標準及年度目標值")
    path = tmp_path / "keelung.pdf"
    path.write_bytes(writer.build())
    source = read_file(path)
    assert len({line.page for line in source.lines}) > 6  # tables run over several pages
    check(plan, path)
    pages = [i.source.page for i in generic.parse(source).indicators()]
    assert pages == sorted(pages) and pages[0] == 1 and None not in pages
