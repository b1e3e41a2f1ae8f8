"""What a reader gives the parsers: the file's text as numbered lines, each with its page where known.

Line numbers are 1-based and, for .txt/.md files, are the file's own line numbers (HTML, docx, odt, pdf: lines of the
produced text, in document order), so that every
imported field can cite them. Readers of documents with real tables (docx, odt, pdf, html) write each table
row as one line of TAB-separated cells (inside a cell, line breaks become "\\n"-free joined text) and also keep
the tables as `Table` objects with the line of each row.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class ReadError(ValueError):
    """A file that cannot be read as a plan book: says what and where; nothing has been imported."""

    def __init__(self, where: str, message: str):
        super().__init__(f"{where}: {message}")
        self.where = where


@dataclass
class Line:
    number: int  # 1-based line number in the text the reader produced (= the file's line for txt/md/html)
    text: str
    page: int | None = None


@dataclass
class Table:
    """A real table of the source document: rows of cell texts, with the line each row was written to."""

    rows: list[list[str]]
    row_lines: list[int]
    page: int | None = None


@dataclass
class SourceText:
    name: str  # file name as given (no folders)
    sha256: str
    kind: str  # txt | md | html | docx | odt | pdf
    encoding: str  # utf-8, utf-8-sig, utf-16, cp950 … ("binary" for docx/odt/pdf)
    lines: list[Line] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)

    def text(self, first: int, last: int) -> str:
        """The text of lines first..last (1-based, inclusive), joined with newlines."""
        return "\n".join(line.text for line in self.lines[first - 1:last])
