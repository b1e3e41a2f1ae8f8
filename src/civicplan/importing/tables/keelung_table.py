"""Rebuild a Keelung chapter's 關鍵績效指標 and 共同性指標 tables from their TAB-separated lines.

Each table row is one line of 11 cells: 序號 · 目標 · 編號 · 指標 · 評估體制 · 評估方式 · 衡量標準 · 4 year targets.
A row is one of (seeds-keelung.md §2.3, §2.4):

* header row 1 (`序號⇥…`: its 2nd cell says which table) or header row 2 (`⇥…⇥109⇥110⇥111⇥112`: the years);
  both repeat after every page break;
* a new goal (序號 filled) with its first indicator;
* a new indicator of the current goal (編號 and 評估體制 filled; a filled 目標 cell then continues the goal name);
* a continuation (評估體制 empty): cell-wise fragments of the previous indicator (and goal) cut by a page break;
* artefacts repaired here and reported as anomalies: a row shifted right with its last targets lost, two rows
  merged into one line with spaces, a fragment repeated on the continuation row, a stray fragment after a
  goal name that is already complete.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from civicplan.importing.tables.keelung_text import (
    EVAL_METHODS,
    clean,
    clean_target,
    cn_ordinal,
    has_complete_tag,
    join_fragments,
    split_perspective,
)
from civicplan.interchange.model import Anomaly, Goal, Indicator, Owner, Source, Target

CELLS = 11
TARGET_COLUMNS = range(7, 11)


@dataclass
class _IndicatorDraft:
    seq_text: str
    first: int
    page: int | None
    name: list[str] = field(default_factory=list)
    system: str = ""
    method: str = ""
    standard: list[str] = field(default_factory=list)
    targets: list[list[str]] = field(default_factory=lambda: [[] for _ in TARGET_COLUMNS])
    missing: set[int] = field(default_factory=set)
    flags: list[str] = field(default_factory=list)
    last: int = 0


@dataclass
class _GoalDraft:
    kind: str
    seq_text: str
    first: int
    page: int | None
    name: list[str] = field(default_factory=list)
    indicators: list[_IndicatorDraft] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    last: int = 0

    def name_so_far(self) -> str:
        return clean(join_fragments(self.name))


class TableBuilder:
    """Feed it the chapter's TAB lines in order; `finish()` gives the goals (key, then common) and anomalies."""

    def __init__(self, file: str, agency: str, years: list[int]):
        self.file = file
        self.agency = agency
        self.default_years = list(years)
        self.years = list(years)
        self.kind = "key"
        self.goals: list[_GoalDraft] = []
        self.goal: _GoalDraft | None = None
        self.indicator: _IndicatorDraft | None = None
        self.after_header = False
        self.anomalies: list[Anomaly] = []
        self.header_years: list[tuple[int, list[int]]] = []

    # -- reporting --------------------------------------------------------------------------------------
    def report(self, kind: str, message: str, first: int, last: int | None = None, page: int | None = None):
        self.anomalies.append(Anomaly(kind=kind, message=f"{self.agency}: {message}",
                                      source=Source(file=self.file, page=page, lines=[first, last or first])))

    # -- rows -------------------------------------------------------------------------------------------
    def feed(self, number: int, page: int | None, text: str) -> None:
        cells = [cell.strip() for cell in text.split("\t")]
        if len(cells) != CELLS:
            self.report("row-shape", f"table row with {len(cells)} cells instead of {CELLS}", number, page=page)
            cells = (cells + [""] * CELLS)[:CELLS] if len(cells) < CELLS else cells[:6] + [
                " ".join(cells[6:-4])] + cells[-4:]
        if cells[0] == "序號":
            kind = "common" if "共同" in cells[1] else "key"
            if kind != self.kind:
                self.goal = self.indicator = None
                self.kind = kind
            self.after_header = True
            return
        if not any(cells[:7]) and any(cells[7:]) and all(c.isdigit() for c in cells[7:] if c):
            self.years = [int(c) for c in cells[7:] if c]
            self.header_years.append((number, self.years))
            return
        if not any(cells):
            return
        self._data_row(number, page, cells)
        self.after_header = False

    def _data_row(self, number: int, page: int | None, c: list[str]) -> None:
        missing: set[int] = set()
        shift = self._shift(c)
        if shift:
            c = c[shift:] + [""] * shift
            missing = {i for i in range(len(TARGET_COLUMNS) - shift, len(TARGET_COLUMNS))}
            lost = "、".join(str(self._year(i)) for i in sorted(missing))
            self.report("shifted-row", f"row shifted {shift} cells to the right by the conversion (序號 in the "
                        f"編號 column); read shifted back; the targets for {lost} are lost", number, page=page)
        if c[0]:
            self._new_goal(number, page, c)
            self._new_indicator(number, page, c, missing)
        elif self.indicator is not None and self._merged(c):
            continued, new = self._split_merged(c)
            self.report("merged-row", "two rows merged into one line (the end of the previous indicator and "
                        "a new indicator, separated by spaces); split at the first space of each cell",
                        number, page=page)
            self._continue(number, page, continued)
            self.indicator.flags.append("merged-row")
            self._new_indicator(number, page, new, missing)
            self.indicator.flags.append("merged-row")
        elif c[2] and c[4]:
            if c[1]:
                self._goal_fragment(number, page, c[1])
            self._new_indicator(number, page, c, missing)
        else:
            self._continue(number, page, c)

    def _shift(self, c: list[str]) -> int:
        """Cells shifted right: 序號 and 目標 empty, a number followed by a name that ends in a 構面 tag."""
        if c[0] or c[1]:
            return 0
        for j in range(3, 6):
            if c[j - 1].isdigit() and split_perspective(clean(c[j]))[1] and c[j + 1].isdigit():
                return j - 1
        return 0

    def _year(self, index: int) -> int:
        return self.years[index] if index < len(self.years) else index

    def _new_goal(self, number: int, page: int | None, c: list[str]) -> None:
        self.goal = _GoalDraft(kind=self.kind, seq_text=c[0], first=number, page=page, last=number)
        if c[1]:
            self.goal.name.append(c[1])
        self.goals.append(self.goal)

    def _new_indicator(self, number: int, page: int | None, c: list[str], missing: set[int]) -> None:
        if self.goal is None:
            self.report("orphan-row", "an indicator row before any goal row of its table", number, page=page)
            self.goal = _GoalDraft(kind=self.kind, seq_text="", first=number, page=page, last=number)
            self.goals.append(self.goal)
        draft = _IndicatorDraft(seq_text=c[2], first=number, page=page, last=number, missing=set(missing))
        if c[3]:
            draft.name.append(c[3])
        draft.system = clean(c[4])
        draft.method = clean(c[5]).replace(" ", "")
        if c[6]:
            draft.standard.append(c[6])
        for i, column in enumerate(TARGET_COLUMNS):
            if c[column]:
                draft.targets[i].append(c[column])
        if missing:
            draft.flags.append("shifted")
        self.goal.indicators.append(draft)
        self.goal.last = number
        self.indicator = draft

    def _goal_fragment(self, number: int, page: int | None, fragment: str) -> None:
        goal = self.goal
        if goal.name and has_complete_tag(goal.name_so_far()):
            self.report("stray-fragment", f"「{clean(fragment)}」 in the goal column after the complete goal name "
                        f"「{goal.name_so_far()}」 (page-break debris); ignored", number, page=page)
            goal.flags.append("stray-fragment")
            return
        goal.name.append(fragment)
        if "continued" not in goal.flags:
            goal.flags.append("continued")
        goal.last = number

    def _continue(self, number: int, page: int | None, c: list[str]) -> None:
        draft = self.indicator
        if draft is None or self.goal is None:
            self.report("orphan-row", "a continuation row with no indicator before it; ignored", number, page=page)
            return
        if not self.after_header:
            self.report("unexpected-continuation", "a row with an empty 評估體制 that does not follow a page "
                        "break; read as the continuation of the indicator above", number, page=page)
        if c[1]:
            self._goal_fragment(number, page, c[1])
        if c[2] and c[2] != draft.seq_text:
            self.report("code-mismatch", f"continuation row numbered {c[2]} continues indicator {draft.seq_text}",
                        number, page=page)
        if c[3]:
            draft.name.append(c[3])
        if c[4] and not draft.system:
            draft.system = clean(c[4])
        if c[5]:
            self._add_method(number, page, draft, clean(c[5]).replace(" ", ""))
        if c[6]:
            draft.standard.append(c[6])
        for i, column in enumerate(TARGET_COLUMNS):
            if c[column]:
                draft.targets[i].append(c[column])
        if "continued" not in draft.flags:
            draft.flags.append("continued")
        draft.last = number
        self.goal.last = number

    def _add_method(self, number: int, page: int | None, draft: _IndicatorDraft, fragment: str) -> None:
        current = draft.method
        if current + fragment in EVAL_METHODS or not current:
            draft.method = current + fragment
        elif current in EVAL_METHODS and current.endswith(fragment):
            self.report("duplicated-fragment", f"評估方式 fragment 「{fragment}」 repeated on the continuation row "
                        f"of the complete 「{current}」; not appended", number, page=page)
        else:
            draft.method = current + fragment

    def _merged(self, c: list[str]) -> bool:
        """The 評估方式 cell holds `<end of the previous value> <a whole value>` while the previous is partial."""
        current = self.indicator.method
        if current in EVAL_METHODS or " " not in c[5].strip():
            return False
        fragment, _, rest = c[5].strip().partition(" ")
        return current + fragment in EVAL_METHODS and rest.strip() in EVAL_METHODS

    @staticmethod
    def _split_merged(c: list[str]) -> tuple[list[str], list[str]]:
        continued, new = [""] * CELLS, [""] * CELLS
        continued[1] = c[1]
        new[2], new[4] = c[2], c[4]
        for i in (3, 5, 6, *TARGET_COLUMNS):
            head, space, tail = c[i].strip().partition(" ")
            continued[i], new[i] = (head, tail) if space else ("", head)
        return continued, new

    # -- result -----------------------------------------------------------------------------------------
    def finish(self) -> tuple[list[Goal], list[Anomaly]]:
        goals = [self._goal(draft) for draft in self.goals]
        return goals, self.anomalies

    def _source(self, page: int | None, first: int, last: int) -> Source:
        return Source(file=self.file, page=page, lines=[first, max(first, last)])

    def _goal(self, draft: _GoalDraft) -> Goal:
        name, perspective, tolerant = split_perspective(draft.name_so_far())
        flags = list(dict.fromkeys(draft.flags))
        if tolerant:
            flags.append("tag-split")
        if perspective is None:
            self.report("missing-perspective", f"goal 「{name}」 has no 構面 tag", draft.first, draft.last, draft.page)
        seq = int(draft.seq_text) if draft.seq_text.isdigit() else 0
        if not draft.seq_text.isdigit():
            self.report("code-mismatch", f"goal 「{name}」 has no usable 序號 ({draft.seq_text!r})", draft.first,
                        page=draft.page)
        return Goal(kind=draft.kind, seq=seq, name=name, label=cn_ordinal(seq) if seq else None,
                    perspective=perspective, indicators=[self._indicator(d) for d in draft.indicators],
                    source=self._source(draft.page, draft.first, draft.last), flags=flags)

    def _indicator(self, draft: _IndicatorDraft) -> Indicator:
        name = clean(join_fragments(draft.name))
        targets, flags = [], list(draft.flags)
        for i, year in enumerate(self.years):
            if i in draft.missing:
                flags.append(f"target-missing:{year}")
                continue
            raw = clean_target(join_fragments(draft.targets[i])) if i < len(draft.targets) else ""
            if not raw:
                self.report("missing-target", f"「{name}」 has no target for {year}", draft.first, draft.last)
                flags.append(f"target-missing:{year}")
                continue
            targets.append(Target(year=year, raw=raw))
        seq = int(draft.seq_text) if draft.seq_text.isdigit() else 0
        if not draft.seq_text.isdigit():
            self.report("code-mismatch", f"indicator 「{name}」 has no usable 編號 ({draft.seq_text!r})",
                        draft.first, page=draft.page)
        return Indicator(
            seq=seq, name=name, label=str(seq) if seq else None, eval_system=draft.system or None,
            eval_method=draft.method or None, standard=clean(join_fragments(draft.standard)),
            owners=[Owner(agency=self.agency)], targets=targets,
            source=self._source(draft.page, draft.first, draft.last), flags=flags,
        )
