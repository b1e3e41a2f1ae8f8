"""The generic table mapper: any KPI table whose header row names its columns → PlanDocument.

For real tables (DOCX, ODT, HTML, PDF), markdown pipe tables and TAB-separated tables. The header row is
recognised by its column names (see generic_columns); a table below without a header that directly follows a
KPI table with the same number of columns continues it (a table broken across pages), and a repeated header
row is skipped. A goal cell left empty (or merged) continues the goal above; when the table numbers its goals
(序號) a goal cell without a number continues the name of the goal above (a cell broken across pages). A row
without an indicator continues the indicator above (its cells are joined to it).

Agencies come from headings before a table (「民政處」, 「第一章 民政處」, 「# 民政處」, 「壹、民政處」,
「基隆市政府民政處中程施政計畫」); city, period and kind from a title line (「基隆市政府109至112年度中程施政計畫」)
where there is one; otherwise city "" and period 0–0 with a "missing-metadata" anomaly for the caller to fill.
Key and common goals (共同性目標) are told apart by the header, else by a heading above the table.

Reported, never repaired (anomaly kinds): shifted-row (a pipe/TAB row with more or fewer cells than its
header), missing-target (a year column left empty), missing-goal (an indicator with no goal above it),
unread-row (a row with neither goal nor indicator), missing-years (a header without year columns),
missing-metadata (no agency heading before a table; no city or period in a title).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from civicplan.importing.document import SourceText
from civicplan.importing.normalise import join_pieces, normalise
from civicplan.importing.readers.blocks import Block, table_blocks
from civicplan.importing.tables.generic_columns import WEIGHT_TAG, Layout, parse_weight, read_header, split_name
from civicplan.interchange.model import Anomaly, Chapter, Goal, Indicator, Owner, PlanDocument, Source, Target

_AGENCY = r"[\u4e00-\u9fff]{1,15}?(?:處|局|所|室|委員會|中心|館|院|隊|廳|署|公所)"
_AGENCY_HEADING = re.compile(
    r"^(?P<chapter>第[一二三四五六七八九十百零〇\d]+[章篇節]\s*|[壹貳參肆伍陸柒捌玖拾]+[、.．]\s*)?"
    r"(?:[一二三四五六七八九十]+[、.．]\s*|\d{1,2}[、.．]\s*)?(?P<agency>" + _AGENCY + r")$")
_AGENCY_TITLE = re.compile(
    r"^(?:[\u4e00-\u9fff]{1,3}?[市縣])?政府(?P<agency>" + _AGENCY + r")(?:\s*[\u4e00-\u9fff(（\d]|$)")
_AGENCY_PLAN = re.compile(r"^(?P<agency>" + _AGENCY + r")\s*(?:[(（]?\d.*)?(?:中程|年度)?.*施政計畫")
_CITY = re.compile(r"([\u4e00-\u9fff]{1,3}?[市縣])政府")
_PERIOD = re.compile(r"(\d{2,3})\s*(?:年度?)?\s*[至到~～\-－–—]\s*(\d{2,3})\s*年")
_ANNUAL = re.compile(r"(\d{2,3})\s*年度?\s*[\u4e00-\u9fff]{0,12}?施政計畫")
_MARKUP = re.compile(r"^\s*#{1,6}\s*|\*\*|__")
_PAGE_NUMBER = re.compile(r"^[-–—\s]*(?:第\s*)?\d{1,4}\s*(?:頁)?[-–—\s]*$|^P\.?\s*\d+\s*$|^[-–—]\s*\d+\s*[-–—]$")
_OWNER_SPLIT = re.compile(r"[、，,；;/／\s]+")
_WCCD = re.compile(r"[（(]\s*WCCD\s*[）)]", re.IGNORECASE)
_KIND_HINT = re.compile(r"指標|目標")
_MAX_HEADING = 40
_MAX_BARE_HEADING = 10
_MAX_TITLE = 50
_MAX_LINE_LOOKED_AT = 100
_SCORES = {"table": 0.9, "pipe": 0.85, "tab": 0.45}


def detect(source: SourceText) -> float:
    best = 0.0
    for block in table_blocks(source):
        score = _SCORES[block.kind]
        if score > best and any(read_header(block.rows, i) for i in range(min(3, len(block.rows)))):
            best = score
    return best


@dataclass
class _GoalDraft:
    goal: Goal
    pieces: list[str]
    perspective: str | None
    layout: Layout
    agency: str | None


@dataclass
class _IndicatorDraft:
    indicator: Indicator
    goal: _GoalDraft
    layout: Layout
    pieces: dict[str, list[str]] = field(default_factory=dict)  # role → pieces
    targets: dict[int, list[str]] = field(default_factory=dict)  # year → pieces


class _Mapper:
    def __init__(self, source: SourceText) -> None:
        self.source = source
        self.file = source.name
        self.document = PlanDocument(city="", kind="", period={"start": 0, "end": 0},
                                     source=Source(file=source.name, sha256=source.sha256))
        self.chapter: Chapter | None = None
        self.heading: tuple[str, int, bool] | None = None  # (agency, line, strong) for the next KPI table
        self.heading_used = False
        self.layout: Layout | None = None
        self.kind = "key"
        self.pending_kind: str | None = None
        self.gap = 0  # lines of text since the last KPI table row
        self.goal: _GoalDraft | None = None
        self.indicator: _IndicatorDraft | None = None
        self.perspective: str | None = None
        self.goals: list[_GoalDraft] = []
        self.indicators: list[_IndicatorDraft] = []

    # anomalies and sources -----------------------------------------------------------------------
    def anomaly(self, kind: str, message: str, first: int | None, last: int | None = None, page=None) -> None:
        lines = [first, last or first] if first else None
        self.document.anomalies.append(Anomaly(kind, message, Source(file=self.file, page=page, lines=lines)))

    def _extend(self, source: Source, line: int) -> None:
        source.lines = [source.lines[0], line] if source.lines else [line, line]

    # text between tables -------------------------------------------------------------------------
    def text_line(self, number: int, raw: str) -> None:
        if len(raw) > _MAX_LINE_LOOKED_AT:  # prose: neither a heading nor a title
            self.gap += 1
            return
        text = _MARKUP.sub("", normalise(raw)).strip()
        if not text or text.startswith("|"):  # blank, or a markdown table's |---| separator
            return
        self._metadata(text)
        found = self._agency(text, raw.lstrip().startswith("#"))
        if found:
            self._heading(found[0], found[1], number)
            return
        if len(text) <= _MAX_HEADING and _KIND_HINT.search(text):
            if "共同性" in text:
                self.pending_kind = "common"
            elif "關鍵" in text or "策略" in text:
                self.pending_kind = "key"
        if not _PAGE_NUMBER.match(text):
            self.gap += 1

    def _agency(self, text: str, markdown: bool) -> tuple[str, bool] | None:
        """(agency, strong) for a heading naming an agency; strong: numbered, a markdown heading or a title."""
        if len(text) > 60:
            return None
        match = _AGENCY_TITLE.match(text) or _AGENCY_PLAN.match(text)
        strong = match is not None
        if not match:
            bare = text.replace(" ", "")
            match = _AGENCY_HEADING.match(bare)
            if not match:
                return None
            strong = markdown or match.group("chapter") is not None
            if not strong and len(match.group("agency")) > _MAX_BARE_HEADING:
                return None
        agency = match.group("agency")
        city = self.document.city
        if city and agency.startswith(city) and len(agency) > len(city) + 1:
            agency = agency[len(city):]
        return agency, strong

    def _heading(self, agency: str, strong: bool, line: int) -> None:
        """An agency heading names the chapter of the KPI tables below it. A bare name (weak) does not
        override a numbered heading or a title (strong) that no table has used yet: it is more likely a
        piece of wrapped prose."""
        self.gap += 1
        if not strong and self.heading is not None and self.heading[2] and not self.heading_used:
            return
        self.heading = (agency, line, strong)
        self.heading_used = False
        self.pending_kind = None

    def _use_heading(self, line: int) -> None:
        """At a KPI table's header: start the chapter its heading names (if it is not the current one)."""
        if self.heading is None:
            if self.chapter is None:
                self.anomaly("missing-metadata", f"no agency heading before the KPI table at line {line}", line)
                self._new_chapter(None, line)
            return
        agency, heading_line, _ = self.heading
        self.heading_used = True
        if self.chapter is None or self.chapter.agency != agency:
            self._new_chapter(agency, heading_line)

    def _new_chapter(self, agency: str | None, line: int) -> None:
        self.chapter = Chapter(agency=agency, source=Source(file=self.file, lines=[line, line]))
        self.document.chapters.append(self.chapter)
        self.goal = self.indicator = None
        self.perspective = None

    def _metadata(self, text: str) -> None:
        document = self.document
        if len(text) > 80 or (document.city and document.period["start"] and document.title):
            return
        if not document.city and (match := _CITY.search(text)):
            document.city = match.group(1)
        if not document.period["start"]:
            if match := _PERIOD.search(text):
                document.period = {"start": int(match.group(1)), "end": int(match.group(2))}
                document.kind = document.kind or "medium-term"
            elif match := _ANNUAL.search(text):
                document.period = {"start": int(match.group(1)), "end": int(match.group(1))}
                document.kind = document.kind or ("medium-term" if "中程" in text else "annual")
        if "中程" in text and "計畫" in text:
            document.kind = "medium-term"
        if (not document.title and "計畫" in text and len(text) <= _MAX_TITLE and text[0] not in "-•*"
                and ("政府" in text or _PERIOD.search(text))):
            document.title = text

    # tables --------------------------------------------------------------------------------------
    def block(self, block: Block) -> None:
        rows = block.rows
        continuing = self.layout is not None and self.gap == 0 and len(rows[0]) == self.layout.width
        if not continuing:
            self.layout = None
        index = 0
        while index < len(rows):
            header = read_header(rows, index)
            if header is not None:
                self._header(header, block, index)
                index += header.header_rows
                continue
            if self.layout is not None:
                self._row(block, index)
            index += 1
        if self.layout is not None:
            self.gap = 0

    def _header(self, layout: Layout, block: Block, index: int) -> None:
        if layout.common is None:
            kind = self.pending_kind or "key"
        else:
            kind = "common" if layout.common else "key"
        repeated = (self.layout is not None and self.layout.columns == layout.columns
                    and self.layout.years == layout.years and kind == self.kind)
        if not repeated:
            self.goal = self.indicator = None
            self.perspective = None
        self.layout, self.kind = layout, kind
        self._use_heading(block.lines[index])
        if not layout.years:
            self.anomaly("missing-years", "the KPI table's header names no year columns", block.lines[index])

    def _row(self, block: Block, index: int) -> None:
        layout, line, page = self.layout, block.lines[index], block.pages[index]
        cells = block.rows[index]
        if block.kind != "table" and len(cells) != layout.width:
            lost = len(cells) < layout.width
            if lost or any(cell.strip() for cell in cells[layout.width:]):
                self.anomaly("shifted-row", f"the row has {len(cells)} cells where the header has {layout.width}: "
                             f"cells may be {'lost' if lost else 'shifted'}", line, page=page)
        if not any(cell.strip() for cell in cells):
            return
        value = {role: normalise(layout.get(cells, role)) for role in layout.columns}
        goal_text, goal_label = value.get("goal", ""), value.get("goal_label", "")
        has_indicator = bool(value.get("indicator") or value.get("indicator_label"))
        goal_continues = bool(goal_text and "goal_label" in layout.columns and not goal_label
                              and self.goal is not None and self.goal.goal.label)
        if (has_indicator and "indicator_label" in layout.columns and not value.get("indicator_label")
                and not goal_label and self.indicator is not None and self.indicator.indicator.label):
            has_indicator = False  # the table numbers its indicators: a row without a number continues one
        if value.get("perspective"):
            self.perspective = value["perspective"]
        self._extend(self.chapter.source, line)
        if not has_indicator:
            if self.indicator is not None and (not goal_text or goal_continues):
                self._continue_indicator(value, cells, line, goal_text)
            elif goal_text:
                self._new_goal(goal_text, goal_label, line, page)
            else:
                self.anomaly("unread-row", f"a row without goal or indicator: {' | '.join(cells)!r}", line,
                             page=page)
            return
        if goal_text and not goal_continues:
            self._new_goal(goal_text, goal_label, line, page)
        elif goal_continues:
            self.goal.pieces.append(goal_text)
            self._flag(self.goal.goal.flags, "continued")
        elif self.goal is None:
            self.anomaly("missing-goal", "an indicator without a goal above it", line, page=page)
            self._new_goal("", "", line, page)
        self._extend(self.goal.goal.source, line)
        draft = _IndicatorDraft(
            Indicator(seq=len(self.goal.goal.indicators) + 1, name="",
                      label=value.get("indicator_label") or None,
                      source=Source(file=self.file, page=page, lines=[line, line])),
            self.goal, layout)
        self.goal.goal.indicators.append(draft.indicator)
        self.indicators.append(draft)
        self.indicator = draft
        self._add_cells(draft, value, cells)

    def _new_goal(self, text: str, label: str, line: int, page) -> None:
        goal = Goal(kind=self.kind, seq=len(self.chapter.goals) + 1, name="", label=label or None,
                    source=Source(file=self.file, page=page, lines=[line, line]))
        self.chapter.goals.append(goal)
        self.goal = _GoalDraft(goal, [text] if text else [], self.perspective, self.layout,
                               self.chapter.agency)
        self.goals.append(self.goal)
        self.indicator = None

    def _continue_indicator(self, value: dict, cells: list[str], line: int, goal_text: str) -> None:
        draft = self.indicator
        if goal_text:
            draft.goal.pieces.append(goal_text)
            self._flag(draft.goal.goal.flags, "continued")
        self._add_cells(draft, value, cells)
        self._extend(draft.indicator.source, line)
        self._extend(draft.goal.goal.source, line)
        self._flag(draft.indicator.flags, "continued")

    def _add_cells(self, draft: _IndicatorDraft, value: dict, cells: list[str]) -> None:
        for role, text in value.items():
            if text and role not in ("goal", "goal_label", "perspective", "indicator_label"):
                draft.pieces.setdefault(role, []).append(text)
        for column, year in draft.layout.years.items():
            text = normalise(cells[column]) if column < len(cells) else ""
            if text:
                draft.targets.setdefault(year, []).append(text)

    @staticmethod
    def _flag(flags: list[str], flag: str) -> None:
        if flag not in flags:
            flags.append(flag)

    # the end -------------------------------------------------------------------------------------
    def finish(self) -> PlanDocument:
        for draft in self.goals:
            name, tag, weight = split_name(join_pieces(*draft.pieces))
            draft.goal.name = name
            draft.goal.perspective = draft.perspective or tag
            if weight is not None:
                self._flag(draft.goal.flags, f"weight:{weight:g}%")
        for draft in self.indicators:
            self._finish_indicator(draft)
        document = self.document
        missing = [what for what, value in (("city", document.city), ("plan period", document.period["start"]))
                   if not value]
        if missing:
            self.anomaly("missing-metadata", f"no title line names the {' or the '.join(missing)}: "
                         "the caller must give it (--city, --period)", None)
        document.kind = document.kind or "medium-term"
        return document

    def _finish_indicator(self, draft: _IndicatorDraft) -> None:
        indicator, joined = draft.indicator, {role: join_pieces(*p) for role, p in draft.pieces.items()}
        name = joined.get("indicator", "")
        match = WEIGHT_TAG.search(name)
        if match:
            indicator.weight = float(match.group(1))
            name = name[: match.start()].strip()
        indicator.name = name
        if joined.get("weight"):
            indicator.weight = parse_weight(joined["weight"])
        indicator.eval_system = joined.get("eval_system") or None
        indicator.eval_method = joined.get("eval_method") or None
        indicator.standard = joined.get("standard", "")
        indicator.unit = joined.get("unit", "")
        owner_text = joined.get("owner", "")
        if _WCCD.search(owner_text) or _WCCD.search(name):
            indicator.wccd = True
        owners = [o for o in _OWNER_SPLIT.split(_WCCD.sub(" ", owner_text)) if o]
        if owners:
            indicator.owners = [Owner(agency=o, role="lead" if i == 0 else "co") for i, o in enumerate(owners)]
        elif draft.goal.agency:
            indicator.owners = [Owner(agency=draft.goal.agency)]
        for year in draft.layout.years.values():
            pieces = draft.targets.get(year)
            if pieces:
                indicator.targets.append(Target(year=year, raw=join_pieces(*pieces)))
            else:
                self.anomaly("missing-target", f"“{name}”: no target for {year}", *indicator.source.lines,
                             page=indicator.source.page)


def parse(source: SourceText) -> PlanDocument:
    mapper = _Mapper(source)
    blocks = {block.first_line: block for block in table_blocks(source)}
    table_lines = {number for block in blocks.values() for number in block.lines}
    for line in source.lines:
        block = blocks.get(line.number)
        if block is not None:
            mapper.block(block)
        elif line.number not in table_lines:
            mapper.text_line(line.number, line.text)
    return mapper.finish()
