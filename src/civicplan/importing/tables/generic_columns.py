"""The generic table mapper's vocabulary: which header names which column, years, weights, perspective tags.

A KPI table's header row names its columns in the words the books use (關鍵策略目標 / 策略績效目標 / 策略目標 /
共同性目標, 構面, 關鍵績效指標 / 衡量指標 / 績效指標 / 共同性指標, 評估體制, 評估方式, 衡量標準, 年度目標值 …)
and has one column per year (109, 110年, 109年度, 2020 …), either in the same row or in a second header row
under a 年度目標值 cell that spans them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from civicplan.importing.normalise import normalise

_NO_SPACE = re.compile(r"[\s\u3000*_`:：]+")
_YEAR = re.compile(r"^[（(]?(?:民國)?(\d{2,4})[）)]?(?:年度?)?(?:績效)?(?:目標值?)?(?:[（(][^）)]*[）)])?$")

# (role, pattern) in the order they are tried: the first that matches a header cell names the column.
_ROLES: list[tuple[str, re.Pattern]] = [
    ("standard", re.compile(r"衡量標準|計算公式|衡量方式")),
    ("eval_system", re.compile(r"評估體制")),
    ("eval_method", re.compile(r"評估方式")),
    ("owner", re.compile(r"主責|主辦|權責|負責|承辦|執行機關|辦理機關")),
    ("targets", re.compile(r"目標值")),
    ("indicator", re.compile(r"指標|KPI", re.IGNORECASE)),
    ("goal", re.compile(r"目標")),
    ("perspective", re.compile(r"構面|面向")),
    ("weight", re.compile(r"權重|比重|配分")),
    ("unit", re.compile(r"^單位$|衡量單位|計量單位")),
    ("label", re.compile(r"^(?:序號?|編號|項次|代號|代碼|No\.?|#)$", re.IGNORECASE)),
    ("note", re.compile(r"備註|說明")),
]
_MAX_HEADER_CELL = 16  # header cells are short; a longer cell is data even if it says 目標 or 指標
_INDICATOR_HINT = re.compile(r"指\s*標|KPI", re.IGNORECASE)
_TEXT_ROLES = ("goal", "perspective", "indicator", "eval_system", "eval_method", "standard", "weight", "unit",
               "owner")

PERSPECTIVE_TAG = re.compile(
    r"\s*[（(]\s*([\u4e00-\u9fff]{0,6}?(?:成果|效率|管理|學習|效能|成長|流程|顧客|財務|構面|面向))\s*[）)]\s*$")
WEIGHT_TAG = re.compile(r"\s*[（(]\s*(?:權重|比重)?\s*[:：]?\s*(\d{1,3}(?:\.\d+)?)\s*[%％]\s*[）)]\s*$")
_WEIGHT_VALUE = re.compile(r"^(\d{1,3}(?:\.\d+)?)\s*[%％]?$")


def compact(text: str) -> str:
    """A header cell without spaces and markup, for matching column names."""
    return _NO_SPACE.sub("", normalise(text))


def parse_year(text: str) -> int | None:
    """The ROC year a header cell names (109, 110年, 109年度, 2020 → 109), else None."""
    match = _YEAR.match(compact(text))
    if not match:
        return None
    year = int(match.group(1))
    if 1912 <= year <= 2200:
        year -= 1911
    return year if 50 <= year <= 250 else None


def column_role(text: str) -> str | None:
    cell = compact(text)
    if not cell or len(cell) > _MAX_HEADER_CELL:
        return None
    for role, pattern in _ROLES:
        if pattern.search(cell):
            return role
    return None


@dataclass
class Layout:
    """What each column of a KPI table holds."""

    width: int
    columns: dict[str, int] = field(default_factory=dict)  # role → column
    years: dict[int, int] = field(default_factory=dict)  # column → ROC year
    common: bool | None = None  # True: 共同性目標/指標; False: 關鍵策略目標/績效指標; None: not said
    header_rows: int = 1

    def get(self, cells: list[str], role: str) -> str:
        column = self.columns.get(role)
        return cells[column] if column is not None and column < len(cells) else ""


def read_header(rows: list[list[str]], index: int) -> Layout | None:
    """The layout if rows[index] is a KPI table's header row (the row below may hold the years)."""
    row = rows[index]
    if not any(_INDICATOR_HINT.search(cell) for cell in row):
        return None
    roles = [column_role(cell) for cell in row]
    found = {role for role in roles if role}
    if "indicator" not in found or not (found & {"goal", "targets", "standard", "eval_method"}):
        return None
    if len(found) < 3 and not (len(found) == 2 and len({parse_year(c) for c in row} - {None}) >= 2):
        return None
    layout = Layout(width=len(row))
    labels = []
    for column, (cell, role) in enumerate(zip(row, roles)):
        year = parse_year(cell)
        if year is not None:
            layout.years[column] = year
        elif role == "label":
            labels.append(column)
        elif role in _TEXT_ROLES and role not in layout.columns:
            layout.columns[role] = column
            if role in ("goal", "indicator") and "共同" in cell:
                layout.common = True
            elif role in ("goal", "indicator") and "關鍵" in cell and layout.common is None:
                layout.common = False
    goal = layout.columns.get("goal", -1)
    for column in labels:  # 序號 before the goal column numbers goals; one after it numbers indicators
        role = "goal_label" if column < goal and "goal_label" not in layout.columns else "indicator_label"
        layout.columns.setdefault(role, column)
    if index + 1 < len(rows) and not layout.years:
        below = rows[index + 1]
        years = {column: parse_year(cell) for column, cell in enumerate(below)}
        years = {column: year for column, year in years.items() if year is not None}
        others = [cell for column, cell in enumerate(below) if cell.strip() and column not in years]
        if years and all(column_role(cell) for cell in others):
            layout.years = years
            layout.width = max(layout.width, len(below))
            layout.header_rows = 2
    return layout


def split_name(text: str) -> tuple[str, str | None, float | None]:
    """(name, perspective tag, weight) of a printed goal or indicator name: 推展會展活動(6%) → weight 6.0."""
    perspective = weight = None
    for _ in range(2):
        match = WEIGHT_TAG.search(text)
        if match and weight is None:
            weight = float(match.group(1))
            text = text[: match.start()]
            continue
        match = PERSPECTIVE_TAG.search(text)
        if match and perspective is None and match.start() > 0:
            perspective = match.group(1)
            text = text[: match.start()]
            continue
        break
    return text.strip(), perspective, weight


def parse_weight(text: str) -> float | None:
    match = _WEIGHT_VALUE.match(compact(text))
    return float(match.group(1)) if match else None
