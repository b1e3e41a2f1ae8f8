"""Strategy-map KPI tables (策略目標 | KPI (關鍵績效指標) | KPI 主責局處) → goals with indicators and owners.

Every table line holds three TAB-separated cells. A row is read by what its cells hold, never by its position:
  perspective row   `<b>顧客構面</b>\\t\\t` (tags, 構面 and a "(new)" note optional) sets the perspective;
  objective row     `AC1 name\\tAC1.1 KPI name\\towner` starts a goal (the code may be glued to the name)
                    and, on the same row, its first KPI;
  KPI row           `\\tAC1.2 KPI name\\towner` adds a KPI to the goal above (the parent is the position,
                    not the code prefix);
  owner row         `\\t\\towner` adds owners to the KPI above;
  tail row          `text\\t\\t` or `\\ttext\\t` continues the goal or KPI name broken by a page break;
  shifted row       `AC1.3 KPI name\\towner\\t` (a KPI code in the first cell) is read one cell to the right.
Blank lines (page breaks) never end a table. Joins and shifts are reported as anomalies with their lines.
"""

from __future__ import annotations

import re

from civicplan.importing.document import Line
from civicplan.importing.normalise import join_pieces, normalise, strip_markup
from civicplan.interchange.model import Anomaly, Goal, Indicator, Owner, Source, Target

# Perspective name → the letter the codes use for it (a public-sector BSC: 財務 comes last).
PERSPECTIVE_LETTERS = {"顧客": "C", "內部流程": "P", "學習成長": "L", "財務": "F"}

PERSPECTIVE_ROW = re.compile(
    r"^(" + "|".join(PERSPECTIVE_LETTERS) + r")(?:構面)?\s*(?:[(（]\s*([^)）]*?)\s*[)）])?$"
)
GOAL_CODE = re.compile(r"^([A-Z][A-Z]\d{1,3})(?![\d.])\s*(.*)$")
KPI_CODE = re.compile(r"^([A-Z][A-Z]\d{1,3}\.\d{1,3})(?![\d.])\s*(.*)$")
_WCCD = re.compile(r"[(（]\s*WCCD\s*[)）]", re.IGNORECASE)
_CO_OWNER = re.compile(r"^([^()（）]+)[(（]([^()（）]+)[)）]$")
# "本組成員機關", "本組各機關", "分組各機關": every member agency of the theme's group, not one agency.
_PLACEHOLDER = re.compile(r"^(?:本組|分組|本府|全府)?(?:成員|各|所屬)?機關$")
# Spaces around a sub/superscript are the converter's: PM <sub>2.5</sub> ) → PM2.5)
_SUBSUP = re.compile(
    r"[ \u00a0]*<(sub|sup)>[ \u00a0]*(.*?)[ \u00a0]*</\1>(?:[ \u00a0]+(?![A-Za-z0-9]))?", re.IGNORECASE
)
# A target printed inside a KPI name: (…預計 107 年起選手將仍以 7,800 人為目標值)
_TARGET_IN_NAME = re.compile(
    r"[(（]([^()（）]*?(?<!\d)(\d{2,3})\s*年(起)?[^()（）]*?以\s*(\d[\d,.]*\s*[^\s\d為()（）]{0,3}?)\s*為目標值?"
    r"[^()（）]*)[)）]"
)


def is_table_header(cells: list[str]) -> bool:
    """`策略目標\\tKPI (關鍵績效指標)\\tKPI 主責局處` (the map's KPI table header)."""
    return len(cells) >= 2 and cells[0].strip().startswith("策略目標") and (
        "KPI" in cells[1] or "關鍵績效指標" in cells[1]
    )


def clean_cell(text: str) -> str:
    """A name cell as a reader writes it: tags gone (with the spaces around sub/sup), PDF spaces removed."""
    if "<" in text:
        text = _SUBSUP.sub(r"\2", text)
    return normalise(text)


def split_owners(cell: str) -> list[tuple[str, str | None, bool]]:
    """(agency, forced role or None, wccd) for each agency printed in an owner cell, in order.

    Agencies are separated by spaces; `(WCCD)` glued to an agency marks the KPI; `衛生局(社會局)` is a lead
    with a co-owner in parentheses. The cell is split before normalising (normalising would glue names).
    """
    out = []
    for token in strip_markup(cell).split():
        wccd = bool(_WCCD.search(token))
        token = _WCCD.sub("", token).strip()
        if not token:
            continue
        co = _CO_OWNER.match(token)
        if co:
            out.append((normalise(co[1]), None, wccd))
            out.append((normalise(co[2]), "co", False))
        else:
            out.append((normalise(token), None, wccd))
    return out


def is_placeholder_owner(agency: str) -> bool:
    return bool(_PLACEHOLDER.match(agency))


