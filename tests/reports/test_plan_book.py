"""The 中程施政計畫 book of the real Keelung 109–112 seed (`civicplan export book`): the seed imported once, the 民政處
book and the whole city's book exported in ODT, DOCX and PDF, and each read back with its own library — odfdo,
python-docx, pdfplumber: the headings in order, every KPI of the agency with its 評估體制, 評估方式, 衡量標準 and its
target for each year in its row, the goals merged over their KPIs, the 評估體制 legend under the table, the
common-indicator table, header rows repeated, the contents and the pages they name, the fonts. The 民政處 PDF is
also rendered to PNG with pdftoppm (poppler-utils).

What is expected is read from the database the seed was imported into, never copied from the seed book.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile

import pytest
from django.db import transaction

pytestmark = pytest.mark.django_db  # (also makes pytest-django create the test database for the module fixture)

KEELUNG = "000_f42f77be8cbf6647.txt"  # Keelung 109–112, 20 agencies (../shared/docs/seeds-keelung.md)
AGENCY = "民政處"
YEARS = [109, 110, 111, 112]
PART_HEADINGS = [  # the skeleton every Keelung chapter prints (seeds-keelung.md §1.5)
    "壹、使命及願景", "一、使命", "二、願景",
    "貳、施政重點", "一、現有計畫執行成效檢討", "二、環境情勢分析及優先發展課題", "三、未來四年施政重點",
    "參、關鍵策略目標、共同性目標、關鍵績效指標及共同性指標", "一、關鍵策略目標", "二、共同性目標",
    "三、關鍵績效指標、衡量標準及年度目標值", "四、共同性指標、衡量標準及年度目標值",
]
KPI_HEADER = ["序號", "關鍵策略目標", "編號", "關鍵績效指標", "評估體制", "評估方式", "衡量標準", "年度績效目標值"]
COMMON_HEADER = ["序號", "共同性目標", "編號", "共同性指標", "評估體制", "評估方式", "衡量標準", "年度績效目標值"]
CAPITALS = ["壹", "貳", "參", "肆", "伍", "陸", "柒", "捌", "玖", "拾", "拾壹", "拾貳", "拾參", "拾肆", "拾伍", "拾陸",
            "拾柒", "拾捌", "拾玖", "貳拾"]


def squash(text) -> str:
    """Text compared without whitespace: cells wrap lines, and a wrap may eat a space."""
    return re.sub(r"\s+", "", text or "")


def _chapter_facts(chapter) -> dict:
    """What the book must print for a chapter, from the database: title, goals with their KPIs and targets."""
    from civicplan.plans.models import GoalKind

    facts = {"agency": chapter.agency.name, GoalKind.KEY: [], GoalKind.COMMON: []}
    for goal in chapter.goals.prefetch_related("indicators__targets"):
        name = f"{goal.name}（{goal.perspective}）" if goal.perspective else goal.name
        kpis = []
        for indicator in goal.indicators.all():
            targets = {t.year: t.raw for t in indicator.targets.all()}
            kpis.append({"name": indicator.name, "eval_system": indicator.eval_system,
                         "method": indicator.eval_method, "standard": indicator.standard,
                         "targets": [targets.get(y, "—") for y in YEARS]})
        facts[goal.kind].append({"name": name, "kpis": kpis})
    return facts


@pytest.fixture(scope="module")
def keelung(django_db_setup, django_db_blocker, seeds_dir):
    """The Keelung seed imported once (rolled back after the module); the books exported; the facts to check."""
    from django.contrib.auth import get_user_model

    from civicplan.agencies.models import Agency
    from civicplan.exports import ExportRequest, export
    from civicplan.importing.pipeline import parse_file
    from civicplan.plans.loading import do_import_plan

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            operator = get_user_model().objects.create_superuser("book-operator", password="x")
            cycle = do_import_plan(parse_file(seeds_dir / KEELUNG).document, actor=operator,
                                   reason="book tests").cycle
            agency = Agency.objects.get(city=cycle.city, name=AGENCY)
            chapters = list(cycle.chapters.select_related("agency").order_by("order", "id"))
            books = {}
            for scope, who in (("agency", agency), ("city", None)):
                for fmt in ("odt", "docx", "pdf"):
                    books[scope, fmt] = export(ExportRequest(kind="book", fmt=fmt, city=cycle.city, cycle=cycle,
                                                             agency=who))
            yield {
                "books": books,
                "facts": _chapter_facts(next(c for c in chapters if c.agency_id == agency.pk)),
                "agencies": [c.agency.name for c in chapters],
                "legend": sorted(cycle.city.eval_system_legend.items()),
                "kpi_count": sum(g.indicators.count() for c in chapters for g in c.goals.all()),
            }
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _key_rows(facts):
    """(goal number, goal name, KPI number, KPI) for each KPI of the key goals, in book order."""
    from civicplan.plans.models import GoalKind

    for g, goal in enumerate(facts[GoalKind.KEY], start=1):
        for k, kpi in enumerate(goal["kpis"], start=1):
            yield g, goal["name"], k, kpi


def _common_rows(facts):
    from civicplan.plans.models import GoalKind

    for g, goal in enumerate(facts[GoalKind.COMMON], start=1):
        for k, kpi in enumerate(goal["kpis"], start=1):
            yield g, goal["name"], k, kpi


def _check_rows(rows: list[list[str]], expected, what: str) -> None:
    """`rows`: the table's body rows as 11 texts each ('' where a goal's merged cell covers the slot)."""
    expected = list(expected)
    assert len(rows) == len(expected), f"{what}: {len(rows)} rows, expected {len(expected)}"
    for row, (g, goal, k, kpi) in zip(rows, expected):
        where = f"{what} {g}.{k} {kpi['name']}"
        if k == 1:
            assert row[0] == str(g) and squash(row[1]) == squash(goal), where
        else:
            assert row[0] == "" and row[1] == "", f"{where}: goal cells are merged over the goal's KPIs"
        assert row[2] == str(k), where
        assert squash(row[3]) == squash(kpi["name"]), where
        assert row[4] == kpi["eval_system"] and squash(row[5]) == squash(kpi["method"]), where
        assert squash(row[6]) == squash(kpi["standard"]), where
        assert [squash(t) for t in row[7:]] == [squash(t) for t in kpi["targets"]], where


# ODT ---------------------------------------------------------------------------------------------------------

def _odt(data: bytes):
    from odfdo import Document

    return Document(io.BytesIO(data))


def _t(element) -> str:
    """The text of an ODT paragraph, heading or table cell (its paragraphs, one per line), tabs as spaces."""
    if element.tag in ("text:p", "text:h"):
        return str(element).replace("\t", " ").strip()
    return "\n".join(_t(p) for p in element.get_elements("text:p"))


def _odt_rows(table) -> tuple[list[list[str]], list[list[str]]]:
    """(header rows, body rows) of an ODT table, covered cells as ''."""
    header_rows = table.get_element("table:table-header-rows")
    head = [[_t(c) if c.tag == "table:table-cell" else "" for c in r.children]
            for r in header_rows.get_elements("table:table-row")] if header_rows is not None else []
    body = []
    for row in table.get_elements("table:table-row"):
        if row.parent.tag == "table:table-header-rows":
            continue
        body.append([_t(c) if c.tag == "table:table-cell" else "" for c in row.children])
    return head, body


def test_odt_agency_book_headings_tables_legend_contents(keelung):
    facts = keelung["facts"]
    doc = _odt(keelung["books"]["agency", "odt"])
    body = doc.body
    headings = [_t(h) for h in body.get_elements("text:h")]
    assert headings[0] == "基隆市政府民政處中程施政計畫（109 至 112 年度）"
    assert headings[1:] == PART_HEADINGS
    assert [h.get_attribute_integer("text:outline-level") for h in body.get_elements("text:h")[:3]] == [1, 2, 3]

    tables = {t.name: t for t in body.get_tables()}
    head, rows = _odt_rows(tables[f"{AGENCY}關鍵績效指標"])
    assert head[0][:8] == KPI_HEADER and head[1][7:] == [f"{y}年" for y in YEARS]
    assert head[0][0] and head[1][0] == "", "序號 spans both header rows (covered below)"
    first = tables[f"{AGENCY}關鍵績效指標"].get_element("table:table-header-rows").get_element("table:table-row")
    assert first.get_element("table:table-cell").get_attribute("table:number-rows-spanned") == "2"
    _check_rows(rows, _key_rows(facts), "ODT KPI")
    head, rows = _odt_rows(tables[f"{AGENCY}共同性指標"])
    assert head[0][:8] == COMMON_HEADER
    _check_rows(rows, _common_rows(facts), "ODT common")
    assert len(rows) == 3

    # the legend follows the KPI table, before 四、
    flat = list(body.children)
    kpi_at = next(i for i, el in enumerate(flat) if el.tag == "table:table")
    after = [_t(el) for el in flat[kpi_at + 1:kpi_at + 4 + len(keelung["legend"])]]
    assert after[:2] == ["註：", "評估體制之數字代號意義如下："]
    assert [squash(t) for t in after[2:-1]] == [squash(f"{code}.{text}") for code, text in keelung["legend"]]
    assert after[-1] == "四、共同性指標、衡量標準及年度目標值"

    # the contents: a real table of contents over index marks, each entry a link to its heading with a page field
    toc = body.get_element("text:table-of-content")
    assert toc is not None
    source = toc.get_element("text:table-of-content-source")
    assert source.get_attribute("text:use-index-marks") in (True, "true")
    entries = toc.get_element("text:index-body").get_elements("text:p")  # the entries (the title is apart)
    assert _t(toc.get_element("text:index-body").get_element("text:index-title/text:p")) == "目錄"
    marks = [m.get_attribute("text:string-value") for m in body.get_elements("//text:toc-mark")]
    assert marks == [headings[0], *PART_HEADINGS]
    bookmarks = {b.get_attribute("text:name") for b in body.get_elements("//text:bookmark-start")}
    refs = [r.get_attribute("text:ref-name") for r in toc.get_elements("//text:bookmark-ref")]
    assert len(refs) == len(marks) and set(refs) <= bookmarks
    assert len(entries) == len(marks)
    for entry, mark in zip(entries, marks):  # (odfdo prints a link as [text](#target))
        assert squash(mark) in squash(_t(entry))


def test_odt_pages_fonts_and_repeated_header_rows(keelung):
    doc = _odt(keelung["books"]["agency", "odt"])
    styles = doc.styles.serialize().decode()
    content = doc.content.serialize().decode()
    assert 'style:print-orientation="landscape"' in styles and 'style:print-orientation="portrait"' in styles
    assert "<text:page-number" in styles, "the page number is in the footers"
    assert 'style:font-name-asian="Noto Serif CJK TC"' in styles and "Noto Sans CJK TC" in styles
    assert 'style:language-asian="zh" style:country-asian="TW"' in styles
    assert 'style:master-page-name="Book_Landscape"' in content  # the tables' pages are landscape
    assert 'style:page-number="1"' in content  # numbered from the first chapter
    for table in doc.body.get_tables():
        assert table.get_element("table:table-header-rows") is not None, table.name
        assert len(table.get_element("table:table-header-rows").get_elements("table:table-row")) == 2
    assert doc.meta.language == "zh-TW"


def test_odt_city_book_has_every_chapter_and_kpi(keelung):
    doc = _odt(keelung["books"]["city", "odt"])
    body = doc.body
    chapters = [_t(h) for h in body.get_elements("text:h") if h.get_attribute_integer("text:outline-level") == 1]
    assert len(chapters) == len(keelung["agencies"]) == 20
    for title, agency in zip(chapters, keelung["agencies"]):
        assert agency in title and title.endswith("中程施政計畫（109 至 112 年度）")
    marks = [m.get_attribute("text:string-value") for m in body.get_elements("//text:toc-mark")]
    assert marks == [f"{CAPITALS[n]}、{a}" for n, a in enumerate(keelung["agencies"])]
    tables = body.get_tables()
    assert len(tables) == 40
    kpis = sum(len(_odt_rows(t)[1]) for t in tables if t.name.endswith("關鍵績效指標"))
    commons = sum(len(_odt_rows(t)[1]) for t in tables if t.name.endswith("共同性指標"))
    assert kpis + commons == keelung["kpi_count"]
    _, rows = _odt_rows(next(t for t in tables if t.name == f"{AGENCY}關鍵績效指標"))
    _check_rows(rows, _key_rows(keelung["facts"]), "city ODT KPI")


# DOCX --------------------------------------------------------------------------------------------------------

def _docx(data: bytes):
    import docx

    return docx.Document(io.BytesIO(data))


def _docx_rows(table) -> tuple[list[list[str]], list[list[str]]]:
    """(header rows, body rows) as texts; a cell merged over rows or columns reads '' where it is continued."""
    from docx.oxml.ns import qn

    head, body = [], []
    for tr in table._tbl.tr_lst:
        texts = []
        for tc in tr.tc_lst:
            span = tc.tcPr.find(qn("w:gridSpan")) if tc.tcPr is not None else None
            merge = tc.tcPr.find(qn("w:vMerge")) if tc.tcPr is not None else None
            continued = merge is not None and merge.get(qn("w:val")) in (None, "continue")
            text = "" if continued else "\n".join(
                "".join(t.text or "" for t in p.iter(qn("w:t"))) for p in tc.iter(qn("w:p")))
            texts.append(text.strip())
            texts.extend([""] * (int(span.get(qn("w:val"))) - 1 if span is not None else 0))
        header = tr.trPr is not None and tr.trPr.find(qn("w:tblHeader")) is not None
        (head if header else body).append(texts)
    return head, body


def _docx_table(doc, header: list[str], agency_index: int = 0):
    tables = [t for t in doc.tables if _docx_rows(t)[0] and _docx_rows(t)[0][0][:8] == header]
    return tables[agency_index]


def test_docx_agency_book_headings_tables_legend_contents(keelung):
    from docx.enum.section import WD_ORIENT
    from docx.oxml.ns import qn

    facts = keelung["facts"]
    doc = _docx(keelung["books"]["agency", "docx"])
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings == ["基隆市政府民政處中程施政計畫（109 至 112 年度）", *PART_HEADINGS]
    assert [p.style.name for p in doc.paragraphs if p.style.name.startswith("Heading")][:3] == [
        "Heading 1", "Heading 2", "Heading 3"]

    head, rows = _docx_rows(_docx_table(doc, KPI_HEADER))
    assert len(head) == 2 and head[1][7:] == [f"{y}年" for y in YEARS]
    _check_rows(rows, _key_rows(facts), "DOCX KPI")
    head, rows = _docx_rows(_docx_table(doc, COMMON_HEADER))
    _check_rows(rows, _common_rows(facts), "DOCX common")

    texts = [p.text for p in doc.paragraphs]
    at = texts.index("註：")
    assert texts[at + 1] == "評估體制之數字代號意義如下："
    assert [squash(t) for t in texts[at + 2:at + 2 + len(keelung["legend"])]] == [
        squash(f"{code}.{text}") for code, text in keelung["legend"]]
    assert texts[at + 2 + len(keelung["legend"])] == "四、共同性指標、衡量標準及年度目標值"

    # the contents: a TOC field over TC fields, updated when the file is opened
    xml = doc.element.body.xml
    assert 'TOC \\f \\l "1-3" \\h \\z' in xml
    assert len(re.findall(r"> TC &quot;|> TC \"", xml)) == len(headings)
    assert doc.settings.element.find(qn("w:updateFields")).get(qn("w:val")) == "true"
    bookmarks = {b.get(qn("w:name")) for b in doc.element.body.iter(qn("w:bookmarkStart"))}
    pagerefs = re.findall(r"PAGEREF (\S+) \\h", xml)
    assert len(pagerefs) == len(headings) and set(pagerefs) <= bookmarks
    toc = [p.text for p in doc.paragraphs if p.style.name.startswith("toc ")]
    assert [squash(t).rstrip("?") for t in toc] == [squash(h) for h in headings]

    # pages: portrait, landscape for the tables, portrait again; numbered from the first chapter
    orientations = [s.orientation for s in doc.sections]
    assert orientations == [WD_ORIENT.PORTRAIT, WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE]
    assert doc.sections[1]._sectPr.find(qn("w:pgNumType")).get(qn("w:start")) == "1"
    assert "PAGE" in doc.sections[1].footer._element.xml
    assert not doc.sections[0].footer.is_linked_to_previous or not doc.sections[0].footer.paragraphs[0].text


def test_docx_fonts_language_and_header_rows(keelung):
    from docx.oxml.ns import qn

    doc = _docx(keelung["books"]["agency", "docx"])
    normal = doc.styles["Normal"].element.rPr
    fonts = normal.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "Noto Serif CJK TC" and fonts.get(qn("w:ascii")) == "Noto Serif CJK TC"
    assert normal.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-TW"
    heading = doc.styles["Heading 1"].element.rPr.find(qn("w:rFonts"))
    assert heading.get(qn("w:eastAsia")) == "Noto Sans CJK TC"
    for table in doc.tables:
        marked = [tr.trPr is not None and tr.trPr.find(qn("w:tblHeader")) is not None for tr in table._tbl.tr_lst]
        assert marked[:2] == [True, True] and not any(marked[2:])
    assert doc.core_properties.language == "zh-TW"


def test_docx_city_book_has_every_chapter_and_kpi(keelung):
    doc = _docx(keelung["books"]["city", "docx"])
    chapters = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert [c for c in chapters] == [
        f"基隆市{'' if a.endswith('局') else '政府'}{a}中程施政計畫（109 至 112 年度）" for a in keelung["agencies"]]
    toc = [p.text for p in doc.paragraphs if p.style.name.startswith("toc ")]
    assert [t.rstrip("?").strip() for t in toc] == [f"{CAPITALS[n]}、{a}" for n, a in enumerate(keelung["agencies"])]
    rows = sum(len(_docx_rows(t)[1]) for t in doc.tables)
    assert rows == keelung["kpi_count"]


# PDF ---------------------------------------------------------------------------------------------------------

def _pdf_pages(data: bytes):
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [{"text": page.extract_text() or "", "landscape": page.width > page.height,
                 "tables": page.extract_tables() if page.width > page.height else [],
                 "fonts": {c["fontname"] for c in page.chars}} for page in pdf.pages]


@pytest.fixture(scope="module")
def agency_pdf(keelung):
    return _pdf_pages(keelung["books"]["agency", "pdf"])


def _footer_number(page) -> int | None:
    last = page["text"].strip().splitlines()[-1] if page["text"].strip() else ""
    return int(last) if last.isdigit() else None


def _pdf_table_rows(pages, header: list[str]):
    """The body rows of the tables (one per chapter) whose header is `header`, over their pages; every part of a
    table on a page starts with the two header rows again. Returns a list of tables, each a list of rows."""
    tables, current = [], None
    for page in pages:
        for table in page["tables"]:
            rows = [[(c or "").replace("\n", "") for c in row] for row in table]
            assert len(rows) >= 2 and [squash(c) for c in rows[0][:8]] in (KPI_HEADER, COMMON_HEADER), \
                "each part of a table starts with the header rows"
            assert rows[1][7:] == [f"{y}年" for y in YEARS]
            if [squash(c) for c in rows[0][:8]] != header:
                continue
            body = rows[2:]
            if body and body[0][0] == "1" and body[0][2] == "1":
                current = []
                tables.append(current)
            current.extend(body)
    return tables


def test_pdf_agency_book_headings_tables_legend(keelung, agency_pdf):
    facts = keelung["facts"]
    text = "\n".join(p["text"] for p in agency_pdf)
    lines = [squash(line) for line in text.splitlines()]
    at = lines.index(squash("基隆市政府民政處中程施政計畫（109 至 112 年度）"), 3)  # after the cover and contents
    for heading in PART_HEADINGS:
        at = lines.index(squash(heading), at + 1)  # each heading after the one before it
    assert all(p["landscape"] for p in agency_pdf if "年度績效目標值" in p["text"])
    assert not agency_pdf[2]["landscape"]
    kpi_tables = _pdf_table_rows(agency_pdf, KPI_HEADER)
    assert len(kpi_tables) == 1
    _check_rows(kpi_tables[0], _key_rows(facts), "PDF KPI")
    assert len([p for p in agency_pdf if p["tables"] and "關鍵策略目標" in p["text"]]) >= 2, \
        "the KPI table spans pages, with its header rows on each"
    common = _pdf_table_rows(agency_pdf, COMMON_HEADER)
    assert len(common) == 1
    _check_rows(common[0], _common_rows(facts), "PDF common")

    squashed = squash("\n".join(p["text"] for p in agency_pdf[2:]))  # after the contents
    legend = squash("註：評估體制之數字代號意義如下：" + "".join(f"{c}.{t}" for c, t in keelung["legend"]))
    assert legend in squashed
    assert squashed.index(legend) < squashed.index(squash("四、共同性指標、衡量標準及年度目標值"))


def test_pdf_contents_page_numbers_point_at_the_headings(agency_pdf):
    contents = agency_pdf[1]["text"].splitlines()
    assert contents[0] == "目錄"
    entries = []
    for line in contents[1:]:
        match = re.fullmatch(r"(.+?)\.{3,}\s*(\d+)", line.strip())
        assert match, f"contents line without a page number: {line!r}"
        entries.append((match[1], int(match[2])))
    assert [squash(e[0]) for e in entries] == [squash("基隆市政府民政處中程施政計畫（109 至 112 年度）")] + [
        squash(h) for h in PART_HEADINGS]
    by_number = {_footer_number(p): p for p in agency_pdf if _footer_number(p) is not None}
    assert _footer_number(agency_pdf[0]) is None and _footer_number(agency_pdf[1]) is None  # cover, contents
    assert _footer_number(agency_pdf[2]) == 1
    for heading, number in entries:
        page_lines = [squash(line) for line in by_number[number]["text"].splitlines()]
        assert squash(heading) in page_lines, f"{heading} is not on page {number}"
    assert [n for _, n in entries] == sorted(n for _, n in entries)


def test_pdf_embeds_the_noto_cjk_fonts(keelung, agency_pdf, tmp_path):
    fonts = set().union(*(p["fonts"] for p in agency_pdf))
    assert any("Noto-Serif-CJK-TC" in f for f in fonts) and any("Noto-Sans-CJK-TC" in f for f in fonts), fonts
    import pdfplumber

    with pdfplumber.open(io.BytesIO(keelung["books"]["agency", "pdf"])) as pdf:
        doc = pdf.doc
        embedded = set()
        from pdfminer.pdftypes import resolve1

        for page in pdf.pages:
            for ref in (resolve1(page.page_obj.resources.get("Font")) or {}).values():
                font = resolve1(ref)
                for descendant in resolve1(font.get("DescendantFonts")) or [font]:
                    descriptor = resolve1(resolve1(descendant).get("FontDescriptor")) or {}
                    if any(k in descriptor for k in ("FontFile", "FontFile2", "FontFile3")):
                        embedded.add(resolve1(descendant).get("BaseFont").name)
        assert doc is not None
    assert any("Noto-Serif-CJK-TC" in f for f in embedded) and any("Noto-Sans-CJK-TC" in f for f in embedded)
    if shutil.which("pdffonts"):  # poppler-utils: the same seen by another reader
        pdf = tmp_path / "book.pdf"
        pdf.write_bytes(keelung["books"]["agency", "pdf"])
        listing = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
        cjk = [line.split() for line in listing.splitlines()[2:] if "CJK" in line]
        assert cjk and all(row[-5] == "yes" for row in cjk), listing  # the "emb" column


def test_pdf_city_book_contents_and_every_kpi(keelung):
    pages = _pdf_pages(keelung["books"]["city", "pdf"])
    contents = [line for line in pages[1]["text"].splitlines()[1:]]
    entries = [re.fullmatch(r"(.+?)\.{3,}\s*(\d+)", line.strip()) for line in contents]
    assert [m[1] for m in entries] == [f"{CAPITALS[n]}、{a}" for n, a in enumerate(keelung["agencies"])]
    by_number = {_footer_number(p): p for p in pages if _footer_number(p) is not None}
    for match, agency in zip(entries, keelung["agencies"]):
        first_line = squash(by_number[int(match[2])]["text"].splitlines()[0])
        assert first_line.startswith(squash(f"基隆市{'' if agency.endswith('局') else '政府'}{agency}中程施政計畫"))
    kpi_tables = _pdf_table_rows(pages, KPI_HEADER)
    common = _pdf_table_rows(pages, COMMON_HEADER)
    assert len(kpi_tables) == len(common) == 20
    assert sum(len(t) for t in kpi_tables + common) == keelung["kpi_count"]
    _check_rows(kpi_tables[0], _key_rows(keelung["facts"]), "city PDF KPI")


def test_pdf_pages_render_to_png(keelung, tmp_path):
    """pdftoppm renders every page of the 民政處 book; the pictures are kept in tmp_path to be looked at."""
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm is missing: install poppler-utils to render the PDF pages to PNG")
    pdf = tmp_path / "民政處.pdf"
    pdf.write_bytes(keelung["books"]["agency", "pdf"])
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(tmp_path / "page")], check=True, timeout=120)
    pictures = sorted(tmp_path.glob("page-*.png"))
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        shapes = [page.width > page.height for page in doc.pages]
    assert len(pictures) == len(shapes) >= 8
    from PIL import Image

    for picture, landscape in zip(pictures, shapes):
        with Image.open(picture) as image:
            assert image.convert("L").getextrema()[0] < 64, f"{picture.name} is blank"
            assert (image.width > image.height) == landscape, picture.name
    assert shapes[:3] == [False, False, False] and shapes[-1], "cover, contents, text portrait; tables landscape"


def test_the_files_are_what_they_say(keelung):
    books = keelung["books"]
    with zipfile.ZipFile(io.BytesIO(books["agency", "odt"])) as odt:
        assert odt.read("mimetype") == b"application/vnd.oasis.opendocument.text"
        assert odt.namelist()[0] == "mimetype"
    with zipfile.ZipFile(io.BytesIO(books["agency", "docx"])) as docx:
        assert "word/document.xml" in docx.namelist()
    assert books["agency", "pdf"].startswith(b"%PDF-")
