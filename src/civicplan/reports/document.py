"""A neutral document model for the official documents civicplan writes (the plan book, the performance report,
the tracking report): headings with their printed numbering, paragraphs, numbered items, tables with repeated
header rows and merged cells, notes, images, page breaks and page orientation.

A document is built once from the data (e.g. `reports.plan_book`) and handed to a writer: `reports.odt`
(odfdo), `reports.docx` (python-docx) or `reports.pdf` (WeasyPrint). The writers know nothing about plans; every
word they print is in the model. Pure Python, no Django.

Numbering is part of the text, as the seed books print it (壹、 一、 （一） 1、 （1）): headings carry their
`number` and `text` separately so that a writer can lay them out, and contents can show either.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

SANS = "Noto Sans CJK TC"
SERIF = "Noto Serif CJK TC"
LANG = "zh-TW"

Orientation = Literal["portrait", "landscape"]
Align = Literal["left", "center", "right"]


@dataclass
class Heading:
    """A heading. `level` 1 is the top (a book's chapter), 2 its parts (壹、), 3 their sections (一、) …"""

    level: int
    text: str
    number: str = ""  # printed numbering with its punctuation, e.g. "壹、" or "一、"; empty when none
    toc_text: str = ""  # what the contents show; default: the numbered heading
    anchor: str = ""  # a unique id (set by Document.add)
    in_toc: bool = True

    @property
    def full_text(self) -> str:
        return f"{self.number}{self.text}"

    @property
    def contents_text(self) -> str:
        return self.toc_text or self.full_text


@dataclass
class Paragraph:
    """Body text, or a numbered item when `marker` is given (（一） 1、 （1）…): `level` is its depth (0 = body text,
    1 = the first list level) and sets its indent; the marker hangs in front of the text."""

    text: str
    level: int = 0
    marker: str = ""
    style: Literal["body", "item", "note", "title", "subtitle", "center", "small"] = "body"
    bold: bool = False
    keep_with_next: bool = False  # on the same page as the next block (a note's lines, a caption)

    def __post_init__(self):
        if self.marker and self.style == "body":
            self.style = "item"


@dataclass
class Cell:
    text: str = ""
    rowspan: int = 1
    colspan: int = 1
    align: Align = "left"
    bold: bool = False


@dataclass
class Table:
    """A table: `header` rows are repeated on every page the table spans; a cell spanning rows or columns hides
    the cells it covers, which are simply left out of the later rows (as in HTML). `widths` are relative column
    widths (any unit). `name` is the table's name in the file (ODT), `caption` an optional title above it."""

    header: list[list[Cell]]
    body: list[list[Cell]]
    widths: list[float]
    name: str = ""
    caption: str = ""
    font_size: float = 9.0  # points
    keep_together: bool = False  # a short table kept on one page (with the heading before it)

    @property
    def columns(self) -> int:
        return len(self.widths)

    def row_groups(self) -> list[list[list[Cell]]]:
        """The body rows in groups that no merged cell crosses (a goal with its KPIs): writers keep a group on one
        page when it fits."""
        groups: list[list[list[Cell]]] = []
        reach = 0  # the last row index covered by a span of the current group
        for r, row in enumerate(self.body):
            if r > reach or not groups:
                groups.append([])
            groups[-1].append(row)
            reach = max(reach, r, *(r + cell.rowspan - 1 for cell in row))
        return groups

    def grid(self, rows: list[list[Cell]]) -> list[list[tuple[Cell, bool] | None]]:
        """The rows as a full grid: each slot holds (cell, is_origin) — is_origin False for the slots a span covers
        — or None where a row is short. Writers that need covered cells (ODT, DOCX) use this."""
        grid: list[list[tuple[Cell, bool] | None]] = [[None] * self.columns for _ in rows]
        for r, row in enumerate(rows):
            c = 0
            for cell in row:
                while c < self.columns and grid[r][c] is not None:
                    c += 1
                if c >= self.columns:
                    raise ValueError(f"table {self.name or self.caption}: row {r + 1} has too many cells")
                for dr in range(cell.rowspan):
                    for dc in range(cell.colspan):
                        if r + dr < len(rows) and c + dc < self.columns:
                            grid[r + dr][c + dc] = (cell, dr == 0 and dc == 0)
                c += cell.colspan
        return grid


@dataclass
class Image:
    """An image (SVG or PNG), `width_cm` wide, with an optional caption under it."""

    data: bytes
    mime: Literal["image/svg+xml", "image/png"]
    width_cm: float
    height_cm: float
    caption: str = ""


@dataclass
class PageBreak:
    """A new page; `orientation` changes the page shape from here on (None: keep it)."""

    orientation: Orientation | None = None


@dataclass
class Contents:
    """The table of contents: the headings of levels 1..depth with `in_toc`, and their page numbers."""

    title: str = "目錄"
    depth: int = 2


@dataclass
class BodyStart:
    """Where the numbered pages begin (page 1): everything before it (cover, contents) has no page number."""


Block = Heading | Paragraph | Table | Image | PageBreak | Contents | BodyStart


@dataclass
class Document:
    title: str
    blocks: list[Block] = field(default_factory=list)
    author: str = ""
    subject: str = ""
    lang: str = LANG

    def add(self, block: Block) -> Block:
        if isinstance(block, Heading) and not block.anchor:
            block.anchor = f"h{sum(1 for b in self.blocks if isinstance(b, Heading)) + 1}"
        self.blocks.append(block)
        return block

    def extend(self, blocks) -> None:
        for block in blocks:
            self.add(block)

    def headings(self, depth: int | None = None) -> list[Heading]:
        return [b for b in self.blocks if isinstance(b, Heading) and (depth is None or b.level <= depth)]

    def contents(self) -> Contents | None:
        return next((b for b in self.blocks if isinstance(b, Contents)), None)

    def toc_entries(self) -> list[Heading]:
        contents = self.contents()
        if contents is None:
            return []
        return [h for h in self.headings(contents.depth) if h.in_toc]


# Indents of numbered items, shared by the writers so that the three formats look alike -------------------------

# list level → (left indent of the text, room for the marker hanging in front of it), in em of the paragraph's
# font: （一） hangs 3.5 em from 4.5 em, 1、 2.5 em from 7 em (where the text of （一） begins), （1） from 10.5 em …
ITEM_INDENTS = {1: (4.5, 3.5), 2: (7.0, 2.5), 3: (10.5, 3.5), 4: (13.0, 2.5), 5: (16.5, 3.5)}
NOTE_INDENT = (1.5, 1.5)  # the legend's "1. …" lines


def text_em(text: str) -> float:
    """Rough printed width of `text` in em: CJK and full-width characters 1 em, others about half."""
    return sum(1.0 if ord(ch) >= 0x2E80 else 0.55 for ch in text)


def item_indent(level: int, marker: str = "", note: bool = False) -> tuple[float, float]:
    """(left indent, hanging) in em for an item of `level`; the hanging grows (leftwards) for a wide marker such as
    （十一）, so that the text still starts at the left indent."""
    left, hang = NOTE_INDENT if note else ITEM_INDENTS.get(max(1, min(level, 5)))
    if marker:
        hang = max(hang, round(text_em(marker) + 0.4, 1))
    return left, hang


# Numbering as the seed books print it --------------------------------------------------------------------------

_DIGITS = "零一二三四五六七八九"
_CAPITALS = "零壹貳參肆伍陸柒捌玖"


def chinese_number(n: int, capital: bool = False) -> str:
    """1 → 一 (壹), 10 → 十 (拾), 11 → 十一 (拾壹), 20 → 二十 (貳拾), 99 → 九十九; up to 999."""
    if not 0 < n < 1000:
        return str(n)
    digits, ten, hundred = (_CAPITALS, "拾", "佰") if capital else (_DIGITS, "十", "百")
    out = ""
    hundreds, rest = divmod(n, 100)
    if hundreds:
        out += digits[hundreds] + hundred
        if 0 < rest < 10:
            out += digits[0]
    tens, units = divmod(rest, 10)
    if tens:
        out += ("" if tens == 1 and not hundreds else digits[tens]) + ten
    if units:
        out += digits[units]
    return out


# The markers of the list levels in the books' prose, outermost first: （一） 1、 （1） A、
_MARKERS = [
    re.compile(r"^\s*[(（]\s*([一二三四五六七八九十百]+)\s*[)）]\s*"),
    re.compile(r"^\s*(\d{1,3})\s*[、]\s*"),
    re.compile(r"^\s*[(（]\s*(\d{1,3})\s*[)）]\s*"),
    re.compile(r"^\s*([A-Z])\s*[、]\s*"),
]


def split_marker(line: str) -> tuple[int, str, str]:
    """A line of prose → (level, marker as printed in the book, text): `(一) 整體…` → (1, "（一）", "整體…"),
    `1、改善…` → (2, "1、", "改善…"), `(1) 照顧…` → (3, "（1）", "照顧…"); a line without a marker → (0, "", line)."""
    for level, pattern in enumerate(_MARKERS, start=1):
        match = pattern.match(line)
        if match:
            value = match.group(1)
            marker = f"（{value}）" if level in (1, 3) else f"{value}、"
            return level, marker, line[match.end():].strip()
    return 0, "", line.strip()


def prose(text: str, base_level: int = 0) -> list[Paragraph]:
    """Text with one paragraph or item per line → paragraphs and numbered items, their levels from the markers.
    A paragraph without a marker after an item keeps the item's indent (its continuation)."""
    out: list[Paragraph] = []
    current = 0
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        level, marker, body = split_marker(line)
        if marker:
            current = level
            out.append(Paragraph(body, level=base_level + level, marker=marker))
        else:
            out.append(Paragraph(body, level=base_level + current))
    return out