class TableReader:
    """Reads the rows of one chapter's KPI table (one or more tables) into goals."""

    def __init__(self, file: str, chapter: str, goal_kind: str):
        self.file = file
        self.chapter = chapter
        self.goal_kind = goal_kind
        self.goals: list[Goal] = []
        self.anomalies: list[Anomaly] = []
        self.perspective: str | None = None
        self.perspective_note: str | None = None
        self.goal: Goal | None = None
        self.indicator: Indicator | None = None

    # -- helpers -----------------------------------------------------------------------------------
    def _source(self, line: Line, first: int | None = None) -> Source:
        return Source(file=self.file, page=line.page, lines=[first or line.number, line.number])

    def _note(self, kind: str, message: str, line: Line, first: int | None = None) -> None:
        self.anomalies.append(Anomaly(kind=kind, message=f"{self.chapter}: {message}",
                                      source=self._source(line, first)))

    @staticmethod
    def _extend(source: Source, line: Line) -> None:
        source.lines = [source.lines[0], max(source.lines[1], line.number)]

    # -- rows --------------------------------------------------------------------------------------
    def row(self, line: Line) -> None:
        if not line.text.strip():
            return
        cells = line.text.split("\t")
        if len(cells) > 3:
            self._note("shifted-row", f"row with {len(cells)} cells; the cells after the third are read "
                                      "as owners", line)
            cells = cells[:2] + [" ".join(cells[2:])]
        cells += [""] * (3 - len(cells))
        goal_cell, kpi_cell, owner_cell = clean_cell(cells[0]), clean_cell(cells[1]), cells[2].strip()
        if not kpi_cell and not owner_cell:
            label = PERSPECTIVE_ROW.match(goal_cell)
            if label:
                self.perspective, self.perspective_note = label[1], label[2]
                self.goal = self.indicator = None
                return
        if KPI_CODE.match(goal_cell):
            self._note("shifted-row", f"KPI {KPI_CODE.match(goal_cell)[1]} is printed one cell to the left "
                                      "(KPI in the goal column, owner in the KPI column); read one cell "
                                      "to the right", line)
            goal_cell, kpi_cell, owner_cell = "", goal_cell, " ".join(filter(None, (cells[1], cells[2])))
            shifted = True
        else:
            shifted = False
        new_goal = self._goal_cell(goal_cell, line) if goal_cell else False
        new_indicator = self._kpi_cell(kpi_cell, line) if kpi_cell else False
        if new_indicator is None:
            return  # an orphan KPI row (reported): its owners belong to nothing
        if shifted and new_indicator:
            self.indicator.flags.append("shifted")
        if owner_cell:
            self._owner_cell(owner_cell, line, new_goal and not new_indicator)

    def _goal_cell(self, text: str, line: Line) -> bool:
        code = GOAL_CODE.match(text)
        if code:
            self.goal = Goal(kind=self.goal_kind, seq=len(self.goals) + 1, name=code[2], code=code[1],
                             perspective=self.perspective, source=self._source(line))
            if self.perspective_note:
                self.goal.flags.append("marked-" + self.perspective_note.lower())
            if self.perspective is None:
                self._note("missing-perspective", f"objective {code[1]} comes before any perspective row",
                           line)
            self.goals.append(self.goal)
            self.indicator = None
            return True
        if self.goal is None:
            self._note("unread-text", f"text in the objective column outside any objective: {text!r}", line)
            return False
        first = self.goal.source.lines[0]
        self._note("broken-cell", f"the name of objective {self.goal.code} continues on line {line.number} "
                                  f"({text!r}); the pieces are joined", line, first)
        self.goal.name = join_pieces(self.goal.name, text)
        self._extend(self.goal.source, line)
        if "continued" not in self.goal.flags:
            self.goal.flags.append("continued")
        return False

    def _kpi_cell(self, text: str, line: Line) -> bool | None:
        code = KPI_CODE.match(text)
        if code:
            if self.goal is None:
                self._note("orphan-indicator", f"KPI {code[1]} has no objective above it; the row is not "
                                               "read", line)
                self.indicator = None
                return None
            self.indicator = Indicator(seq=len(self.goal.indicators) + 1, name=code[2], code=code[1],
                                       source=self._source(line))
            self.goal.indicators.append(self.indicator)
            return True
        if self.indicator is None:
            self._note("unread-text", f"text in the KPI column outside any KPI: {text!r}", line)
            return False
        first = self.indicator.source.lines[0]
        self._note("broken-cell", f"the name of KPI {self.indicator.code} continues on line {line.number} "
                                  f"({text!r}); the pieces are joined", line, first)
        self.indicator.name = join_pieces(self.indicator.name, text)
        self._extend(self.indicator.source, line)
        if "continued" not in self.indicator.flags:
            self.indicator.flags.append("continued")
        return False

    def _owner_cell(self, text: str, line: Line, goal_without_kpi: bool) -> None:
        indicator = self.indicator
        if indicator is None or goal_without_kpi:
            self._note("unread-text", f"owner cell {text!r} has no KPI on its row or above it", line)
            return
        self._extend(indicator.source, line)
        for agency, role, wccd in split_owners(text):
            if wccd:
                indicator.wccd = True
            if any(owner.agency == agency for owner in indicator.owners):
                self._note("duplicate-owner", f"KPI {indicator.code} names {agency} twice", line,
                           indicator.source.lines[0])
                continue
            indicator.owners.append(Owner(agency=agency, role=role or ("co" if indicator.owners else "lead")))
            if is_placeholder_owner(agency) and "placeholder-owner" not in indicator.flags:
                indicator.flags.append("placeholder-owner")

    # -- end ---------------------------------------------------------------------------------------
    def finish(self) -> list[Goal]:
        for goal in self.goals:
            for indicator in goal.indicators:
                target = _TARGET_IN_NAME.search(indicator.name)
                if target:
                    indicator.targets.append(Target(year=int(target[2]), raw=target[4].strip(),
                                                    note=target[1].strip(), cumulative=False))
                    indicator.flags.append("target-in-name")
        return self.goals
