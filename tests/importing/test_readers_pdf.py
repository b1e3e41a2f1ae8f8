"""The PDF reader, on PDFs this module writes by hand (the machine has no PDF writer).

A tiny PDF writer: text lines and ruled tables, CJK included, no PDF library needed.

The machine has no PDF writer (no LibreOffice, WeasyPrint or reportlab), so the tests write PDF by hand. ASCII
text uses the standard Helvetica font; other text uses a Type0 font with Identity-H encoding and a ToUnicode
CMap (the font program is not embedded: viewers substitute a CJK font; text extraction needs only the CMap),
with every glyph 1 em wide. Tables are drawn as one stroked rectangle per cell, which is what pdfplumber's
`find_tables` looks for.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field

import pytest

from civicplan.importing.document import ReadError
from civicplan.importing.readers import read_bytes, read_file

PAGE_WIDTH, PAGE_HEIGHT = 842, 595  # A4 landscape, points


def _is_cjk(ch: str) -> bool:
    return ord(ch) >= 0x2E80


@dataclass
class Page:
    ops: list[str] = field(default_factory=list)


class PdfWriter:
    def __init__(self) -> None:
        self.pages: list[Page] = []
        self.codes: dict[str, int] = {}

    def page(self) -> Page:
        self.pages.append(Page())
        return self.pages[-1]

    # drawing -------------------------------------------------------------------------------------
    def text(self, page: Page, x: float, y: float, text: str, size: float = 10) -> None:
        """One line of text with its baseline at y (points from the bottom)."""
        if all(ord(ch) < 128 for ch in text):
            escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            page.ops.append(f"BT /F0 {size} Tf 1 0 0 1 {x:.2f} {y:.2f} Tm ({escaped}) Tj ET")
            return
        hexcodes = "".join(f"{self._code(ch):04X}" for ch in text)
        page.ops.append(f"BT /F1 {size} Tf 1 0 0 1 {x:.2f} {y:.2f} Tm <{hexcodes}> Tj ET")

    def rect(self, page: Page, x: float, y: float, width: float, height: float) -> None:
        page.ops.append(f"0.5 w {x:.2f} {y:.2f} {width:.2f} {height:.2f} re S")

    def _code(self, ch: str) -> int:
        if ch not in self.codes:
            self.codes[ch] = len(self.codes) + 1
        return self.codes[ch]

    # output --------------------------------------------------------------------------------------
    def _to_unicode(self) -> bytes:
        entries = sorted(self.codes.items(), key=lambda item: item[1])
        blocks = []
        for start in range(0, len(entries), 100):
            chunk = entries[start:start + 100]
            lines = "\n".join(f"<{code:04X}> <{ch.encode('utf-16-be').hex().upper()}>" for ch, code in chunk)
            blocks.append(f"{len(chunk)} beginbfchar\n{lines}\nendbfchar")
        body = "\n".join(blocks)
        return (
            "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
            "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
            f"{body}\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
        ).encode("ascii")

    def build(self, *, compress: bool = True) -> bytes:
        objects: list[bytes] = []

        def add(content: bytes | str) -> int:
            objects.append(content.encode("latin-1") if isinstance(content, str) else content)
            return len(objects)

        def stream(data: bytes, extra: str = "") -> bytes:
            if compress:
                data = zlib.compress(data)
                extra += " /Filter /FlateDecode"
            return f"<< /Length {len(data)}{extra} >>\nstream\n".encode() + data + b"\nendstream"

        catalog = add("")  # filled below
        pages_id = add("")
        helvetica = add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
        descriptor = add("<< /Type /FontDescriptor /FontName /MingLiU /Flags 4 /FontBBox [0 -200 1000 900] "
                         "/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>")
        cid_font = add("<< /Type /Font /Subtype /CIDFontType2 /BaseFont /MingLiU /CIDSystemInfo << /Registry "
                       f"(Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor {descriptor} 0 R "
                       "/DW 1000 /CIDToGIDMap /Identity >>")
        to_unicode = add(stream(self._to_unicode()))
        cjk = add(f"<< /Type /Font /Subtype /Type0 /BaseFont /MingLiU /Encoding /Identity-H "
                  f"/DescendantFonts [{cid_font} 0 R] /ToUnicode {to_unicode} 0 R >>")
        kids = []
        for page in self.pages:
            content = add(stream("\n".join(page.ops).encode("ascii")))
            kids.append(add(f"<< /Type /Page /Parent {pages_id} 0 R /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}] "
                            f"/Resources << /Font << /F0 {helvetica} 0 R /F1 {cjk} 0 R >> >> "
                            f"/Contents {content} 0 R >>"))
        objects[catalog - 1] = f"<< /Type /Catalog /Pages {pages_id} 0 R >>".encode()
        objects[pages_id - 1] = (f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] "
                                 f"/Count {len(kids)} >>").encode()
        out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        for number, content in enumerate(objects, start=1):
            offsets.append(len(out))
            out += f"{number} 0 obj\n".encode() + content + b"\nendobj\n"
        xref = len(out)
        out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
        for offset in offsets:
            out += f"{offset:010d} 00000 n \n".encode()
        out += f"trailer\n<< /Size {len(objects) + 1} /Root {catalog} 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
        return bytes(out)


def wrap(text: str, capacity: int) -> list[str]:
    """Lines of at most `capacity` characters, broken only where normalise.join_pieces joins them back to the
    same text: next to a CJK character (not at a space), or at a space between a letter and a letter/digit."""
    lines: list[str] = []
    while len(text) > capacity:
        for cut in range(capacity, 0, -1):
            before, after = text[cut - 1], text[cut]
            if before != " " and after != " " and (_is_cjk(before) or _is_cjk(after)):
                lines.append(text[:cut])
                text = text[cut:]
                break
            if after == " " and before.isascii() and before.isalpha() and text[cut + 1:cut + 2].isascii() \
                    and text[cut + 1:cut + 2].isalnum():
                lines.append(text[:cut])
                text = text[cut + 1:]
                break
        else:
            raise ValueError(f"cannot wrap {text!r} in {capacity} characters without breaking a word")
    lines.append(text)
    return lines


def draw_table(writer: PdfWriter, header: list[str], rows: list[list[str]], widths: list[int], *,
               top: float = PAGE_HEIGHT - 60, size: float = 6, heading: str | None = None,
               page: Page | None = None) -> Page:
    """Rows of cells (widths in characters), continued on new pages with the header repeated; returns the
    last page. A heading is written above the table on its first page."""
    leading, pad, left = size * 1.25, 2.0, 20.0
    col_width = [w * size + 2 * pad for w in widths]

    def new_page() -> tuple[Page, float]:
        return writer.page(), PAGE_HEIGHT - 40

    if page is None:
        page, y = new_page()
    else:
        y = top
    if heading:
        writer.text(page, left, y, heading, size=12)
        y -= 24

    def draw_row(page: Page, y: float, cells: list[str]) -> float:
        wrapped = [wrap(cell, width) if cell else [] for cell, width in zip(cells, widths)]
        height = max(1, max(len(lines) for lines in wrapped)) * leading + 2 * pad
        x = left
        for lines, width in zip(wrapped, col_width):
            writer.rect(page, x, y - height, width, height)
            for n, line in enumerate(lines):
                writer.text(page, x + pad, y - pad - size * 0.9 - n * leading, line, size=size)
            x += width
        return y - height

    def row_height(cells: list[str]) -> float:
        return max(1, max(len(wrap(c, w)) if c else 1 for c, w in zip(cells, widths))) * leading + 2 * pad

    y = draw_row(page, y, header)
    for cells in rows:
        if y - row_height(cells) < 30:
            page, y = new_page()
            y = draw_row(page, y, header)
        y = draw_row(page, y, cells)
    return page


# -- the tests --------------------------------------------------------------------------------------


def _two_pages() -> bytes:
    writer = PdfWriter()
    first = writer.page()
    writer.text(first, 40, 540, "Medium-term plan 2020-2023", size=14)
    writer.text(first, 40, 510, "Civil Affairs Department")
    second = writer.page()
    writer.text(second, 40, 540, "Finance Department")
    writer.text(second, 40, 520, "基隆市政府 PM2.5 監測")
    return writer.build()


def test_pdf_lines_keep_their_page_numbers():
    source = read_bytes(_two_pages(), "plan.pdf")
    assert [(line.number, line.text, line.page) for line in source.lines] == [
        (1, "Medium-term plan 2020-2023", 1),
        (2, "Civil Affairs Department", 1),
        (3, "Finance Department", 2),
        (4, "基隆市政府 PM2.5 監測", 2),
    ]
    assert (source.kind, source.encoding, source.tables) == ("pdf", "binary", [])


def test_pdf_table_rows_become_tab_lines_with_their_tables():
    writer = PdfWriter()
    page = writer.page()
    writer.text(page, 20, 555, "民政處", size=12)
    rows = [["一", "公立納骨塔改建工程細部規劃", "1. 役男入營報到後即為其辦理在營意外保險。2. 保險時間為 1 年。", "5 件"],
            ["", "", "辦理次數", "100%"]]
    draw_table(writer, ["序號", "關鍵策略目標", "衡量標準", "109年"], rows, [3, 8, 12, 6], page=page, top=530)
    writer.text(page, 20, 60, "note below the table")
    source = read_bytes(writer.build(), "table.pdf")
    texts = [line.text for line in source.lines]
    assert texts == ["民政處", "序號\t關鍵策略目標\t衡量標準\t109年", "\t".join(rows[0]), "\t".join(rows[1]),
                     "note below the table"]
    (table,) = source.tables
    assert table.rows[1] == rows[0]  # a cell wrapped over three lines is joined back
    assert table.row_lines == [2, 3, 4] and table.page == 1
    assert all(line.page == 1 for line in source.lines)


def test_pdf_table_continued_on_the_next_page_keeps_the_pages():
    writer = PdfWriter()
    draw_table(writer, ["No", "Name"], [[str(n), f"row {n}"] for n in range(60)], [4, 10], size=10)
    source = read_bytes(writer.build(), "long.pdf")
    assert len(source.tables) == 2 and [t.page for t in source.tables] == [1, 2]
    assert source.tables[1].rows[0] == ["No", "Name"]  # the header printed again on page 2
    data_rows = [row for table in source.tables for row in table.rows if row != ["No", "Name"]]
    assert data_rows == [[str(n), f"row {n}"] for n in range(60)]


def test_pdf_without_a_text_layer_asks_for_ocr(tmp_path):
    writer = PdfWriter()
    for _ in range(2):
        page = writer.page()
        writer.rect(page, 50, 50, 700, 480)  # a scan would be an image; either way there are no characters
    path = tmp_path / "scan.pdf"
    path.write_bytes(writer.build())
    with pytest.raises(ReadError, match=r"scan\.pdf: no text layer.*scanned\? run OCR first"):
        read_file(path)


def test_truncated_pdf_is_a_read_error(tmp_path):
    data = _two_pages()
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: len(data) // 3])
    with pytest.raises(ReadError, match=r"cut\.pdf"):
        read_file(path)


def test_pdf_with_garbage_after_its_header_is_a_read_error(tmp_path):
    path = tmp_path / "junk.pdf"
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 20)
    with pytest.raises(ReadError, match=r"junk\.pdf.*(damaged|no text layer|no pages)"):
        read_file(path)


def test_file_named_pdf_that_is_not_a_pdf(tmp_path):
    path = tmp_path / "fake.pdf"
    path.write_bytes(b"just some text, not a PDF")
    with pytest.raises(ReadError, match=r"fake\.pdf: this is not a PDF file"):
        read_file(path)
