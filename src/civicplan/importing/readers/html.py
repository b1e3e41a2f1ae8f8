"""HTML: tags stripped, block elements as lines, each <table> row as one TAB-separated line.

Line numbers are sequential in the text this reader produces (one line per block element or table row), not
the lines of the HTML source: an HTML file's layout says nothing about what a reader sees. Pages are unknown.
Inline markup (<b>, <sub>, <span> …) is removed without a space, so PM<sub>2.5</sub> reads PM2.5. Within a
table, colspan and rowspan keep the columns aligned: a spanned cell is written once, in its first grid cell,
and the cells it covers are left empty (also in the rows below for a rowspan). A nested table is flattened
into the text of its outer cell.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from civicplan.importing.document import Line, Table
from civicplan.importing.readers.builder import LineWriter, cell_text

_BLOCK = frozenset(
    "address article aside blockquote body caption center dd details dialog div dl dt fieldset figcaption "
    "figure footer form h1 h2 h3 h4 h5 h6 header hr html legend li main nav ol p pre section summary title ul"
    .split()
)
_SKIP = frozenset({"script", "style", "template", "noscript", "svg", "object", "iframe"})
_SPACE = re.compile(r"[ \t\r\n\f\u200b]+")


class _Table:
    def __init__(self) -> None:
        self.rows: list[list[str]] = []
        self.row: list[str] | None = None
        self.cell: list[str] | None = None  # pieces of the open cell
        self.span = (1, 1)  # (colspan, rowspan) of the open cell
        self.pending: dict[int, int] = {}  # grid column → rows still covered by a rowspan from above

    def start_row(self) -> None:
        self.end_row()
        self.row = []

    def start_cell(self, colspan: int, rowspan: int) -> None:
        self.end_cell()
        if self.row is None:
            self.start_row()
        self.cell = [""]
        self.span = (colspan, rowspan)

    def end_cell(self) -> None:
        if self.cell is None:
            return
        row = self.row
        self._fill_covered(row)
        colspan, rowspan = self.span
        first = len(row)
        row.append(cell_text(self.cell))
        row.extend([""] * (colspan - 1))
        if rowspan > 1:
            for column in range(first, first + colspan):
                self.pending[column] = rowspan - 1
        self.cell = None

    def _fill_covered(self, row: list[str]) -> None:
        while self.pending.get(len(row), 0) > 0:
            self.pending[len(row)] -= 1
            row.append("")

    def end_row(self) -> None:
        self.end_cell()
        if self.row is None:
            return
        row = self.row
        self._fill_covered(row)  # rowspans from above that end the row
        self.rows.append(row)
        self.row = None


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out = LineWriter()
        self.buffer: list[str] = []
        self.tables: list[_Table] = []
        self.skip = 0
        self.pre = 0

    # text outside tables -------------------------------------------------------------------------
    def flush(self) -> None:
        text = "".join(self.buffer)
        self.buffer = []
        if self.pre:
            for piece in text.split("\n"):
                if piece.strip():
                    self.out.text(piece.rstrip())
            return
        text = text.strip()
        if text:
            self.out.text(text)

    def _in_cell(self) -> bool:
        return bool(self.tables) and (isinstance(self.tables[-1], _Nested) or self.tables[-1].cell is not None)

    def _piece(self, text: str = "") -> None:
        """Start a new piece of the open cell (a line break inside it), holding text."""
        table = self.tables[-1]
        if isinstance(table, _Nested):
            table.pieces.extend([text, ""])
        else:
            table.cell.extend([text, ""])

    def _break(self) -> None:
        """A line break: inside a table cell it separates pieces, elsewhere it ends the line."""
        if self._in_cell():
            self._piece()
        elif not self.tables:
            self.flush()

    # parser events -------------------------------------------------------------------------------
    def handle_starttag(self, tag, attrs):
        if tag in _SKIP:
            self.skip += 1
            return
        if self.skip:
            return
        if tag == "table":
            if self._in_cell():  # a nested table: flattened into the outer cell
                self.tables.append(_Nested())
                return
            self.flush()
            self.tables.append(_Table())
        elif tag == "tr" and self.tables:
            self.tables[-1].start_row()
        elif tag in ("td", "th") and self.tables:
            attributes = dict(attrs)
            self.tables[-1].start_cell(_span(attributes.get("colspan")), _span(attributes.get("rowspan")))
        elif tag == "pre":
            self.flush()
            self.pre += 1
        elif tag == "br" or tag in _BLOCK:
            self._break()

    def handle_endtag(self, tag):
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
            return
        if self.skip:
            return
        if tag == "table" and self.tables:
            table = self.tables.pop()
            if isinstance(table, _Nested):
                if self._in_cell():
                    self._piece(table.text())
                return
            table.end_row()
            self.out.table([row for row in table.rows if row])
        elif tag == "tr" and self.tables:
            self.tables[-1].end_row()
        elif tag in ("td", "th") and self.tables:
            self.tables[-1].end_cell()
        elif tag == "pre":
            self.flush()
            self.pre = max(0, self.pre - 1)
        elif tag in _BLOCK:
            self._break()

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in ("br", "hr", "img", "input", "meta", "link", "col", "wbr"):
            self.handle_endtag(tag)

    def handle_data(self, data):
        if self.skip:
            return
        if not self.pre:
            data = _SPACE.sub(" ", data)
        if self.tables:
            table = self.tables[-1]
            if isinstance(table, _Nested):
                table.add(data)
            elif table.cell is not None:
                table.cell[-1] += data
            # text between cells (outside any td) is layout whitespace: dropped
        else:
            self.buffer.append(data)

    def close(self):
        super().close()
        while self.tables:
            table = self.tables.pop()
            if isinstance(table, _Nested):
                continue
            table.end_row()
            self.out.table([row for row in table.rows if row])
        self.flush()


class _Nested:
    """A table inside a table cell: its cells become pieces of the outer cell."""

    cell = None

    def __init__(self) -> None:
        self.pieces: list[str] = [""]

    def add(self, data: str) -> None:
        self.pieces[-1] += data

    def start_row(self) -> None:
        self.pieces.append("")

    def start_cell(self, colspan: int, rowspan: int) -> None:
        self.pieces.append("")

    def end_cell(self) -> None:
        self.pieces.append("")

    def end_row(self) -> None:
        self.pieces.append("")

    def text(self) -> str:
        return cell_text(self.pieces)


def _span(value) -> int:
    try:
        return max(1, min(int(str(value).strip()), 1000))
    except (TypeError, ValueError):
        return 1


def read_html(text: str) -> tuple[list[Line], list[Table]]:
    parser = _Parser()
    parser.feed(text)
    parser.close()
    return parser.out.lines, parser.out.tables


def html_lines(text: str) -> list[Line]:
    """The lines of an HTML document (sequential numbers in the produced text; see the module docstring)."""
    return read_html(text)[0]
