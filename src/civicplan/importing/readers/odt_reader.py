"""ODT (OpenDocument Text) via odfdo: headings, paragraphs, lists and tables in document order.

Tables: every `table:table-row` is one TAB line. ODF writes the grid cells a span covers as
`table:covered-table-cell`; they are written as empty strings, so a merged cell appears once, in its first
grid cell, and the columns stay aligned. Repeated cells and rows (`number-columns-repeated`,
`number-rows-repeated`) are expanded; a run of repeated empty rows (spreadsheet-style padding) counts once.

Pages: LibreOffice saves its pagination as `text:soft-page-break`; pages are counted from those (and from
nothing else). A document without them has unknown pages (None).
"""

from __future__ import annotations

import io
import zipfile
import zlib

from civicplan.importing.document import ReadError, SourceText
from civicplan.importing.readers.builder import LineWriter, cell_text

_PARAGRAPHS = {"text:p", "text:h"}
_CONTAINERS = {"text:list", "text:list-item", "text:list-header", "text:section", "text:table-of-content",
               "text:index-body", "text:alphabetical-index", "text:illustration-index", "text:table-index",
               "text:user-index", "text:object-index", "text:bibliography", "office:text", "text:index-title"}
_ROW_GROUPS = {"table:table-header-rows", "table:table-rows", "table:table-row-group"}
_SKIP_IN_TEXT = {"text:note-body", "office:annotation", "text:tracked-changes", "draw:frame", "draw:custom-shape",
                 "text:bookmark-ref", "text:sequence-decls", "text:variable-decls"}
_MAX_REPEAT = 1000


class _Walker:
    def __init__(self, body) -> None:
        self.out = LineWriter()
        has_breaks = bool(body.get_elements("//text:soft-page-break"))
        self.page: int | None = 1 if has_breaks else None

    def _next_page(self) -> None:
        if self.page is not None:
            self.page += 1

    def inline(self, element, buffer: list[str], segments: list[tuple[str, int | None]]) -> None:
        """The text of an element's content (its own tail is the caller's)."""
        buffer.append(element.text or "")
        for child in element.children:
            tag = child.tag
            if tag == "text:s":
                buffer.append(" " * int(child.get_attribute("text:c") or 1))
            elif tag == "text:tab":
                buffer.append("\t")
            elif tag == "text:line-break":
                buffer.append("\n")
            elif tag == "text:soft-page-break":
                if "".join(buffer).strip():
                    segments.append(("".join(buffer), self.page))
                    buffer.clear()
                self._next_page()
            elif tag not in _SKIP_IN_TEXT:
                self.inline(child, buffer, segments)
            buffer.append(child.tail or "")

    def paragraph(self, element) -> list[tuple[str, int | None]]:
        segments: list[tuple[str, int | None]] = []
        buffer: list[str] = []
        self.inline(element, buffer, segments)
        segments.append(("".join(buffer), self.page))
        return segments

    def cell(self, element) -> str:
        pieces: list[str] = []
        for child in element.children:
            if child.tag in _PARAGRAPHS:
                pieces.extend(text for text, _ in self.paragraph(child))
            elif child.tag == "table:table":
                for row in self.table_rows(child)[0]:
                    pieces.extend(row)
            elif child.tag in _CONTAINERS:
                pieces.append(self.cell(child))
        return cell_text(pieces)

    def _rows(self, element):
        for child in element.children:
            if child.tag == "table:table-row":
                yield child
            elif child.tag in _ROW_GROUPS:
                yield from self._rows(child)
            elif child.tag == "text:soft-page-break":
                self._next_page()

    def table_rows(self, table) -> tuple[list[list[str]], list[int | None]]:
        rows: list[list[str]] = []
        pages: list[int | None] = []
        for row in self._rows(table):
            cells: list[str] = []
            for cell in row.children:
                if cell.tag not in ("table:table-cell", "table:covered-table-cell"):
                    continue
                repeat = min(int(cell.get_attribute("table:number-columns-repeated") or 1), _MAX_REPEAT)
                text = self.cell(cell) if cell.tag == "table:table-cell" else ""
                cells.extend([text] * repeat)
            repeat = min(int(row.get_attribute("table:number-rows-repeated") or 1), _MAX_REPEAT)
            if not any(cells):
                repeat = 1
            rows.extend([cells] * repeat)
            pages.extend([self.page] * repeat)
        return rows, pages

    def block(self, element) -> None:
        for child in element.children:
            tag = child.tag
            if tag in _PARAGRAPHS:
                for text, page in self.paragraph(child):
                    self.out.text(text, page)
            elif tag == "table:table":
                rows, pages = self.table_rows(child)
                self.out.table(rows, pages)
            elif tag == "text:soft-page-break":
                self._next_page()
            elif tag in _CONTAINERS:
                self.block(child)


def read_odt(data: bytes, name: str, sha256: str) -> SourceText:
    from lxml import etree
    from odfdo import Document

    try:
        document = Document(io.BytesIO(data))
        body = document.body
    except (zipfile.BadZipFile, KeyError, zlib.error, EOFError, etree.XMLSyntaxError, ValueError, TypeError,
            AttributeError) as error:
        raise ReadError(name, f"the ODT file is damaged ({type(error).__name__}: {error})") from None
    if body is None:
        raise ReadError(name, "the ODT file has no document body (content.xml)")
    walker = _Walker(body)
    walker.block(body)
    if not walker.out.has_text():
        raise ReadError(name, "the ODT document has no text (no paragraphs or table cells with text)")
    return SourceText(name=name, sha256=sha256, kind="odt", encoding="binary",
                      lines=walker.out.lines, tables=walker.out.tables)
