"""The tables of a SourceText, whatever their form, as blocks of rows of cells with their line numbers.

- real tables (DOCX, ODT, HTML, PDF): the reader's `Table` objects, one block each;
- markdown pipe tables (`| a | b |`, the `|---|` separator row skipped, `<br>` inside a cell joined);
- TAB-separated lines (text converted from a document, or typed as TAB tables): consecutive TAB lines.

A blank line or a line of ordinary text ends a pipe or TAB block. The table mappers decide which blocks are
tables they understand (by the header row) and which continue the block before them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from civicplan.importing.document import SourceText
from civicplan.importing.readers.builder import cell_text

_PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$|^\s*[^|\s][^|]*\|[^|]*\|")
_PIPE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
_PIPE_SPLIT = re.compile(r"(?<!\\)\|")
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_EMPHASIS = re.compile(r"^(\*\*|__)(.+)\1$")


@dataclass
class Block:
    kind: str  # table | pipe | tab
    rows: list[list[str]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)  # the 1-based line of each row
    pages: list[int | None] = field(default_factory=list)
    ragged: bool = False  # pipe/TAB rows did not all have the same number of cells

    @property
    def first_line(self) -> int:
        return self.lines[0]

    @property
    def last_line(self) -> int:
        return self.lines[-1]


def pipe_cells(text: str) -> list[str]:
    """The cells of one markdown pipe-table row (outer pipes dropped, `\\|` unescaped, `<br>` joined)."""
    text = text.strip()
    if text.startswith("|"):
        text = text[1:]
    if text.endswith("|") and not text.endswith("\\|"):
        text = text[:-1]
    cells = []
    for cell in _PIPE_SPLIT.split(text):
        cell = cell.replace("\\|", "|").strip()
        match = _EMPHASIS.match(cell)
        if match:
            cell = match.group(2).strip()
        cells.append(cell_text(_BR.split(cell)) if "<" in cell else cell)
    return cells


def table_blocks(source: SourceText) -> list[Block]:
    """All table blocks of the source, in line order."""
    if source.tables:
        blocks = []
        for table in source.tables:
            pages = [source.lines[n - 1].page if 0 < n <= len(source.lines) else table.page
                     for n in table.row_lines]
            blocks.append(Block("table", [list(row) for row in table.rows], list(table.row_lines), pages))
        return blocks
    blocks: list[Block] = []
    current: Block | None = None
    for line in source.lines:
        text = line.text
        kind = None
        if "|" in text and _PIPE_ROW.match(text):
            kind = "pipe"
        elif "\t" in text and text.strip():
            kind = "tab"
        if kind is None:
            current = None
            continue
        if kind == "pipe" and _PIPE_SEPARATOR.match(text):
            continue
        cells = pipe_cells(text) if kind == "pipe" else [cell.strip() for cell in text.split("\t")]
        if current is None or current.kind != kind:
            current = Block(kind)
            blocks.append(current)
        elif len(cells) != len(current.rows[0]):
            current.ragged = True
        current.rows.append(cells)
        current.lines.append(line.number)
        current.pages.append(line.page)
    return blocks
