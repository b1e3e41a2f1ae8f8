"""DOCX (Word) via python-docx: paragraphs and tables in document order, tables as TAB rows.

Merged cells: python-docx's `row.cells` repeats a merged cell once per grid cell (the same `cell._tc`), and a
vertically merged cell again in every row it covers. This reader walks each row's `<w:tc>` elements instead,
which de-duplicates by the same identity: a cell is written once, in its first grid column; the other grid
columns of a horizontal span, the continuation rows of a vertical merge (`w:vMerge` without "restart") and the
grid columns a row skips (`w:gridBefore` / `w:gridAfter`) are written as empty strings, so that every row of
a table has the same columns.

Pages: a DOCX has no fixed pages. When Word saved its pagination (`w:lastRenderedPageBreak`), pages are
counted from those; else from hard page breaks (`<w:br w:type="page"/>`, "page break before"); a document
without any of them has unknown pages (None).
"""

from __future__ import annotations

import io
import zipfile
import zlib

from civicplan.importing.document import ReadError, SourceText
from civicplan.importing.readers.builder import LineWriter, cell_text


_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def _qn(tag: str) -> str:
    from docx.oxml.ns import qn

    return qn(tag)


class _Walker:
    def __init__(self, body) -> None:
        self.W_P, self.W_TBL, self.W_SDT = _qn("w:p"), _qn("w:tbl"), _qn("w:sdt")
        self.W_SDT_CONTENT, self.W_TC, self.W_TR = _qn("w:sdtContent"), _qn("w:tc"), _qn("w:tr")
        self.W_T, self.W_TAB, self.W_BR, self.W_CR = _qn("w:t"), _qn("w:tab"), _qn("w:br"), _qn("w:cr")
        self.W_RENDERED = _qn("w:lastRenderedPageBreak")
        self.W_HYPHEN = _qn("w:noBreakHyphen")
        self.W_TYPE = _qn("w:type")
        self.W_BREAK_BEFORE = _qn("w:pageBreakBefore")
        self.SKIP = {_qn("w:txbxContent"), _qn("w:pPr"), _qn("w:rPr"), _qn("w:del"), _qn("w:moveFrom"),
                     _qn("w:instrText"), _qn("w:delText"), _MC_FALLBACK}
        rendered = body.xpath(".//w:lastRenderedPageBreak")
        explicit = body.xpath('.//w:br[@w:type="page"] | .//w:pageBreakBefore')
        self.mode = "rendered" if rendered else "explicit" if explicit else None
        self.page: int | None = 1 if self.mode else None
        self.out = LineWriter()

    # pages ---------------------------------------------------------------------------------------
    def _next_page(self) -> None:
        if self.page is not None:
            self.page += 1

    # paragraphs ----------------------------------------------------------------------------------
    def paragraph_segments(self, p) -> list[tuple[str, int | None]]:
        """The paragraph's text split where a page begins: [(text, page)]."""
        segments: list[tuple[str, int | None]] = []
        buffer: list[str] = []
        if self.mode == "explicit":
            ppr = p.pPr
            if ppr is not None and ppr.find(self.W_BREAK_BEFORE) is not None:
                self._next_page()

        def page_break() -> None:
            text = "".join(buffer)
            if text.strip():
                segments.append((text, self.page))
            buffer.clear()
            self._next_page()

        def walk(element) -> None:
            for child in element.iterchildren():
                tag = child.tag
                if tag in self.SKIP:
                    continue
                if tag == self.W_T:
                    buffer.append(child.text or "")
                elif tag == self.W_TAB:
                    buffer.append("\t")
                elif tag == self.W_BR:
                    kind = child.get(self.W_TYPE)
                    if kind == "page":
                        if self.mode == "explicit":
                            page_break()
                    elif kind != "column":
                        buffer.append("\n")
                elif tag == self.W_CR:
                    buffer.append("\n")
                elif tag == self.W_HYPHEN:
                    buffer.append("-")
                elif tag == self.W_RENDERED:
                    if self.mode == "rendered":
                        page_break()
                elif isinstance(tag, str):
                    walk(child)

        walk(p)
        segments.append(("".join(buffer), self.page))
        return segments

    # tables --------------------------------------------------------------------------------------
    def cell(self, tc) -> str:
        pieces: list[str] = []
        for child in tc.iterchildren():
            if child.tag == self.W_P:
                pieces.extend(text for text, _ in self.paragraph_segments(child))
            elif child.tag == self.W_TBL:
                for row in self.table_rows(child)[0]:
                    pieces.extend(row)
            elif child.tag == self.W_SDT:
                content = child.find(self.W_SDT_CONTENT)
                if content is not None:
                    pieces.append(self.cell(content))
        return cell_text(pieces)

    def table_rows(self, tbl) -> tuple[list[list[str]], list[int | None]]:
        rows: list[list[str]] = []
        pages: list[int | None] = []
        for tr in tbl.iterchildren(self.W_TR):
            page = self.page
            cells = [""] * tr.grid_before
            for tc in tr.iterchildren(self.W_TC):
                span = tc.grid_span
                if tc.vMerge == "continue":  # covered by the cell above: written there
                    cells.extend([""] * span)
                else:
                    cells.append(self.cell(tc))
                    cells.extend([""] * (span - 1))
            cells.extend([""] * tr.grid_after)
            rows.append(cells)
            pages.append(page)
        return rows, pages

    # the body ------------------------------------------------------------------------------------
    def block(self, element) -> None:
        for child in element.iterchildren():
            if child.tag == self.W_P:
                for text, page in self.paragraph_segments(child):
                    self.out.text(text, page)
            elif child.tag == self.W_TBL:
                rows, pages = self.table_rows(child)
                self.out.table(rows, pages)
            elif child.tag == self.W_SDT:
                content = child.find(self.W_SDT_CONTENT)
                if content is not None:
                    self.block(content)


def read_docx(data: bytes, name: str, sha256: str) -> SourceText:
    import docx
    from lxml import etree

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, zlib.error, EOFError, etree.XMLSyntaxError, ValueError) as error:
        raise ReadError(name, f"the DOCX file is damaged or not a Word document ({error})") from None
    walker = _Walker(document.element.body)
    walker.block(document.element.body)
    if not walker.out.has_text():
        raise ReadError(name, "the DOCX document has no text (no paragraphs or table cells with text)")
    return SourceText(name=name, sha256=sha256, kind="docx", encoding="binary",
                      lines=walker.out.lines, tables=walker.out.tables)
