"""The prose of a Keelung chapter: 使命, 願景, 施政重點, the narrative sections and the 參、一/參、二 goal lists.

Every chapter has the same skeleton (seeds-keelung.md §1.5): 壹、使命及願景 (一、使命 二、願景), 貳、施政重點
(一、二、三、), 參、關鍵策略目標… (一、關鍵策略目標 二、共同性目標 三、KPI table 四、common table). Headings are
recognised by their marker (壹、 / 一、), never by the `- ` prefix or the indentation, which are unreliable.

Each non-blank line is a paragraph or a list item. A line without a list marker that follows a line without a
sentence end continues it: a page break cut the paragraph (e.g. `- 成，並於中正區…` continuing the line above).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from civicplan.importing.document import Line
from civicplan.importing.tables.keelung_text import (
    ANY_MARKER,
    L1_HEADING,
    L2_HEADING,
    L3_MARKER,
    SENTENCE_END,
    clean,
    cn_number,
    join_fragments,
    split_perspective,
    strip_list_prefix,
)

_STATED = re.compile(r"(\d+)\s*[項個]?\s*[\u4e00-\u9fff]{0,4}\s*[（(]\s*(關鍵策略目標|關鍵績效指標)\s*[）)]")
_PAGE_LINE = 30  # a paragraph cut by a page break leaves a full line; headings are shorter
_STATED_KEYS = {"關鍵策略目標": "key_goals", "關鍵績效指標": "key_indicators"}


@dataclass
class Item:
    pieces: list[str]
    first: int
    last: int
    page: int | None

    @cached_property
    def text(self) -> str:
        """Read once all the item's lines are in (read_blocks finishes an item before anyone asks)."""
        return clean(join_fragments(self.pieces))


@dataclass
class Block:
    """One 二級 section (一、…) with its parent 一級 heading (壹、…)."""

    l1: str
    l2: str
    heading: str
    line: int
    page: int | None
    items: list[Item] = field(default_factory=list)
    has_table: bool = False

    @property
    def label(self) -> str:
        return f"{self.l1}、{self.l2}" if self.l2 else self.l1

    @property
    def last(self) -> int:
        return self.items[-1].last if self.items else self.line

    def text(self) -> str:
        return "\n".join(item.text for item in self.items)


@dataclass
class ListedGoal:
    """A goal as the chapter's 參、一 (or 參、二) list prints it."""

    label: str
    number: int | None
    name: str
    perspective: str | None
    line: int
    description: list[str] = field(default_factory=list)


@dataclass
class ChapterProse:
    blocks: list[Block]
    mission: str = ""
    vision: str = ""
    priorities: list[str] = field(default_factory=list)
    key_goals: list[ListedGoal] = field(default_factory=list)
    common_goals: list[ListedGoal] = field(default_factory=list)
    stated_counts: dict[str, int] = field(default_factory=dict)
    stated_lines: dict[str, int] = field(default_factory=dict)


def _continues(previous: str, text: str) -> bool:
    """`text` continues `previous` across a page break: it has no list marker, and `previous` is a long line
    (the last of a page) without a sentence end; a short heading such as `(一) 環境情勢分析` is never continued."""
    previous = previous.rstrip()
    return (len(previous) >= _PAGE_LINE and not previous.endswith(SENTENCE_END) and not ANY_MARKER.match(text))


def read_blocks(lines: list[Line]) -> list[Block]:
    blocks: list[Block] = []
    l1 = ""
    block: Block | None = None
    for line in lines:
        raw = line.text
        if not raw.strip():
            continue
        if "\t" in raw:
            if block is not None:
                block.has_table = True
            continue
        stripped = raw.strip()
        heading = L1_HEADING.match(stripped)
        if heading and not raw.startswith((" ", "-")):
            l1 = heading.group(1)
            block = None
            continue
        heading = L2_HEADING.match(stripped) if l1 and not raw.startswith((" ", "-")) else None
        if heading:
            block = Block(l1=l1, l2=heading.group(1), heading=clean(heading.group(2)), line=line.number,
                          page=line.page)
            blocks.append(block)
            continue
        if block is None:
            if not l1:
                continue  # the chapter title's surroundings
            block = Block(l1=l1, l2="", heading="", line=line.number, page=line.page)
            blocks.append(block)
        text = strip_list_prefix(raw).strip()
        previous = block.items[-1] if block.items else None
        if previous and _continues(previous.pieces[-1], text):
            previous.pieces.append(text)
            previous.last = line.number
        else:
            block.items.append(Item(pieces=[text], first=line.number, last=line.number, page=line.page))
    return blocks


def _listed(block: Block) -> list[ListedGoal]:
    goals: list[ListedGoal] = []
    for item in block.items:
        text = item.text
        marker = L3_MARKER.match(text)
        if marker:
            name, perspective, _ = split_perspective(text[marker.end():])
            goals.append(ListedGoal(label=marker.group(1), number=cn_number(marker.group(1)), name=name,
                                    perspective=perspective, line=item.first))
        elif goals:
            goals[-1].description.append(text)
    return goals


def _priorities(block: Block) -> list[str]:
    out = []
    for item in block.items:
        text = item.text
        marker = L3_MARKER.match(text)
        if marker:
            out.append(text[marker.end():].strip())
    return out


def read_prose(lines: list[Line]) -> ChapterProse:
    blocks = read_blocks(lines)
    prose = ChapterProse(blocks=blocks)
    for block in blocks:
        if block.has_table:
            continue
        heading = block.heading
        if "使命" in heading and not prose.mission:
            prose.mission = block.text()
        elif "願景" in heading and not prose.vision:
            prose.vision = block.text()
        elif "施政重點" in heading and not prose.priorities:
            prose.priorities = _priorities(block)
        elif "關鍵策略目標" in heading and not prose.key_goals:
            prose.key_goals = _listed(block)
        elif "共同性目標" in heading and not prose.common_goals:
            prose.common_goals = _listed(block)
        for item in block.items:
            for match in _STATED.finditer(item.text):
                key = _STATED_KEYS[match.group(2)]
                prose.stated_counts.setdefault(key, int(match.group(1)))
                prose.stated_lines.setdefault(key, item.first)
    return prose
