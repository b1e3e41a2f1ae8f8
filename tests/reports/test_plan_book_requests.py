"""The plan book's requests and edges: no cycle, an agency without a chapter, a strategy map, someone who may not
see the plan (ExportError; CommandError from `civicplan export book`); a small chapter with an empty goal, no
common goals and no narrative sections in all three formats; the document model's numbering and grids."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from civicplan.exports import ExportError, ExportRequest, export
from civicplan.plans.models import Goal, GoalKind, PlanCycle, PlanKind, Section
from civicplan.reports.document import (
    Cell,
    Document,
    Heading,
    Paragraph,
    Table,
    chinese_number,
    item_indent,
    prose,
    split_marker,
)
from tests.factories import AgencyFactory


def _request(world, fmt="odt", **changes):
    values = {"kind": "book", "fmt": fmt, "city": world.city, "cycle": world.cycle, "agency": None}
    values.update(changes)
    return ExportRequest(**values)


def test_a_book_needs_a_cycle(world):
    with pytest.raises(ExportError, match="name the plan cycle with --city and --period"):
        export(_request(world, cycle=None))


def test_an_agency_without_a_chapter_in_the_cycle(world):
    lonely = AgencyFactory(city=world.city, name="消防局")
    with pytest.raises(ExportError, match="消防局 has no chapter in 基隆市's plan 109-112"):
        export(_request(world, agency=lonely))


def test_a_strategy_map_is_not_a_book_and_outsiders_see_nothing(world):
    taipei_map = PlanCycle.objects.create(city=world.city, kind=PlanKind.STRATEGY_MAP, start_year=107, end_year=107)
    with pytest.raises(ExportError, match="strategy map"):
        export(_request(world, cycle=taipei_map))
    with pytest.raises(ExportError, match="you may not see"):
        export(_request(world, actor=world.outsider))
    assert export(_request(world, fmt="docx", actor=world.reviewer))[:2] == b"PK"


def test_the_command_says_what_is_wrong(world, tmp_path):
    AgencyFactory(city=world.city, name="消防局")
    out = tmp_path / "book.odt"
    with pytest.raises(CommandError, match="消防局 has no chapter"):
        call_command("export", "book", "--city", "基隆市", "--period", "109-112", "--agency", "消防局",
                     "--out", str(out))
    with pytest.raises(CommandError, match="name the plan cycle"):
        call_command("export", "book", "--city", "基隆市", "--out", str(out))
    with pytest.raises(CommandError, match="has no agency “不存在處”"):
        call_command("export", "book", "--city", "基隆市", "--period", "109-112", "--agency", "不存在處",
                     "--out", str(out))
    assert not out.exists()
    call_command("export", "book", "--city", "基隆市", "--period", "109-112", "--agency", "民政",
                 "--format", "docx", "--out", str(out.with_suffix(".docx")))
    assert out.with_suffix(".docx").read_bytes()[:2] == b"PK"


@pytest.fixture
def small(world):
    """民政處: one KPI, a goal without KPIs, no common goals, no sections, but priorities."""
    chapter = world.civil_chapter
    last = max(chapter.goals.values_list("order", flat=True), default=0)  # the factory's orders run on
    Goal.objects.create(chapter=chapter, kind=GoalKind.KEY, order=last + 1, name="尚無指標之目標", perspective="行政效率")
    chapter.priorities = ["第一項重點", "第二項重點"]
    chapter.save()
    return world


def test_a_small_chapter_in_every_format(small):
    import docx
    import pdfplumber
    from odfdo import Document as Odf

    request = _request(small, agency=small.civil)
    odt = Odf(io.BytesIO(export(request)))
    headings = [str(h).strip() for h in odt.body.get_elements("text:h")]
    assert "三、未來四年施政重點" in headings  # the priorities stand in for the missing 貳 sections
    assert not Section.objects.filter(chapter=small.civil_chapter).exists()

    # a 參 section the goals replace is dropped; one of the city's own follows the tables
    Section.objects.create(chapter=small.civil_chapter, order=1, label="參、一", heading="關鍵策略目標",
                           text="(一) 舊的目標清單")
    Section.objects.create(chapter=small.civil_chapter, order=2, label="參、五", heading="其他補充",
                           text="(一) 補充說明")
    odt = Odf(io.BytesIO(export(request)))
    headings = [str(h).strip() for h in odt.body.get_elements("text:h")]
    assert headings[-1] == "五、其他補充" and headings[-2] == "四、共同性指標、衡量標準及年度目標值"
    texts = [str(p) for p in odt.body.get_elements("text:p")]
    assert any("補充說明" in t for t in texts) and not any("舊的目標清單" in t for t in texts)
    tables = {t.name: t for t in odt.body.get_tables()}
    rows = tables["民政處關鍵績效指標"].get_elements("table:table-row")  # the body rows
    assert len(rows) == 2  # the KPI, the goal without KPIs
    assert "尚無指標之目標（行政效率）" in str(rows[-1].get_elements("table:table-cell")[1].get_element("text:p"))
    assert len(tables["民政處共同性指標"].get_elements("descendant::table:table-row")) == 2  # headers only

    word = docx.Document(io.BytesIO(export(_request(small, fmt="docx", agency=small.civil))))
    texts = [p.text for p in word.paragraphs]
    assert "（一）\t第一項重點" in texts and "里鄰建設服務案件數" in [c.text for c in word.tables[0].rows[2].cells]
    assert [c.text for c in word.tables[0].rows[2].cells][7:] == ["350件", "360件", "370件", "380件"]

    with pdfplumber.open(io.BytesIO(export(_request(small, fmt="pdf", agency=small.civil)))) as pdf:
        text = "".join(page.extract_text() or "" for page in pdf.pages)
    assert "尚無指標之目標（行政效率）" in text and "380件" in text


def test_numbering_helpers():
    assert [chinese_number(n) for n in (1, 10, 11, 20, 21, 99, 100, 105)] == [
        "一", "十", "十一", "二十", "二十一", "九十九", "一百", "一百零五"]
    assert [chinese_number(n, capital=True) for n in (1, 10, 11, 20)] == ["壹", "拾", "拾壹", "貳拾"]
    assert split_marker("(一) 整體改善") == (1, "（一）", "整體改善")
    assert split_marker("（十二）外籍配偶輔導") == (1, "（十二）", "外籍配偶輔導")
    assert split_marker("1、改善里鄰設施") == (2, "1、", "改善里鄰設施")
    assert split_marker(" - (1) 照顧弱勢") == (0, "", "- (1) 照顧弱勢")  # the importer has already cleaned lines
    assert split_marker("(1) 照顧弱勢") == (3, "（1）", "照顧弱勢")
    assert split_marker("民國 109 年") == (0, "", "民國 109 年")
    paragraphs = prose("本局現有策略：\n(一) 甲\n1、乙\n續行文字\n(二) 丙")
    assert [(p.level, p.marker, p.text) for p in paragraphs] == [
        (0, "", "本局現有策略："), (1, "（一）", "甲"), (2, "1、", "乙"), (2, "", "續行文字"), (1, "（二）", "丙")]
    assert item_indent(1, "（一）") == (4.5, 3.5)
    left, hang = item_indent(1, "（十一）")
    assert left == 4.5 and hang > 4  # a wide marker hangs further out; the text keeps its indent


def test_table_grid_and_row_groups():
    table = Table(header=[[Cell("a", rowspan=2), Cell("b", colspan=2)], [Cell("b1"), Cell("b2")]],
                  body=[[Cell("g", rowspan=2), Cell("x"), Cell("y")], [Cell("x2"), Cell("y2")],
                        [Cell("h"), Cell("z"), Cell("w")]], widths=[1, 1, 1])
    grid = table.grid(table.header)
    assert [[(c.text, origin) for c, origin in row] for row in grid] == [
        [("a", True), ("b", True), ("b", False)], [("a", False), ("b1", True), ("b2", True)]]
    assert [[row[0].text for row in group] for group in table.row_groups()] == [["g", "x2"], ["h"]]
    with pytest.raises(ValueError, match="too many cells"):
        Table(header=[], body=[[Cell(), Cell(), Cell()]], widths=[1, 1]).grid([[Cell(), Cell(), Cell()]])


def test_the_writers_take_any_document():
    """The writers are generic: a document without contents or body start, a table with a caption, bold text."""
    from civicplan.reports.docx import write_docx
    from civicplan.reports.odt import write_odt
    from civicplan.reports.pdf import write_pdf

    doc = Document(title="測試報告")
    doc.add(Heading(1, "標題", number="壹、"))
    doc.add(Paragraph("粗體說明", bold=True))
    doc.add(Table(header=[[Cell("名稱"), Cell("值", align="right")]], body=[[Cell("甲"), Cell("1", align="right")]],
                  widths=[3, 1], caption="表一"))
    assert write_odt(doc)[:2] == write_docx(doc)[:2] == b"PK"
    assert write_pdf(doc).startswith(b"%PDF")
