"""Chiayi layout family: rebuilding the cells of a table that the PDF conversion shattered into short lines.

Every cell comes out as its own run of short lines, cells in column order (goal → KPI no. → KPI → measure →
the year targets). The cues used, none of them tied to a particular book:

* a line without a trailing space is a soft wrap: the next line continues the same cell;
* a piece starting with `，`/`、`/`）`… continues the previous cell (a manual line break inside a cell);
* on one line, a space between two words of two or more ideographs separates two cells (short rows that ran
  together, `1 辦理市民集團結婚 參加對數 20 20 30 30`); spaces inside justified text (`色 宗 教`) do not;
* target values have a grammar (numbers, units, comparators, dashes); a value split over lines (`≧`/`2,000`/
  `萬筆`, `45,000`/`人次(因`/…) is joined; values form runs of one per year;
* text targets (`每年一`/`次` ×4, `依限`/`完成` ×4) are short pieces repeated once per year.

Here: pass 1, `Atomiser`, turns each line into atoms (text, value candidates, KPI and goal numbers, page
references, agency cells). chiayi_runs then decides which candidates are targets and joins text into cells.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from civicplan.importing.normalise import compatibility_to_unified
from civicplan.importing.tables.chiayi_text import PAGE_REF, clean_text, is_ideograph, width

_NUMBER = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\d{1,3},\d{1,2})"
_MULT = r"(?:萬\d*(?:千|,\d{3})?|千)?"
_UNIT = (r"(?:%|％|﹪|萬筆|人次|場次|小時|分鐘|萬元|億元|公里|公噸|公尺|件|人|次|場|項|處|臺|台|家|筆|案|日|天|分|元|公"
         r"|MW|kW|[A-Z])?")
VALUE = re.compile(rf"^[≧≦<>＜＞]?{_NUMBER}{_MULT}{_UNIT}(?:以上?)?(?:[(（][^()（）]{{0,8}}[)）]?)?$")
DATE = re.compile(r"^\d{1,2}/\d{1,2}$")
DASH = re.compile(r"^[-－—–]{1,3}$")
COMPARATOR = re.compile(r"^[≧≦<>＜＞]$")
UNIT_LINE = re.compile(rf"^(?:{_UNIT[3:-2]}|以上|上|\([^()]{{1,4}}\)|（[^（）]{{1,4}}）)$")
KPI_NUMBER = re.compile(r"^([1-9])$")
_CLASSIFIER = "個項次年月日時件場名位處家筆分秒"
NUMERALS = "一二三四五六七八九十"


def is_value_token(token: str) -> bool:
    return bool(VALUE.match(token) or DATE.match(token) or DASH.match(token) or COMPARATOR.match(token))


@dataclass
class Atom:
    kind: str  # T text · V value · NUM KPI number · GOAL goal numeral · PAGE page ref · UNIT agency (appendix)
    parts: list[tuple[int, str]]  # (line number, printed text)
    line_start: bool = True
    open: bool = False  # ends its line and the line has no trailing space: the cell goes on
    gap: int = 0  # spaces before it on its line
    sep_before: bool = False  # the space before it separates two cells
    alone: bool = False  # the only atom on its line
    value: object = None  # NUM: int; GOAL: numeral; PAGE: "P1-4"; UNIT: agency name
    clean_tail: bool = True  # V: every continuation line is short (a unit, an annotation)

    @property
    def first_line(self) -> int:
        return self.parts[0][0]

    @property
    def last_line(self) -> int:
        return self.parts[-1][0]

    def text(self) -> str:
        return clean_text(by_line(self.parts))


def by_line(parts: list[tuple[int, str]]) -> list[str]:
    """The printed text of each line (parts of one line rejoined with the space between them)."""
    lines: list[str] = []
    last = None
    for number, text in parts:
        if number == last:
            lines[-1] += " " + text
        else:
            lines.append(text)
        last = number
    return lines


@dataclass
class Piece:
    """A text cell (or what looks like one) with its printed lines."""

    parts: list[tuple[int, str]] = field(default_factory=list)

    @property
    def first_line(self) -> int:
        return self.parts[0][0]

    @property
    def last_line(self) -> int:
        return self.parts[-1][0]

    def text(self) -> str:
        return clean_text(by_line(self.parts))

    def widths(self) -> list[int]:
        return [width(t) for t in by_line(self.parts)]

    def unbalanced(self) -> bool:
        """An opening bracket left open: the cell goes on in the next piece."""
        text = "".join(t for _, t in self.parts)
        return sum(text.count(c) for c in "「（(［〔﹝『") > sum(text.count(c) for c in "」）)］〕﹞』")


def _tokens(text: str) -> list[tuple[str, int]]:
    """(token, spaces before it); single ideographs spaced out by justification are rejoined."""
    raw = [(m.group(), m.start()) for m in re.finditer(r"\S+", text)]
    out: list[list] = []
    end = 0
    for token, start in raw:
        gap = start - end
        end = start + len(token)
        single = len(token) == 1 and (is_ideograph(token) or token in "，、（）：；")
        if single and out and out[-1][2]:
            out[-1][0] += token
            out[-1][3] += 1
            continue
        out.append([token, gap, single, 1])
    merged: list[tuple[str, int]] = []
    for token, gap, single, count in out:
        if single and count >= 2 and merged and merged[-1][0].isdigit() and len(merged[-1][0]) <= 4 and gap <= 1:
            merged[-1] = (merged[-1][0] + token, merged[-1][1])  # `10 場 以` → 10場以
            continue
        merged.append((token, gap))
    return merged


def _separates(left: str, right: str) -> bool:
    """A space between two cells on one line: words of 2+ characters, ideograph (or 。) before, ideograph after."""
    return (len(left) >= 2 and len(right) >= 2 and (is_ideograph(left[-1]) or left[-1] == "。")
            and is_ideograph(right[0]))


class Atomiser:
    """Pass 1: lines → atoms. `goals` turns on goal numerals (body); `unit_of` names agency cells (appendix)."""

    def __init__(self, goals: bool = False, unit_of=None):
        self.goals = goals
        self.unit_of = unit_of  # partial name → (agency or None, still possible)
        self.next_goal = 0
        self.atoms: list[Atom] = []
        self._unit: list[tuple[int, str]] = []

    def feed(self, number: int, printed: str) -> None:
        closed = printed != printed.rstrip()
        text = compatibility_to_unified(printed).strip()
        if not text:
            return
        prev = self.atoms[-1] if self.atoms else None
        start = len(self.atoms)
        tokens = _tokens(text)
        i = 0
        if self._unit or (self.unit_of and not (prev and prev.open)):
            if self._feed_unit(number, tokens, closed):
                i = 1
                if len(tokens) == 1:
                    return
        comparator_open = prev is not None and prev.kind == "V" and COMPARATOR.match(prev.parts[-1][1].strip())
        if i == 0 and not comparator_open and self._structural(number, text, prev):
            head, _, rest = text.partition(" ")
            tokens = _tokens(rest.strip())
            start = len(self.atoms) - 1
        elif i == 0 and prev is not None and prev.kind == "V" and (prev.open or comparator_open):
            head = tokens[0][0]
            prev.parts.append((number, head))  # `≧`/`2,000`/`萬筆`, `45,000`/`人次(因`/…
            if not (len(head) <= 4 or is_value_token(head) or head[0] in "(（"):
                prev.clean_tail = False
            prev.open = len(tokens) == 1 and not closed
            i = 1
        elif (i == 0 and prev is not None and prev.kind == "V" and prev.alone and len(tokens) == 1
              and (UNIT_LINE.match(tokens[0][0]) or (tokens[0][0][0] in "(（" and len(tokens[0][0]) <= 6))
              and re.search(r"[\d)A-Za-z]$", prev.parts[-1][1])):
            prev.parts.append((number, tokens[0][0]))  # `1586 ` / `公里 `, `5MW ` / `(累積) `
            prev.open = not closed
            return
        elif i == 0 and prev is not None and prev.kind == "T" and prev.open:
            self._add("T", number, tokens[0], line_start=True)
            i = 1
        while i < len(tokens):
            token, gap = tokens[i]
            line_start = len(self.atoms) == start and i == 0
            if PAGE_REF.match(token):
                self.atoms.append(Atom("PAGE", [(number, token)], line_start=line_start, gap=gap, value=token))
            elif is_value_token(token):
                if (i + 1 < len(tokens) and tokens[i + 1][0].startswith(("(", "（"))
                        and not COMPARATOR.match(token) and not is_value_token(tokens[i + 1][0])):
                    token = token + tokens[i + 1][0]  # `0場 (因`: an annotation opened after the value
                    i += 1
                self.atoms.append(Atom("V", [(number, token)], line_start=line_start, gap=gap))
            else:
                previous = self.atoms[-1] if len(self.atoms) > start else None
                sep = previous is not None and previous.kind == "T" and _separates(previous.parts[-1][1], token)
                self._add("T", number, (token, gap), line_start=line_start, sep_before=sep)
            i += 1
        line_atoms = self.atoms[start:]
        if line_atoms:
            line_atoms[-1].open = not closed
            if len(line_atoms) == 1 and i == len(tokens) and len(tokens) == 1:
                line_atoms[0].alone = True

    def _add(self, kind, number, token_gap, line_start, sep_before=False):
        token, gap = token_gap
        prev = self.atoms[-1] if self.atoms else None
        if kind == "T" and prev is not None and prev.kind == "T" and prev.last_line == number and not sep_before:
            prev.parts[-1] = (number, prev.parts[-1][1] + " " + token)  # same cell, same line
            return
        self.atoms.append(Atom(kind, [(number, token)], line_start=line_start, gap=gap, sep_before=sep_before))

    def _structural(self, number: int, text: str, prev: Atom | None) -> bool:
        """A goal numeral (`一`, `三 提 升…`) or a KPI number (`1`, `1 辦理…`) at the start of a line."""
        head, _, rest = text.partition(" ")
        rest = rest.strip()
        if self.goals and self.next_goal < len(NUMERALS) and head == NUMERALS[self.next_goal]:
            self.next_goal += 1
            self.atoms.append(Atom("GOAL", [(number, head)], value=head, alone=not rest))
            return True
        if not KPI_NUMBER.match(head):
            return False
        if rest and ((prev is not None and prev.open) or not is_ideograph(rest[0]) or rest[0] in _CLASSIFIER):
            return False
        self.atoms.append(Atom("NUM", [(number, head)], value=int(head), alone=not rest))
        return True

    def _feed_unit(self, number, tokens, closed) -> bool:
        """Appendix agency cells: one character per line (`民`/`政`/`處`, `局 強化…`) or a name on its own line."""
        first = tokens[0][0]
        if not self._unit and len(tokens) == 1:
            agency, _ = self.unit_of(first)
            if agency and len(first) > 1:
                self.atoms.append(Atom("UNIT", [(number, first)], value=agency, alone=True))
                return True
        if len(first) != 1 or not is_ideograph(first):
            self._unit = []
            return False
        name = "".join(t for _, t in self._unit) + first
        agency, possible = self.unit_of(name)
        if not possible:
            self._unit = []
            return False
        self._unit.append((number, first))
        if agency and len(name) > 1:
            self.atoms.append(Atom("UNIT", list(self._unit), value=agency, alone=len(tokens) == 1))
            self._unit = []
        return True
