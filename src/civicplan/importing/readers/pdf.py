"""PDF via pdfplumber: the text layer as lines with their page numbers, ruled tables as TAB rows.

On each page the tables pdfplumber finds (`find_tables`, ruling lines) are written one row per line
(TAB-separated cells; a merged cell once, in its first grid cell, the grid cells it covers empty) and the text
outside them as lines, all in reading order from the top of the page. Pages are the PDF's physical pages
(1-based), not the printed page numbers. Line numbers are sequential in the produced text.

A PDF without a text layer (a scan) cannot be read here: it needs OCR first, and says so.
"""

from __future__ import annotations

import io

from civicplan.importing.document import ReadError, SourceText
from civicplan.importing.readers.builder import LineWriter, cell_text


def _inside(obj: dict, boxes: list[tuple[float, float, float, float]]) -> bool:
    x = (obj["x0"] + obj["x1"]) / 2
    y = (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)


def _page_items(page) -> list[tuple[float, int, object]]:
    """(top, order, item) for the page: item is a str (a text line) or a list of rows (a table)."""
    items: list[tuple[float, int, object]] = []
    tables = page.find_tables()
    boxes = [table.bbox for table in tables]
    for table in tables:
        rows = [[cell_text([cell or ""]) for cell in row] for row in table.extract()]
        if rows:
            items.append((table.bbox[1], 1, rows))
    outside = page
    if boxes:
        outside = page.filter(lambda obj: obj.get("object_type") != "char" or not _inside(obj, boxes))
    for line in outside.extract_text_lines(return_chars=False):
        items.append((line["top"], 0, line["text"]))
    items.sort(key=lambda item: (item[0], item[1]))
    return items


def read_pdf(data: bytes, name: str, sha256: str) -> SourceText:
    import pdfplumber

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        pages = pdf.pages
    except Exception as error:  # pdfminer raises many kinds (PSEOF, PDFSyntaxError, …) for a broken file
        raise ReadError(name, f"the PDF is damaged or truncated ({_describe(error)})") from None
    out = LineWriter()
    chars = 0
    with pdf:
        for number, page in enumerate(pages, start=1):
            try:
                chars += len(page.chars)
                items = _page_items(page)
            except Exception as error:
                raise ReadError(f"{name}, page {number}",
                                f"the page cannot be read ({_describe(error)})") from None
            for _, _, item in items:
                if isinstance(item, str):
                    out.text(item, number)
                else:
                    out.table(item, [number] * len(item))
            page.close()
    if not pages:
        raise ReadError(name, "the PDF has no pages")
    if chars == 0 or not out.has_text():
        raise ReadError(name, f"no text layer on any of its {len(pages)} page(s): scanned? run OCR first")
    return SourceText(name=name, sha256=sha256, kind="pdf", encoding="binary", lines=out.lines,
                      tables=out.tables)


def _describe(error: Exception) -> str:
    text = str(error).strip()
    kind = type(error).__name__
    if "password" in text.lower() or "encrypt" in text.lower() or kind == "PDFPasswordIncorrect":
        return "it is encrypted: remove the password first"
    return f"{kind}: {text}" if text else kind
