"""Writing a document's content as numbered lines: paragraphs as lines, table rows as TAB-separated lines.

Shared by the readers of documents with real tables (HTML, DOCX, ODT, PDF). A cell's internal line breaks are
joined with `normalise.join_pieces` (no space between CJK, one between words) and TABs inside a cell become
spaces, so that one row is always exactly one line with one TAB between neighbouring cells.
"""

from __future__ import annotations

from collections.abc import Iterable

from civicplan.importing.document import Line, Table
from civicplan.importing.normalise import join_pieces


def cell_text(pieces: Iterable[str]) -> str:
    """The text of one table cell from its pieces (paragraphs, lines), joined as a reader would write it."""
    parts = []
    for piece in pieces:
        parts.extend(piece.replace("\t", " ").replace("\r", "\n").split("\n"))
    return join_pieces(*parts)


class LineWriter:
    """Collects Lines (numbered from 1 in the order written) and Tables."""

    def __init__(self) -> None:
        self.lines: list[Line] = []
        self.tables: list[Table] = []

    def text(self, text: str, page: int | None = None) -> None:
        """One paragraph: each of its line breaks starts a new line."""
        for piece in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
            self.lines.append(Line(number=len(self.lines) + 1, text=piece.rstrip(), page=page))

    def table(self, rows: list[list[str]], pages: list[int | None] | None = None) -> Table | None:
        """Rows of cell texts (already joined) → one TAB line per row; ragged rows are padded on the right."""
        if not rows:
            return None
        width = max(len(row) for row in rows)
        pages = pages or [None] * len(rows)
        squared: list[list[str]] = []
        row_lines: list[int] = []
        for row, page in zip(rows, pages):
            cells = [cell.replace("\t", " ").replace("\n", " ") for cell in row] + [""] * (width - len(row))
            squared.append(cells)
            self.lines.append(Line(number=len(self.lines) + 1, text="\t".join(cells), page=page))
            row_lines.append(len(self.lines))
        table = Table(rows=squared, row_lines=row_lines, page=pages[0])
        self.tables.append(table)
        return table

    def has_text(self) -> bool:
        return any(line.text.strip() for line in self.lines)
